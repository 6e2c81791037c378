import type { ExtractTablesWithRelations } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import type * as schema from '../../db/schema/index';
import { z } from 'zod';
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

/**
 * The rows a raw query must give back, named so a mismatch says which query it was: a zod schema for one row
 * (money as NUMERIC text, dates as ISO text, counts cast to `int`). `rowsOf` checks every row against it.
 */
export interface RowShape<Row> {
  readonly name: string;
  readonly schema: z.ZodType<Row>;
}

/** A row shape from its columns: `rowShape('closed through', { through: z.string().nullable() })`. */
export function rowShape<Columns extends z.ZodRawShape>(
  name: string,
  columns: Columns,
): RowShape<z.output<z.ZodObject<Columns>>> {
  return { name, schema: z.object(columns) };
}

/**
 * The rows of a raw `execute` result, each checked against `shape` (postgres.js returns an array, PGlite an object
 * with `rows`). A row that does not match is a bug in the query or in the shape, not a refusal: InvariantError.
 */
export function rowsOf<Row>(shape: RowShape<Row>, result: unknown): Row[] {
  const raw = rawRows(result);
  const rows: Row[] = new Array<Row>(raw.length);
  for (let i = 0; i < raw.length; i += 1) {
    const parsed = shape.schema.safeParse(raw[i]);
    if (!parsed.success) {
      throw new InvariantError(
        `row ${i} of "${shape.name}" does not match its shape: ${z.prettifyError(parsed.error)}`,
      );
    }
    rows[i] = parsed.data;
  }
  return rows;
}

function rawRows(result: unknown): readonly unknown[] {
  if (Array.isArray(result)) return result;
  if (typeof result === 'object' && result !== null && 'rows' in result && Array.isArray(result.rows)) {
    return result.rows;
  }
  throw new InvariantError('a raw query gave back neither rows nor an array');
}

/** The one row an INSERT … RETURNING gave back (PostgreSQL returns it or raises; no row is a bug, not a refusal). */
export function insertedRow<Row>(rows: readonly Row[]): Row {
  const [row] = rows;
  if (!row) throw new InvariantError('insert returned nothing');
  return row;
}
