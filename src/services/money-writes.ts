import type { Principal } from '../auth/principal';
import type { Database, Tx } from '../db/database';
import { DomainError } from '../domain/errors';
import type { PostingContext } from './ledger/post-entry';
import { type ProblemRenderer, runIdempotent } from './idempotency';

/** How a money-moving request arrives at a use case: who, which co-op, and its idempotency identity. */
export interface MoneyWrite {
  database: Database;
  principal: Principal;
  coopId: string;
  idempotencyKey: string | null;
  fingerprint: string;
  renderProblem: ProblemRenderer;
}

/** Runs a money-moving use case once per Idempotency-Key, inside one transaction. */
export function runMoneyWrite<Body>(write: MoneyWrite, status: number, work: (tx: Tx) => Promise<Body>) {
  return runIdempotent(
    write.database,
    { coopId: write.coopId, key: write.idempotencyKey, fingerprint: write.fingerprint },
    write.renderProblem,
    async (tx) => ({ status, body: await work(tx) }),
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
    throw new DomainError('unprocessable', `The date ${valueDate} is in the future.`, {
      errors: [{ path: field, message: 'must not be after today' }],
    });
  }
}
