import { eq } from 'drizzle-orm';
import { people } from '../../../db/schema/index';
import type { Database } from '../../db/database';
import { type PasswordProblem, passwordProblem } from '../../domain/passwords';
import { hashPassword, passwordMatches } from './passwords';
import { endSessionsOf } from './sessions';

export type PasswordChange =
  | { kind: 'changed' }
  | {
      kind: 'invalid';
      problems: { field: 'current' | 'password' | 'confirmation'; problem: PasswordProblem | 'wrong' }[];
    };

/**
 * Changes a signed-in person's password, given the current one: every other session of theirs ends (someone who
 * knew the old password is signed out); this one stays.
 */
export async function changePassword(
  database: Database,
  session: { tokenId: string; personId: string },
  answers: { current: string; password: string; confirmation: string },
  now: Date,
): Promise<PasswordChange> {
  const [person] = await database.read((db) => db.select().from(people).where(eq(people.id, session.personId)));
  if (!person?.passwordHash) return { kind: 'invalid', problems: [{ field: 'current', problem: 'wrong' }] };
  const problems: Extract<PasswordChange, { kind: 'invalid' }>['problems'] = [];
  if (!(await passwordMatches(person.passwordHash, answers.current)))
    problems.push({ field: 'current', problem: 'wrong' });
  const problem = passwordProblem(answers.password, answers.confirmation, person);
  if (problem) problems.push({ field: problem === 'mismatch' ? 'confirmation' : 'password', problem });
  if (problems.length) return { kind: 'invalid', problems };
  const passwordHash = await hashPassword(answers.password);
  await database.transaction(async (tx) => {
    await tx.update(people).set({ passwordHash }).where(eq(people.id, person.id));
    await endSessionsOf(tx, person.id, now, session.tokenId);
  });
  return { kind: 'changed' };
}
