import { createHash, randomBytes } from 'node:crypto';

/** Tokens are 256 random bits; only their SHA-256 is stored, so a database leak reveals no usable token. */
const TOKEN_PREFIX = 'cronfa_';
export const TOKEN_PATTERN = /^cronfa_[A-Za-z0-9_-]{43}$/;

export function newTokenSecret(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

export function hashToken(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}
