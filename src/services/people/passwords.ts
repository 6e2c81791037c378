import argon2 from 'argon2';

/**
 * Password hashing: argon2id with the library's defaults (64 MiB, 3 passes, 4 lanes: above OWASP's minimum).
 * Hashing runs on libuv's thread pool, not the serving thread.
 */
export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

export function passwordMatches(hash: string, password: string): Promise<boolean> {
  return argon2.verify(hash, password);
}

/**
 * A hash of nothing anyone knows, verified against when the email is unknown, so an unknown email takes as long to
 * refuse as a wrong password and the two cannot be told apart.
 */
let decoy: Promise<string> | undefined;
export async function spendVerifyTime(password: string): Promise<void> {
  decoy ??= hashPassword(`decoy ${Math.random()}`);
  await argon2.verify(await decoy, password);
}
