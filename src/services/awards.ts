import { type SQL, and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { awards } from '../../db/schema/index';
import type { Queryable, Tx } from '../db/database';
import { newId } from '../db/ids';
import { awardInForceOn, planAwardChange } from '../domain/awards';
import { invalidInput } from '../domain/errors';
import { type Money, formatMoney, moneyFromDb } from '../domain/money';
import type { AwardFrequency } from '../domain/vocabulary';
import { recordAudit } from './audit';
import type { UseCaseContext } from './context';
import { requireMember } from './lookups';
import { closedThroughOf } from './reconciliation/queries';

export interface AwardInput {
  amount: Money;
  frequency: AwardFrequency;
  startsOn: string;
  endsOn?: string | undefined;
}

type AwardRow = typeof awards.$inferSelect;

export function awardView(row: AwardRow) {
  return {
    id: row.id,
    amount: formatMoney(moneyFromDb(row.amount)),
    frequency: row.frequency,
    startsOn: row.startsOn,
    endsOn: row.endsOn,
    replacedBy: row.replacedByAwardId,
  };
}

/** Every award of these members, replaced ones included, oldest first. */
export async function awardsOf(db: Queryable, memberIds: readonly string[]): Promise<Map<string, AwardRow[]>> {
  const byMember = new Map<string, AwardRow[]>(memberIds.map((id) => [id, []]));
  if (memberIds.length === 0) return byMember;
  const rows = await db
    .select()
    .from(awards)
    .where(inArray(awards.memberId, [...memberIds]))
    .orderBy(asc(awards.startsOn), asc(awards.id));
  for (const row of rows) byMember.get(row.memberId)?.push(row);
  return byMember;
}

/** The member's awards as the API shows them: the award in force on `today`, and the whole history. */
export function memberAwards(rows: readonly AwardRow[], today: string) {
  const live = rows.filter((r) => r.replacedByAwardId === null);
  const current = awardInForceOn(live, today);
  return { award: current ? awardView(current) : null, awards: rows.map(awardView) };
}

/**
 * SQL for "the award in force on this date" of a member, as a JSON object `{amount, frequency}` (or null): what every
 * statement uses, so a past period is always measured against the award of its own time.
 */
export function awardInForceJson(memberId: SQL, onDate: SQL): SQL {
  return sql`(select json_build_object('amount', aw.amount::text, 'frequency', aw.frequency)
                from awards aw
               where aw.member_id = ${memberId} and aw.replaced_by_award_id is null
                 and aw.starts_on <= ${onDate} and (aw.ends_on is null or aw.ends_on >= ${onDate}))`;
}

/**
 * Records a holder's award from `startsOn`: the award in force before it ends the day before; an award recorded for
 * dates from then on (a correction, or a change recorded ahead) is marked replaced by this one. Nothing in a closed
 * period changes. Raises: `not-found`, `unprocessable` (not a holder, end before start), `period-closed` (409).
 */
export async function putAward(
  { database, principal, today }: UseCaseContext,
  coopId: string,
  memberId: string,
  input: AwardInput,
) {
  return database.transaction(async (tx) => {
    const member = await requireMember(tx, coopId, memberId);
    if (member.stakeholderClass !== 'holder') {
      throw invalidInput({ field: 'memberId', message: 'not a holder' }, 'Only holders have a Direct Payment award.');
    }
    await lockAwardsOf(tx, memberId);
    const live = await tx
      .select()
      .from(awards)
      .where(and(eq(awards.memberId, memberId), isNull(awards.replacedByAwardId)));
    const endsOn = input.endsOn ?? null;
    const plan = planAwardChange(live, { startsOn: input.startsOn, endsOn }, await closedThroughOf(tx, coopId));
    const id = newId();
    const [row] = await tx
      .insert(awards)
      .values({
        id,
        coopId,
        memberId,
        amount: formatMoney(input.amount),
        frequency: input.frequency,
        startsOn: input.startsOn,
        endsOn,
        createdByTokenId: principal.tokenId,
      })
      .returning();
    for (const ending of plan.endings) {
      await tx.update(awards).set({ endsOn: ending.endsOn }).where(eq(awards.id, ending.id));
    }
    if (plan.replaced.length > 0) {
      await tx.update(awards).set({ replacedByAwardId: id }).where(inArray(awards.id, plan.replaced));
    }
    await recordAudit(tx, principal, { coopId, action: 'member.award.put', targetType: 'member', targetId: memberId });
    const history = (await awardsOf(tx, [memberId])).get(memberId) ?? [];
    return { memberId, ...awardView(row!), ...memberAwards(history, today) };
  });
}

/** Changes to one holder's awards queue here (the database's award trigger takes the same lock). */
async function lockAwardsOf(tx: Tx, memberId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(7307, hashtext(${memberId}::text))`);
}
