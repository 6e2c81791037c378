import { randomBytes } from 'node:crypto';
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
    return { database, url: null, kind: 'embedded', rows: rowsReader(database), close: () => database.close() };
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
    rows: rowsReader(database),
    close: async () => {
      await database.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

function rowsReader(database: Database) {
  return <Row>(query: SQL) => database.read(async (db) => rowsOf<Row>(await db.execute(query)));
}

function withDatabase(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
