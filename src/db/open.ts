import { mkdirSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import pLimit from 'p-limit';
import postgres from 'postgres';
import * as schema from '../../db/schema/index';
import { translateStorageError } from './errors';
import type { DatabaseConfig } from '../config';
import { type Database, type Db, rowShape, rowsOf } from './database';
import { lockDataDir } from './data-dir-lock';
import { preparingStatements } from './prepared-statements';

const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../db/migrations', import.meta.url));
const MIGRATION_COUNT = countMigrations();
/** Serialises concurrent start-ups of several service processes on one PostgreSQL database. */
const MIGRATION_LOCK_ID = 0x63726f6e; // "cron"

export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  return config.kind === 'postgres' ? openPostgres(config.url, config.poolSize) : openEmbedded(config.dataDir);
}

async function openPostgres(url: string, poolSize: number): Promise<Database> {
  await migrateWithLock(url);
  const client = postgres(url, {
    max: poolSize,
    onnotice: () => {},
    connect_timeout: 10,
    // Keep the session's statements bounded so a stuck query cannot hold a row lock for ever.
    connection: { statement_timeout: 30_000, lock_timeout: 10_000 },
  });
  const db = drizzlePostgres(preparingStatements(client), { schema }) as unknown as Db;
  // postgres.js scans its wait queue linearly; never let more queries wait on it than it has connections.
  const slots = pLimit(poolSize);
  return {
    kind: 'postgres',
    transaction: (work) => translated(slots(() => db.transaction(work))),
    read: (work) => translated(slots(() => work(db))),
    autocommit: (work) => translated(slots(() => work(db))),
    checkReady: () => slots(() => checkMigrations(db)),
    close: () => client.end({ timeout: 5 }),
  };
}

async function migrateWithLock(url: string): Promise<void> {
  const client = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  try {
    await client`select pg_advisory_lock(${MIGRATION_LOCK_ID})`;
    await migratePostgres(drizzlePostgres(client), { migrationsFolder: MIGRATIONS_FOLDER });
    await client`select pg_advisory_unlock(${MIGRATION_LOCK_ID})`;
  } finally {
    await client.end({ timeout: 5 });
  }
}

async function openEmbedded(dataDir: string): Promise<Database> {
  const inMemory = dataDir.startsWith('memory://');
  if (!inMemory) mkdirSync(dataDir, { recursive: true });
  const unlock = inMemory ? () => {} : lockDataDir(dataDir);
  // Each commit is written to the data directory's files before it is acknowledged, so it survives the process
  // being killed; PGlite does not fsync, so it may not survive the machine losing power (see README).
  // DATA_DIR holds the lock file and PostgreSQL's own directory, which must start empty.
  const client = await PGlite.create(inMemory ? undefined : join(dataDir, 'pgdata'));
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  await migratePglite(db as never, { migrationsFolder: MIGRATIONS_FOLDER });
  // PGlite is one session: run one unit of work at a time so reads never interleave with an open transaction.
  const slot = pLimit(1);
  return {
    kind: 'embedded',
    transaction: (work) => translated(slot(() => db.transaction(work))),
    read: (work) => translated(slot(() => work(db))),
    autocommit: (work) => translated(slot(() => work(db))),
    checkReady: () => slot(() => checkMigrations(db)),
    close: () =>
      slot(async () => {
        await client.close();
        unlock();
      }),
  };
}

/** Every unit of work leaves storage through the one translator of database errors (src/db/errors.ts). */
async function translated<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    throw translateStorageError(error);
  }
}

async function checkMigrations(db: Db): Promise<void> {
  const rows = rowsOf(
    rowShape('applied migrations', { applied: z.number().int() }),
    await db.execute(sql`select count(*)::int as applied from drizzle.__drizzle_migrations`),
  );
  const applied = rows[0]?.applied ?? 0;
  if (applied < MIGRATION_COUNT) throw new Error(`migrations pending: ${applied} of ${MIGRATION_COUNT} applied`);
}

function countMigrations(): number {
  // drizzle-kit's journal lists every migration in order.
  const journal = JSON.parse(readFileSync(`${MIGRATIONS_FOLDER}/meta/_journal.json`, 'utf8')) as { entries: unknown[] };
  return journal.entries.length;
}
