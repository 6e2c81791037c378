import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import postgres from 'postgres';
import type { SQL } from 'drizzle-orm';
import { type Database, rowsOf } from '../../src/db/database';
import { openDatabase } from '../../src/db/open';

export interface TestDatabase {
  database: Database;
  /** Set on PostgreSQL: the URL of this test file's own database. */
  url: string | null;
  kind: 'postgres' | 'embedded';
  /** Runs one SQL query outside any transaction and returns its rows (for checking what the API wrote). */
  rows<Row>(query: SQL): Promise<Row[]>;
  /** Runs one SQL query as `rows` does and returns its one row, failing unless there is exactly one. */
  one<Row>(query: SQL): Promise<Row>;
  close(): Promise<void>;
}

export const onPostgres = Boolean(process.env.TEST_DATABASE_URL);

/**
 * A fresh, migrated database for one test file: an in-memory PGlite by default, or a new database on the
 * PostgreSQL server named by TEST_DATABASE_URL (dropped afterwards).
 */
export async function openTestDatabase(poolSize = 10): Promise<TestDatabase> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    const database = await openDatabase({ kind: 'embedded', dataDir: 'memory://' });
    return { database, url: null, kind: 'embedded', ...readers(database), close: () => database.close() };
  }
  const name = `cronfa_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = withDatabase(serverUrl, name);
  const database = await openDatabase({ kind: 'postgres', url, poolSize });
  return {
    database,
    url,
    kind: 'postgres',
    ...readers(database),
    close: async () => {
      await database.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

const AnyRow = { name: 'test query row', schema: z.looseObject({}) };

function readers(database: Database): Pick<TestDatabase, 'rows' | 'one'> {
  // Tests read whatever columns they ask for: each row is checked to be a row, and its columns are the test's to say.
  const rows = <Row>(query: SQL) =>
    database.read(async (db) => rowsOf(AnyRow, await db.execute(query)) as unknown as Row[]);
  const one = async <Row>(query: SQL) => {
    const found = await rows<Row>(query);
    if (found.length !== 1) throw new Error(`expected the query to return one row, got ${found.length}`);
    return found[0] as Row;
  };
  return { rows, one };
}

function withDatabase(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
