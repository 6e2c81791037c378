import { and, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import { people, supporterLinks } from '../../../db/schema/index';
import { notFound } from '../../domain/errors';
import { recordAudit } from '../audit';
import type { UseCaseContext } from '../context';
import { type PageRequest, keyset } from '../pagination';
import { endSessionsOf } from './sessions';

type PersonRow = typeof people.$inferSelect;

function personView(row: PersonRow) {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    role: row.role,
    coopId: row.coopId,
    memberId: row.memberId,
    localAuthorityId: row.localAuthorityId,
    preferredLanguage: row.preferredLanguage,
    /** Whether they have chosen a password (accepted an invitation). */
    canSignIn: row.passwordHash !== null && row.suspendedAt === null,
    createdAt: row.createdAt.toISOString(),
    suspendedAt: row.suspendedAt?.toISOString() ?? null,
  };
}

/** A treasurer sees the people of their own co-op: its holders and treasurers, and the supporters of its holders. */
export const visibleTo = (principal: UseCaseContext['principal']) =>
  principal.role === 'treasurer'
    ? or(
        eq(people.coopId, principal.coopId ?? ''),
        inArray(
          people.id,
          sql`(select ${supporterLinks.supporterPersonId} from ${supporterLinks} where ${supporterLinks.coopId} = ${principal.coopId ?? ''}::uuid)`,
        ),
      )
    : undefined;

/** People who can sign in, oldest id first, a page at a time: every one for an admin, a treasurer's co-op's for them. */
export async function listPeople({ database, principal }: UseCaseContext, page: PageRequest) {
  const keys = keyset(people.id, page);
  const rows = await database.read((db) =>
    db
      .select()
      .from(people)
      .where(and(visibleTo(principal), keys.after))
      .orderBy(keys.orderBy)
      .limit(keys.limit),
  );
  return keys.page(rows, personView);
}

/** Suspends a person: they cannot sign in, and their sessions end at once. Raises `not-found` if not the caller's. */
export async function suspendPerson({ database, principal, now }: UseCaseContext, personId: string) {
  return database.transaction(async (tx) => {
    const [row] = await tx
      .update(people)
      .set({ suspendedAt: now })
      .where(and(eq(people.id, personId), isNull(people.suspendedAt), visibleTo(principal)))
      .returning();
    const found =
      row ??
      (
        await tx
          .select()
          .from(people)
          .where(and(eq(people.id, personId), visibleTo(principal)))
      )[0];
    if (!found) throw notFound('Person');
    await endSessionsOf(tx, personId, now);
    await recordAudit(tx, principal, {
      coopId: found.coopId,
      action: 'person.suspend',
      targetType: 'person',
      targetId: personId,
    });
    return personView(found);
  });
}
