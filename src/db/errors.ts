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

export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const info = pgErrorOf(error);
  return info?.code === '23505' && (constraint === undefined || info.constraint === constraint);
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
