import { and, eq, isNull, lt, or } from 'drizzle-orm';
import { Secret, TOTP } from 'otpauth';
import { people, sessions } from '../../../db/schema/index';
import type { Database } from '../../db/database';
import type { Role } from '../../domain/vocabulary';

/** The roles that may add a second factor (a holder and a supporter sign in with a password alone). */
export const SECOND_FACTOR_ROLES: readonly Role[] = ['treasurer', 'la_officer', 'admin'];

/** Codes from the step before and after the current one are accepted too: a phone's clock may be 30 s out. */
const WINDOW_STEPS = 1;

const totpOf = (secretBase32: string, label: string) =>
  new TOTP({
    issuer: 'Cronfa',
    label,
    secret: Secret.fromBase32(secretBase32),
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
  });

/** A new secret to set up an authenticator app with, and the otpauth:// address that names it. */
export function newSecondFactor(label: string): { secret: string; uri: string } {
  const secret = new Secret({ size: 20 }).base32;
  return { secret, uri: totpOf(secret, label).toString() };
}

const STEP_MS = 30_000;

/** The 30-second step a 6-digit code is right for at `now` (this one, or one either side), or null. */
export function stepOfCode(secretBase32: string, code: string, now: Date): number | null {
  const cleaned = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(cleaned)) return null;
  const delta = totpOf(secretBase32, '').validate({ token: cleaned, timestamp: now.getTime(), window: WINDOW_STEPS });
  return delta === null ? null : Math.floor(now.getTime() / STEP_MS) + delta;
}

/** The code an authenticator shows at `now` (for tests and the demo). */
export function currentCode(secretBase32: string, now: Date): string {
  return totpOf(secretBase32, '').generate({ timestamp: now.getTime() });
}

/**
 * Finishes a sign-in waiting for its code: right code, and the session opens everything; wrong, and it stays
 * waiting. Returns whether it matched.
 */
export async function verifySecondFactor(
  database: Database,
  session: { tokenId: string; personId: string },
  code: string,
  now: Date,
): Promise<boolean> {
  const [person] = await database.read((db) =>
    db.select({ totpSecret: people.totpSecret }).from(people).where(eq(people.id, session.personId)),
  );
  const step = person?.totpSecret ? stepOfCode(person.totpSecret, code, now) : null;
  if (step === null) return false;
  return database.transaction(async (tx) => {
    // Each code is accepted once: a step at or before the last one accepted is a replay.
    const [used] = await tx
      .update(people)
      .set({ totpLastStep: step })
      .where(and(eq(people.id, session.personId), or(isNull(people.totpLastStep), lt(people.totpLastStep, step))))
      .returning({ id: people.id });
    if (!used) return false;
    await tx.update(sessions).set({ secondFactorPending: false }).where(eq(sessions.tokenId, session.tokenId));
    return true;
  });
}

/** Adds a second factor once the person has typed a code from it, and opens the session that was waiting for one. */
export async function enrolSecondFactor(
  database: Database,
  session: { tokenId: string; personId: string },
  secret: string,
  code: string,
  now: Date,
): Promise<boolean> {
  const step = /^[A-Z2-7]{32}$/.test(secret) ? stepOfCode(secret, code, now) : null;
  if (step === null) return false;
  await database.transaction(async (tx) => {
    await tx.update(people).set({ totpSecret: secret, totpLastStep: step }).where(eq(people.id, session.personId));
    await tx
      .update(sessions)
      .set({ secondFactorPending: false })
      .where(and(eq(sessions.tokenId, session.tokenId), eq(sessions.personId, session.personId)));
  });
  return true;
}
