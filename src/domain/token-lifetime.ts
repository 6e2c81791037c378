import { DomainError, invalidField } from './errors';
import type { TokenRole } from './vocabulary';

/** How long tokens last: a lifetime in days for a new token of each role (configuration). */
export interface TokenPolicy {
  lifetimeDays: Record<TokenRole, number>;
}

export const DEFAULT_TOKEN_POLICY: TokenPolicy = {
  lifetimeDays: { admin: 90, treasurer: 365, holder: 365, la_officer: 365 },
};

const DAY_MS = 86_400_000;

/**
 * When a new token expires: when asked, or after its role's lifetime; never later than that lifetime allows, and
 * never after the token that creates it, so no token can outlive the trust it came from.
 * Raises `unprocessable` (the field `expiresAt`) for a time already past or beyond the role's lifetime.
 */
export function tokenExpiry(
  role: TokenRole,
  now: Date,
  creatorExpiresAt: Date | null,
  requested: Date | undefined,
  policy: TokenPolicy,
): Date {
  const longest = new Date(now.getTime() + policy.lifetimeDays[role] * DAY_MS);
  if (requested && requested.getTime() <= now.getTime()) {
    throw expiryError('must be in the future');
  }
  if (requested && requested.getTime() > longest.getTime()) {
    throw expiryError(`a ${role} token lasts at most ${policy.lifetimeDays[role]} days`);
  }
  const wanted = requested ?? longest;
  return creatorExpiresAt && creatorExpiresAt.getTime() < wanted.getTime() ? creatorExpiresAt : wanted;
}

function expiryError(message: string): DomainError {
  return invalidField('expiresAt', message);
}
