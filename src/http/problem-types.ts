import type { ErrorCode } from '../domain/errors';

/** The one table from error codes to HTTP statuses and problem types (RFC 9457). */
export const PROBLEM_BASE = 'https://cronfa.dev/problems/';

export const PROBLEM_TYPES: Record<
  | ErrorCode
  | 'validation-error'
  | 'unauthorized'
  | 'malformed-request'
  | 'payload-too-large'
  | 'unsupported-media-type'
  | 'internal'
  | 'database-unavailable'
  | 'rate-limited'
  | 'request-timeout'
  | 'headers-too-large',
  { status: number; title: string }
> = {
  'not-found': { status: 404, title: 'Not found' },
  forbidden: { status: 403, title: 'Forbidden' },
  unauthorized: { status: 401, title: 'Unauthorized' },
  'insufficient-funds': { status: 422, title: 'Insufficient funds' },
  'idempotency-key-reused': { status: 422, title: 'Idempotency key reused' },
  'already-reversed': { status: 409, title: 'Already reversed' },
  duplicate: { status: 409, title: 'Already exists' },
  'invalid-state': { status: 409, title: 'Invalid state' },
  'concurrent-update': { status: 409, title: 'Concurrent update; retry' },
  unprocessable: { status: 422, title: 'Unprocessable request' },
  'period-closed': { status: 409, title: 'Period closed' },
  'not-reconciled': { status: 409, title: 'Bank not reconciled' },
  'invalid-bank-file': { status: 422, title: 'Bank file not readable' },
  'validation-error': { status: 422, title: 'Invalid request' },
  'malformed-request': { status: 400, title: 'Malformed request' },
  'payload-too-large': { status: 413, title: 'Request body too large' },
  'unsupported-media-type': { status: 415, title: 'Unsupported media type' },
  'rate-limited': { status: 429, title: 'Too many requests' },
  'request-timeout': { status: 408, title: 'Request timeout' },
  'headers-too-large': { status: 431, title: 'Request headers too large' },
  'database-unavailable': { status: 503, title: 'Service unavailable' },
  internal: { status: 500, title: 'Internal error' },
};

export type ProblemCode = keyof typeof PROBLEM_TYPES;

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  [extra: string]: unknown;
}

export function problem(code: ProblemCode, detail: string, extra: Record<string, unknown> = {}): ProblemBody {
  const { status, title } = PROBLEM_TYPES[code];
  return { type: PROBLEM_BASE + code, title, status, detail, ...extra };
}
