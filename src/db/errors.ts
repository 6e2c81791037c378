import { DomainError, type ErrorCode, StorageFailure, UnavailableError } from '../domain/errors';
import { periodClosed } from '../domain/reconciliation/periods';

/** Reads PostgreSQL error details the same way whichever driver raised them (drizzle wraps them in `cause`). */
export interface PgErrorInfo {
  code: string;
  constraint: string | undefined;
  detail: string | undefined;
}

export function pgErrorOf(error: unknown): PgErrorInfo | null {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth += 1) {
    const candidate = current as {
      code?: unknown;
      constraint?: unknown;
      constraint_name?: unknown;
      detail?: unknown;
      cause?: unknown;
    };
    if (typeof candidate.code === 'string' && /^[0-9A-Z]{5}$/.test(candidate.code)) {
      const constraint = candidate.constraint_name ?? candidate.constraint;
      return {
        code: candidate.code,
        constraint: typeof constraint === 'string' ? constraint : undefined,
        detail: typeof candidate.detail === 'string' ? candidate.detail : undefined,
      };
    }
    current = candidate.cause;
  }
  return null;
}

/** The database is gone or restarting: the request may be retried later. Looks through drizzle's wrapping. */
export function isConnectionFailure(error: unknown): boolean {
  const info = pgErrorOf(error);
  if (info && (info.code.startsWith('08') || ['57P01', '57P02', '57P03'].includes(info.code))) return true;
  for (let current: unknown = error, depth = 0; current && depth < 5; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && DRIVER_CONNECTION_CODES.includes(code)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

const DRIVER_CONNECTION_CODES = [
  'ECONNREFUSED',
  'ECONNRESET',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECT_TIMEOUT',
  'CONNECTION_DESTROYED',
  'EPIPE',
];

/** The date the books are closed through, when the database refused a change inside a closed period. */
export function closedPeriodOf(error: unknown): string | null {
  const info = pgErrorOf(error);
  return info?.code === 'CR001' ? (info.detail ?? '') : null;
}

/**
 * What each constraint's refusal means in the domain's words. The database enforces these rules (a second live
 * invoice, a second reversal, a line matched twice) even when two requests race past the use case's own checks; this
 * table is the one place their SQL names are read.
 */
const CONSTRAINT_REFUSALS: Record<string, readonly [ErrorCode, string]> = {
  local_authorities_code_unique: ['duplicate', 'A local authority with this code exists.'],
  members_coop_la_reference_key: ['duplicate', 'Another member of this co-op has that LA reference.'],
  providers_coop_name_key: ['duplicate', 'A provider with that name (or one that reads the same) exists.'],
  pools_coop_code_key: ['duplicate', 'A pool with that name (or one that reads the same) exists.'],
  // An account code is made from a name (a provider's) or a reference: two that read the same give the same code.
  accounts_coop_code_key: [
    'duplicate',
    'Another name in this co-op reads the same as this one; choose a different name.',
  ],
  pool_memberships_current_key: ['duplicate', 'The member is already in this pool.'],
  purchases_provider_invoice_live_key: ['duplicate', 'This invoice from this provider is already recorded.'],
  journal_entries_reverses_key: ['already-reversed', 'This entry has already been reversed.'],
  match_bank_lines_line_key: ['invalid-state', 'A bank line or entry here is already matched.'],
  match_entries_entry_key: ['invalid-state', 'A bank line or entry here is already matched.'],
  accounts_member_money_not_overdrawn: ['insufficient-funds', 'Not enough money: nothing was posted.'],
};

/** SQLSTATEs of a transaction that lost a race (serialization, deadlock, lock wait): the caller may retry. */
const LOST_RACE_STATES = ['40001', '40P01', '55P03'];

/**
 * The storage boundary: every error a unit of work raises leaves the database layer as a domain error (a rule the
 * database enforced), an UnavailableError (retry later), a StorageFailure (a bug, SQL kept out of it), or as it was
 * (an error the use case raised itself).
 */
export function translateStorageError(error: unknown): unknown {
  if (error instanceof DomainError) return error;
  const closedThrough = closedPeriodOf(error);
  if (closedThrough !== null) {
    const closed = periodClosed(closedThrough);
    return new DomainError(closed.code, closed.detail, closed.extra, closed.fieldErrors, { cause: error });
  }
  if (isConnectionFailure(error)) return new UnavailableError({ cause: error });
  const info = pgErrorOf(error);
  if (!info) return error;
  if (info.code === '57014') return new UnavailableError({ cause: error });
  if (LOST_RACE_STATES.includes(info.code))
    return refused('concurrent-update', 'Another request changed the same balances; retry.', error);
  if (info.code === '22003')
    return refused(
      'unprocessable',
      'This would take a balance beyond the largest amount Cronfa records (999999999999.99).',
      error,
    );
  const refusal = info.constraint ? CONSTRAINT_REFUSALS[info.constraint] : undefined;
  if (refusal && (info.code === '23505' || info.code === '23514')) return refused(...refusal, error);
  return new StorageFailure(info.code, info.constraint, { cause: error });
}

/** The domain's refusal, keeping the database's own error behind it (for logs and tests, never for the caller). */
function refused(code: ErrorCode, detail: string, cause: unknown): DomainError {
  return new DomainError(code, detail, {}, [], { cause });
}
