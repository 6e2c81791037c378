import { and, asc, eq, gte, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import { accounts, awards, coops, localAuthorities, members } from '../../../db/schema/index';
import { notFound } from '../../domain/errors';
import { holderStanding } from '../../domain/holder-standing';
import { memberMoney } from '../../domain/ledger';
import { type MemberMoney, ZERO, decimal, formatMoney, moneyFromDb } from '../../domain/money';
import type { UseCaseContext } from '../context';
import { lastReceipts } from './accounts';

export const HOLDER_SORTS = ['name', 'reference', 'coop', 'balance', 'weeks', 'surplus', 'lastReceipt'] as const;
export type HolderSort = (typeof HOLDER_SORTS)[number];

export interface HolderListQuery {
  search?: string | undefined;
  coopId?: string | undefined;
  aboveThresholdOnly: boolean;
  sort: HolderSort;
  descending: boolean;
  page: number;
  pageSize: number;
}

export interface MonitoredHolder {
  memberId: string;
  coopId: string;
  coopName: string;
  coopNameCy: string | null;
  name: string;
  laReference: string;
  balance: string;
  weeksOfAward: string | null;
  surplusAboveThreshold: string | null;
  lastReceipt: { valueDate: string; amount: string } | null;
}

/**
 * An LA officer's holders across every co-op, today: balance, weeks of award, surplus above the LA's threshold and
 * the last Direct Payment received; searched, filtered, sorted and cut into pages. Raises `not-found` for an LA that
 * is not the officer's.
 */
export async function monitoredHolders({ database, principal, today }: UseCaseContext, query: HolderListQuery) {
  const laId = principal.role === 'la_officer' ? principal.localAuthorityId : null;
  if (!laId) throw notFound('Local authority');
  const { la, holders, coopsOfLa } = await database.read(async (db) => {
    const [la] = await db.select().from(localAuthorities).where(eq(localAuthorities.id, laId));
    if (!la) throw notFound('Local authority');
    const holders = await db
      .select({
        memberId: members.id,
        coopId: members.coopId,
        coopName: coops.name,
        coopNameCy: coops.nameCy,
        name: members.name,
        laReference: members.laReference,
        ledgerBalance: sql<string>`coalesce(sum(${accounts.balance}), 0)::text`,
      })
      .from(members)
      .innerJoin(coops, eq(coops.id, members.coopId))
      .leftJoin(
        accounts,
        and(eq(accounts.memberId, members.id), inArray(accounts.kind, ['holder_funds', 'pool_share'])),
      )
      .where(and(eq(members.localAuthorityId, laId), eq(members.stakeholderClass, 'holder')))
      .groupBy(members.id, coops.id);
    const inForce = await db
      .select({ memberId: awards.memberId, amount: awards.amount, frequency: awards.frequency })
      .from(awards)
      .innerJoin(members, eq(members.id, awards.memberId))
      .where(
        and(
          eq(members.localAuthorityId, laId),
          isNull(awards.replacedByAwardId),
          lte(awards.startsOn, today),
          or(isNull(awards.endsOn), gte(awards.endsOn, today)),
        ),
      );
    const receipts = await lastReceipts(db, { localAuthorityId: laId });
    const coopsOfLa = await db
      .selectDistinct({ id: coops.id, name: coops.name, nameCy: coops.nameCy })
      .from(coops)
      .innerJoin(members, eq(members.coopId, coops.id))
      .where(and(eq(members.localAuthorityId, laId), eq(members.stakeholderClass, 'holder')))
      .orderBy(asc(coops.name), asc(coops.id));
    return {
      la,
      coopsOfLa,
      holders: joinHolders(holders, inForce, receipts, la.surplusThresholdWeeks),
    };
  });
  const listed = sortHolders(filterHolders(holders, query), query.sort, query.descending);
  const pages = Math.max(1, Math.ceil(listed.length / query.pageSize));
  const page = Math.min(Math.max(1, query.page), pages);
  return {
    localAuthority: { id: la.id, name: la.name, nameCy: la.nameCy, surplusThresholdWeeks: la.surplusThresholdWeeks },
    coops: coopsOfLa,
    total: listed.length,
    page,
    pages,
    holders: listed.slice((page - 1) * query.pageSize, page * query.pageSize),
  };
}

type HolderRow = {
  memberId: string;
  coopId: string;
  coopName: string;
  coopNameCy: string | null;
  name: string;
  laReference: string | null;
  ledgerBalance: string;
};

function joinHolders(
  holders: HolderRow[],
  inForce: { memberId: string; amount: string; frequency: string }[],
  receipts: { memberId: string | null; valueDate: string; amount: string }[],
  thresholdWeeks: number,
): (MonitoredHolder & { total: MemberMoney })[] {
  const awardOf = new Map(inForce.map((a) => [a.memberId, { amount: decimal(a.amount), frequency: a.frequency }]));
  const receiptOf = new Map(receipts.map((r) => [r.memberId, r]));
  return holders.map((h) => {
    const total = memberMoney(moneyFromDb(h.ledgerBalance));
    const standing = holderStanding(total, awardOf.get(h.memberId) ?? null, thresholdWeeks);
    const receipt = receiptOf.get(h.memberId);
    return {
      memberId: h.memberId,
      coopId: h.coopId,
      coopName: h.coopName,
      coopNameCy: h.coopNameCy,
      name: h.name,
      laReference: h.laReference ?? '',
      balance: formatMoney(total),
      total,
      weeksOfAward: standing.weeksOfAward,
      surplusAboveThreshold: standing.surplusAboveThreshold,
      lastReceipt: receipt
        ? { valueDate: receipt.valueDate, amount: formatMoney(memberMoney(moneyFromDb(receipt.amount))) }
        : null,
    };
  });
}

function filterHolders<T extends MonitoredHolder>(holders: T[], query: HolderListQuery): T[] {
  const search = query.search?.trim().toLowerCase();
  return holders.filter(
    (h) =>
      (!search || h.name.toLowerCase().includes(search) || h.laReference.toLowerCase().includes(search)) &&
      (!query.coopId || h.coopId === query.coopId) &&
      (!query.aboveThresholdOnly || (h.surplusAboveThreshold !== null && decimal(h.surplusAboveThreshold).gt(ZERO))),
  );
}

const collator = new Intl.Collator('en-GB', { sensitivity: 'base', numeric: true });
const byDecimal = (a: string | null, b: string | null) =>
  a === null ? (b === null ? 0 : -1) : b === null ? 1 : decimal(a).comparedTo(decimal(b));

const COMPARE: Record<HolderSort, (a: MonitoredHolder, b: MonitoredHolder) => number> = {
  name: (a, b) => collator.compare(a.name, b.name),
  reference: (a, b) => collator.compare(a.laReference, b.laReference),
  coop: (a, b) => collator.compare(a.coopName, b.coopName),
  balance: (a, b) => byDecimal(a.balance, b.balance),
  weeks: (a, b) => byDecimal(a.weeksOfAward, b.weeksOfAward),
  surplus: (a, b) => byDecimal(a.surplusAboveThreshold, b.surplusAboveThreshold),
  lastReceipt: (a, b) => (a.lastReceipt?.valueDate ?? '').localeCompare(b.lastReceipt?.valueDate ?? ''),
};

/** Sorted by the asked key, then by name and id, so a page never reshuffles between requests. */
function sortHolders<T extends MonitoredHolder>(holders: T[], sort: HolderSort, descending: boolean): T[] {
  const sign = descending ? -1 : 1;
  return [...holders].sort(
    (a, b) => sign * COMPARE[sort](a, b) || COMPARE.name(a, b) || a.memberId.localeCompare(b.memberId),
  );
}
