import { createHash } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { idempotencyKeys } from '../../db/schema/index';
import { type Database, type Tx, rowsOf } from '../db/database';
import { DomainError } from '../domain/errors';

export interface IdempotentRequest {
  coopId: string;
  /** The client's Idempotency-Key, or null when it sent none. */
  key: string | null;
  /** Identifies the request: method, route and body. */
  fingerprint: string;
}

export interface StoredResponse {
  status: number;
  body: unknown;
  replayed: boolean;
}

/** Problem responses for business-rule failures are stored too, so a retry sees the same answer. */
export type ProblemRenderer = (error: DomainError) => { status: number; body: unknown };

export function fingerprintOf(method: string, routeUrl: string, params: unknown, body: unknown): string {
  // An uploaded file is hashed as bytes: as JSON, a Buffer would be an array of numbers four times its size.
  const content = Buffer.isBuffer(body) ? { sha256: createHash('sha256').update(body).digest('hex') } : (body ?? null);
  return createHash('sha256')
    .update(JSON.stringify([method, routeUrl, params, content]))
    .digest('hex');
}

/**
 * Runs a money-moving write at most once per (co-op, key). The key row is inserted in the same transaction as the
 * entry, so a concurrent request with the same key waits on that row and then replays the committed response;
 * if the first transaction rolls back, the second runs as if it were first. Never two entries.
 *
 * Raises: `idempotency-key-reused` (422) when the key was used for a different request.
 */
export async function runIdempotent(
  database: Database,
  request: IdempotentRequest,
  renderProblem: ProblemRenderer,
  work: (tx: Tx) => Promise<{ status: number; body: unknown }>,
): Promise<StoredResponse> {
  const { key } = request;
  if (key === null) {
    const result = await database.transaction(work);
    return { ...result, replayed: false };
  }
  try {
    return await database.transaction(async (tx) => {
      const claimed = await claimKey(tx, request, key);
      if (!claimed) return replay(tx, request, key);
      const result = await work(tx);
      await tx
        .update(idempotencyKeys)
        .set({ responseStatus: result.status, responseBody: result.body })
        .where(and(eq(idempotencyKeys.coopId, request.coopId), eq(idempotencyKeys.key, key)));
      return { ...result, replayed: false };
    });
  } catch (error) {
    if (error instanceof DomainError && error.code !== 'idempotency-key-reused' && error.code !== 'concurrent-update') {
      await rememberFailure(database, request, key, renderProblem(error));
    }
    throw error;
  }
}

async function claimKey(tx: Tx, request: IdempotentRequest, key: string): Promise<boolean> {
  const inserted = await tx
    .insert(idempotencyKeys)
    .values({
      coopId: request.coopId,
      key,
      requestHash: request.fingerprint,
      responseStatus: 0,
      responseBody: sql`'null'::jsonb`,
    })
    .onConflictDoNothing()
    .returning({ key: idempotencyKeys.key });
  return inserted.length === 1;
}

async function replay(tx: Tx, request: IdempotentRequest, key: string): Promise<StoredResponse> {
  const [stored] = await tx
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.coopId, request.coopId), eq(idempotencyKeys.key, key)));
  if (!stored) throw new DomainError('concurrent-update', 'A request with this Idempotency-Key is in progress; retry.');
  if (stored.requestHash !== request.fingerprint) {
    throw new DomainError('idempotency-key-reused', 'This Idempotency-Key was already used for a different request.');
  }
  return { status: stored.responseStatus, body: stored.responseBody, replayed: true };
}

async function rememberFailure(
  database: Database,
  request: IdempotentRequest,
  key: string,
  problem: { status: number; body: unknown },
): Promise<void> {
  await database.transaction(async (tx) => {
    await tx
      .insert(idempotencyKeys)
      .values({
        coopId: request.coopId,
        key,
        requestHash: request.fingerprint,
        responseStatus: problem.status,
        responseBody: problem.body,
      })
      .onConflictDoNothing();
  });
}

const PRUNE_BATCH_ROWS = 1000;

/**
 * Forgets Idempotency-Keys older than `keepDays` (at least 30, as the API promises), a batch at a time so no one
 * statement holds many locks; a retry after that long is treated as a new request. Returns how many were pruned.
 */
export async function pruneIdempotencyKeys(database: Database, keepDays: number): Promise<number> {
  let pruned = 0;
  for (;;) {
    const deleted = await database.autocommit(async (db) =>
      rowsOf<{ key: string }>(
        await db.execute(sql`
          with expired as (
            select coop_id, key from idempotency_keys
             where created_at < now() - make_interval(days => ${keepDays}::int)
             order by created_at limit ${PRUNE_BATCH_ROWS})
          delete from idempotency_keys k using expired
           where k.coop_id = expired.coop_id and k.key = expired.key
          returning k.key`),
      ),
    );
    pruned += deleted.length;
    if (deleted.length < PRUNE_BATCH_ROWS) return pruned;
  }
}
