/**
 * Expected failures a use case can raise. Each code maps to one HTTP status and problem `type` in
 * src/http/problem-types.ts; `detail` is shown to the caller, so it never names another member or holds SQL.
 */
export type ErrorCode =
  | 'not-found'
  | 'forbidden'
  | 'insufficient-funds'
  | 'idempotency-key-reused'
  | 'already-reversed'
  | 'duplicate'
  | 'invalid-state'
  | 'unprocessable'
  | 'concurrent-update'
  | 'period-closed'
  | 'not-reconciled'
  | 'invalid-bank-file';

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail);
    this.name = 'DomainError';
  }
}

export const notFound = (what: string): DomainError => new DomainError('not-found', `${what} not found`);

/** A broken invariant: a bug, never user input. Reported as a 500 with nothing leaked. */
export class InvariantError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvariantError';
  }
}
