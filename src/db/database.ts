import type { ExtractTablesWithRelations } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import type * as schema from '../../db/schema/index';
import { InvariantError } from '../domain/errors';

type Schema = typeof schema;

/** The drizzle handle, whichever driver is behind it; use cases are written once against this. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Anything a query can run on: the database outside a transaction, or a transaction. */
export type Queryable = Db | Tx;

export interface Database {
  readonly kind: 'postgres' | 'embedded';
  /** Runs `work` in one READ COMMITTED transaction; rolls back if it throws. */
  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  /** Runs read-only `work` outside a transaction. */
  read<T>(work: (db: Db) => Promise<T>): Promise<T>;
  /** Runs `work` outside a transaction, for a write that is a single statement (atomic by itself, one round trip). */
  autocommit<T>(work: (db: Db) => Promise<T>): Promise<T>;
  /** Throws unless the database answers and every migration is applied. */
  checkReady(): Promise<void>;
  close(): Promise<void>;
}

/** Normalises a raw `execute` result: postgres.js returns an array, PGlite an object with `rows`. */
export function rowsOf<Row>(result: unknown): Row[] {
  if (Array.isArray(result)) return result as Row[];
  return (result as { rows: Row[] }).rows;
}

/** The one row an INSERT … RETURNING gave back (PostgreSQL returns it or raises; no row is a bug, not a refusal). */
export function insertedRow<Row>(rows: readonly Row[]): Row {
  const [row] = rows;
  if (!row) throw new InvariantError('insert returned nothing');
  return row;
}
