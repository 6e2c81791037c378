import { and, asc, eq, gt } from 'drizzle-orm';
import { accounts, awards, members } from '../../db/schema/index';
import { canReadMember } from '../auth/permissions';
import { newId } from '../db/ids';
import { isUniqueViolation } from '../db/errors';
import { holderFundsCode } from '../domain/account-codes';
import { DomainError, notFound } from '../domain/errors';
import { formatMoney, moneyFromDb, type Money } from '../domain/money';
import { recordAudit } from './audit';
import type { UseCaseContext } from './context';
import { findLocalAuthority, requireMember } from './lookups';
import { type PageRequest, pageOf } from './pagination';

export const STAKEHOLDER_CLASSES = ['holder', 'worker', 'supporter', 'family_carer'] as const;
export const LANGUAGES = ['en', 'cy'] as const;
export const AWARD_FREQUENCIES = ['weekly', 'four_weekly', 'monthly'] as const;

export interface NewMember {
  name: string;
  stakeholderClass: (typeof STAKEHOLDER_CLASSES)[number];
  localAuthorityId?: string | undefined;
  laReference?: string | undefined;
  preferredLanguage: (typeof LANGUAGES)[number];
}

export interface Award {
  amount: Money;
  frequency: (typeof AWARD_FREQUENCIES)[number];
  startsOn: string;
  endsOn?: string | undefined;
}

type MemberRow = typeof members.$inferSelect;
type AwardRow = typeof awards.$inferSelect;

function awardView(row: AwardRow | null | undefined) {
  if (!row) return null;
  return {
    amount: formatMoney(moneyFromDb(row.amount)),
    frequency: row.frequency,
    startsOn: row.startsOn,
    endsOn: row.endsOn,
  };
}

function memberView(row: MemberRow, award: AwardRow | null | undefined) {
  return {
    id: row.id,
    coopId: row.coopId,
    name: row.name,
    stakeholderClass: row.stakeholderClass,
    localAuthorityId: row.localAuthorityId,
    laReference: row.laReference,
    preferredLanguage: row.preferredLanguage,
    award: awardView(award),
    createdAt: row.createdAt.toISOString(),
  };
}

/**
 * Adds a member; a holder also gets their funds account. Holders need their LA and LA reference; other
 * stakeholders have neither.
 * Raises: `unprocessable` (422), `not-found` (404) for an unknown LA, `duplicate` (409) for a reused LA reference.
 */
export async function createMember({ database, principal }: UseCaseContext, coopId: string, input: NewMember) {
  const isHolder = input.stakeholderClass === 'holder';
  if (isHolder && (!input.localAuthorityId || !input.laReference)) {
    throw new DomainError('unprocessable', 'A holder needs localAuthorityId and laReference.', {
      errors: [
        ...(input.localAuthorityId ? [] : [{ path: 'body.localAuthorityId', message: 'required for holders' }]),
        ...(input.laReference ? [] : [{ path: 'body.laReference', message: 'required for holders' }]),
      ],
    });
  }
  if (!isHolder && (input.localAuthorityId || input.laReference)) {
    throw new DomainError('unprocessable', 'Only holders have a local authority and LA reference.', {
      errors: [
        { path: input.localAuthorityId ? 'body.localAuthorityId' : 'body.laReference', message: 'only for holders' },
      ],
    });
  }
  try {
    return await database.transaction(async (tx) => {
      if (input.localAuthorityId && !(await findLocalAuthority(tx, input.localAuthorityId)))
        throw notFound('Local authority');
      const id = newId();
      const [row] = await tx
        .insert(members)
        .values({
          id,
          coopId,
          name: input.name,
          stakeholderClass: input.stakeholderClass,
          localAuthorityId: input.localAuthorityId ?? null,
          laReference: input.laReference ?? null,
          preferredLanguage: input.preferredLanguage,
        })
        .returning();
      if (!row) throw new Error('insert returned nothing');
      if (isHolder && input.laReference) {
        await tx.insert(accounts).values({
          id: newId(),
          coopId,
          code: holderFundsCode(input.laReference),
          name: `Funds of ${input.laReference}`,
          kind: 'holder_funds',
          memberId: id,
          localAuthorityId: input.localAuthorityId ?? null,
        });
      }
      await recordAudit(tx, principal, { coopId, action: 'member.create', targetType: 'member', targetId: id });
      return memberView(row, null);
    });
  } catch (error) {
    if (isUniqueViolation(error))
      throw new DomainError('duplicate', 'Another member of this co-op has that LA reference.');
    throw error;
  }
}

/** Treasurers list the co-op; a holder sees only themselves; an LA officer only their LA's holders. */
export async function listMembers({ database, principal }: UseCaseContext, coopId: string, page: PageRequest) {
  const rows = await database.read((db) =>
    db
      .select({ member: members, award: awards })
      .from(members)
      .leftJoin(awards, eq(awards.memberId, members.id))
      .where(
        and(
          eq(members.coopId, coopId),
          principal.role === 'holder' ? eq(members.id, principal.memberId ?? '') : undefined,
          principal.role === 'la_officer' ? eq(members.localAuthorityId, principal.localAuthorityId ?? '') : undefined,
          page.afterId ? gt(members.id, page.afterId) : undefined,
        ),
      )
      .orderBy(asc(members.id))
      .limit(page.limit + 1),
  );
  return pageOf(
    rows.map((r) => ({ ...r, id: r.member.id })),
    page.limit,
    (r) => memberView(r.member, r.award),
  );
}

export async function getMember({ database, principal }: UseCaseContext, coopId: string, memberId: string) {
  const [found] = await database.read((db) =>
    db
      .select({ member: members, award: awards })
      .from(members)
      .leftJoin(awards, eq(awards.memberId, members.id))
      .where(and(eq(members.id, memberId), eq(members.coopId, coopId))),
  );
  if (!found || !canReadMember(principal, found.member)) throw notFound('Member');
  return memberView(found.member, found.award);
}

/** Sets a holder's current DP award (replacing any earlier one; the audit log keeps the change). */
export async function putAward(
  { database, principal }: UseCaseContext,
  coopId: string,
  memberId: string,
  award: Award,
) {
  if (award.endsOn && award.endsOn < award.startsOn) {
    throw new DomainError('unprocessable', 'The award ends before it starts.', {
      errors: [{ path: 'body.endsOn', message: 'must not be before startsOn' }],
    });
  }
  return database.transaction(async (tx) => {
    const member = await requireMember(tx, coopId, memberId);
    if (member.stakeholderClass !== 'holder') {
      throw new DomainError('unprocessable', 'Only holders have a Direct Payment award.');
    }
    const values = {
      amount: formatMoney(award.amount),
      frequency: award.frequency,
      startsOn: award.startsOn,
      endsOn: award.endsOn ?? null,
      updatedAt: new Date(),
    };
    const [row] = await tx
      .insert(awards)
      .values({ memberId, ...values })
      .onConflictDoUpdate({ target: awards.memberId, set: values })
      .returning();
    await recordAudit(tx, principal, { coopId, action: 'member.award.put', targetType: 'member', targetId: memberId });
    return { memberId, ...awardView(row)! };
  });
}
