import { and, eq, isNull, sql } from 'drizzle-orm';
import { people } from '../../../db/schema/index';
import type { Database } from '../../db/database';
import type { Role } from '../../domain/vocabulary';
import { passwordMatches, spendVerifyTime } from './passwords';
import { startSession } from './sessions';
import type { SignInThrottle } from './sign-in-throttle';

export type SignInOutcome =
  | { kind: 'signed-in'; secret: string; expiresAt: Date }
  /** A wrong password and an unknown (or suspended, or not yet accepted) email get this same answer. */
  | { kind: 'refused' }
  | { kind: 'throttled' };

/** Signs a person in with their email and password. */
export async function signIn(
  database: Database,
  throttle: SignInThrottle,
  attempt: { email: string; password: string; address: string },
  now: Date,
  requireSecondFactorFor: readonly Role[] = [],
): Promise<SignInOutcome> {
  const email = attempt.email.trim();
  if (!throttle.allows(email, attempt.address, now.getTime())) return { kind: 'throttled' };
  const [person] = await database.read((db) =>
    db
      .select()
      .from(people)
      .where(and(eq(sql`lower(${people.email})`, email.toLowerCase()), isNull(people.suspendedAt))),
  );
  const matches = person?.passwordHash
    ? await passwordMatches(person.passwordHash, attempt.password)
    : await spendVerifyTime(attempt.password).then(() => false);
  if (!person || !matches) {
    throttle.recordFailure(email, attempt.address, now.getTime());
    return { kind: 'refused' };
  }
  throttle.recordSuccess(email);
  // With a second factor, or a role that must have one, the session waits for the code (or its set-up).
  const pending = person.totpSecret !== null || requireSecondFactorFor.includes(person.role);
  const session = await database.transaction((tx) => startSession(tx, person, now, pending));
  return { kind: 'signed-in', ...session };
}
