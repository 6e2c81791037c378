import { and, eq, sql } from 'drizzle-orm';
import { idempotencyKeys } from '../../db/schema/index';
import { type Database, type Tx, rowShape, rowsOf } from '../db/database';
import { z } from 'zod';
import { DomainError, ERROR_CODES } from '../domain/errors';

export interface IdempotentRequest {
  coopId: string;
  /** The client's Idempotency-Key, or null when it sent none. */
  key: string | null;
  /** Identifies the request: a hash of everything it asked for (the front door decides what that is). */
  fingerprint: string;
}

/** What a money write came to: its result, and whether it is a replay of an earlier request with the same key. */
export interface IdempotentOutcome<Result> {
  result: Result;
  replayed: boolean;
}

/**
 * A refusal an earlier request with the same key was given, given again: a retry sees the same answer even when the
 * facts have changed since (money has arrived, the period was reopened).
 */
export class ReplayedRefusal extends DomainError {}

/** How a refusal is kept beside its key: the domain error itself, so any front door can say it again its own way. */
const StoredRefusal = z.object({
  code: z.enum(ERROR_CODES),
  detail: z.string(),
  extra: z.record(z.string(), z.unknown()),
  fieldErrors: z.array(z.object({ field: z.string(), message: z.string() })),
});

/**
 * Runs a money-moving write at most once per (co-op, key). The key row is inserted in the same transaction as the
 * entry, so a concurrent request with the same key waits on that row and then replays the committed result;
 * if the first transaction rolls back, the second runs as if it were first. Never two entries. A refusal
 * (a DomainError) is kept too, and raised again as a `ReplayedRefusal` when the key comes back.
 *
 * `Result` must survive JSON: a replay returns the stored JSON, not the objects the first run returned.
 *
 * Raises: `idempotency-key-reused` when the key was used for a different request.
 */
export async function runIdempotent<Result>(
  database: Database,
  request: IdempotentRequest,
  work: (tx: Tx) => Promise<Result>,
): Promise<IdempotentOutcome<Result>> {
  const { key } = request;
  if (key === null) return { result: await database.transaction(work), replayed: false };
  try {
    return await database.transaction(async (tx) => {
      const claimed = await claimKey(tx, request, key);
      if (!claimed) return replay<Result>(tx, request, key);
      const result = await work(tx);
      await tx
        .update(idempotencyKeys)
        .set({ outcome: 'done', result })
        .where(and(eq(idempotencyKeys.coopId, request.coopId), eq(idempotencyKeys.key, key)));
      return { result, replayed: false };
    });
  } catch (error) {
    if (
      error instanceof DomainError &&
      !(error instanceof ReplayedRefusal) &&
      error.code !== 'idempotency-key-reused' &&
      error.code !== 'concurrent-update'
    ) {
      await rememberRefusal(database, request, key, error);
    }
    throw error;
  }
}

async function claimKey(tx: Tx, request: IdempotentRequest, key: string): Promise<boolean> {
  const inserted = await tx
    .insert(idempotencyKeys)
    .values({ coopId: request.coopId, key, requestHash: request.fingerprint, outcome: 'pending', result: null })
    .onConflictDoNothing()
    .returning({ key: idempotencyKeys.key });
  return inserted.length === 1;
}

async function replay<Result>(tx: Tx, request: IdempotentRequest, key: string): Promise<IdempotentOutcome<Result>> {
  const [stored] = await tx
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.coopId, request.coopId), eq(idempotencyKeys.key, key)));
  if (!stored || stored.outcome === 'pending')
    throw new DomainError('concurrent-update', 'A request with this Idempotency-Key is in progress; retry.');
  if (stored.requestHash !== request.fingerprint) {
    throw new DomainError('idempotency-key-reused', 'This Idempotency-Key was already used for a different request.');
  }
  if (stored.outcome === 'refused') {
    const refusal = StoredRefusal.parse(stored.result);
    throw new ReplayedRefusal(refusal.code, refusal.detail, refusal.extra, refusal.fieldErrors);
  }
  // The JSON this same write returned the first time, so of the type it returned.
  return { result: stored.result as Result, replayed: true };
}

async function rememberRefusal(
  database: Database,
  request: IdempotentRequest,
  key: string,
  error: DomainError,
): Promise<void> {
  const refusal: z.infer<typeof StoredRefusal> = {
    code: error.code,
    detail: error.detail,
    extra: error.extra,
    fieldErrors: [...error.fieldErrors],
  };
  await database.transaction(async (tx) => {
    await tx
      .insert(idempotencyKeys)
      .values({ coopId: request.coopId, key, requestHash: request.fingerprint, outcome: 'refused', result: refusal })
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
      rowsOf(
        rowShape('pruned idempotency key', { key: z.string() }),
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
