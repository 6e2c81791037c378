import type { Principal } from '../auth/principal';
import type { Database, Tx } from '../db/database';
import { invalidField } from '../domain/errors';
import type { PostingContext } from './ledger/post-entry';
import { type IdempotentOutcome, runIdempotent } from './idempotency';

/** How a money-moving request arrives at a use case: who, which co-op, and its idempotency identity. */
export interface MoneyWrite {
  database: Database;
  principal: Principal;
  coopId: string;
  idempotencyKey: string | null;
  fingerprint: string;
  /** When the request is decided, read from the clock once (see UseCaseContext). */
  now: Date;
  /** The London date of `now`. */
  today: string;
}

/** Runs a money-moving use case once per Idempotency-Key, inside one transaction. */
export function runMoneyWrite<Result>(
  write: MoneyWrite,
  work: (tx: Tx) => Promise<Result>,
): Promise<IdempotentOutcome<Result>> {
  return runIdempotent(
    write.database,
    { coopId: write.coopId, key: write.idempotencyKey, fingerprint: write.fingerprint },
    work,
  );
}

/** The posting context of a money write, with the audit action recorded alongside its entry. */
export function postingContextOf(
  write: MoneyWrite,
  action: string,
  target?: { targetType: string; targetId: string },
): PostingContext {
  return {
    coopId: write.coopId,
    actorTokenId: write.principal.tokenId,
    idempotencyKey: write.idempotencyKey,
    audit: { action, ...target },
  };
}

/** Value dates may not be in the future: balances "now" are then exactly the cached ones. */
export function assertNotFuture(valueDate: string, today: string, field: string): void {
  if (valueDate > today) {
    throw invalidField(field, 'must not be after today', `The date ${valueDate} is in the future.`);
  }
}
