/**
 * Expected failures a use case can raise. Each code maps to one HTTP status and problem `type` in
 * src/http/problem-types.ts; `detail` is shown to the caller, so it never names another member or holds SQL.
 */
export const ERROR_CODES = [
  'not-found',
  'forbidden',
  'insufficient-funds',
  'idempotency-key-reused',
  'already-reversed',
  'duplicate',
  'invalid-state',
  'unprocessable',
  'concurrent-update',
  'period-closed',
  'not-reconciled',
  'invalid-bank-file',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * One input a rule refused, named as the use case knows it: `amount`, `lines.2.memberId`, `units.<memberId>`.
 * Where the caller sent it (a JSON body, a query string, a form) is the front door's business, not the rule's.
 */
export interface FieldError {
  readonly field: string;
  readonly message: string;
}

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    readonly extra: Record<string, unknown> = {},
    readonly fieldErrors: readonly FieldError[] = [],
    options?: { cause?: unknown },
  ) {
    super(detail, options);
    this.name = 'DomainError';
  }
}

export const notFound = (what: string): DomainError => new DomainError('not-found', `${what} not found`);

/** The request is well formed but a rule refuses one or more of its inputs (`unprocessable`, 422 over HTTP). */
export function invalidInput(
  fieldErrors: FieldError | readonly FieldError[],
  detail?: string,
  extra: Record<string, unknown> = {},
): DomainError {
  const errors = Array.isArray(fieldErrors) ? fieldErrors : [fieldErrors as FieldError];
  const first = errors[0];
  return new DomainError(
    'unprocessable',
    detail ?? (first ? `${first.field}: ${first.message}` : 'The request is invalid.'),
    extra,
    errors,
  );
}

/** Shorthand for the common case: one field, one message. */
export const invalidField = (field: string, message: string, detail?: string): DomainError =>
  invalidInput({ field, message }, detail);

/** A broken invariant: a bug, never user input. Reported as a 500 with nothing leaked. */
export class InvariantError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvariantError';
  }
}

/** The database cannot be reached or did not answer in time: nothing was done, and the request may be retried. */
export class UnavailableError extends Error {
  constructor(options?: { cause?: unknown }) {
    super('The database is unavailable.', options);
    this.name = 'UnavailableError';
  }
}

/**
 * The database refused a statement for a reason no rule of the domain names: a bug. Carries only the SQLSTATE and
 * constraint, so a log line can say what failed without the values the statement carried.
 */
export class StorageFailure extends Error {
  constructor(
    readonly sqlState: string,
    readonly constraint: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(`storage refused a statement (SQLSTATE ${sqlState}${constraint ? `, ${constraint}` : ''})`, options);
    this.name = 'StorageFailure';
  }
}
