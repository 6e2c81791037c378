import { and, eq, inArray, lte, sql } from 'drizzle-orm';
import { accounts, journalEntries, pools, postings } from '../../db/schema/index';
import { canReadMember } from '../auth/permissions';
import type { Queryable } from '../db/database';
import { notFound } from '../domain/errors';
import { memberMoney } from '../domain/ledger';
import { type Money, ZERO, formatMoney, moneyFromDb, sum } from '../domain/money';
import type { UseCaseContext } from './context';
import { findCurrentMembership, requireMember, requirePool } from './lookups';
import { poolShareAccounts } from './lookups';

/**
 * Balances of accounts, signed debit-positive. Today's figures come from the cached balance rows (kept by the
 * postings trigger); an earlier `asOf` is summed from postings with value dates on or before it. Value dates are
 * never in the future, so both sources agree for today (a test recomputes every account to prove it).
 */
export async function accountBalances(
  db: Queryable,
  accountIds: readonly string[],
  asOf: string | null,
): Promise<Map<string, Money>> {
  const result = new Map<string, Money>(accountIds.map((id) => [id, ZERO]));
  if (accountIds.length === 0) return result;
  const ids = [...accountIds];
  if (asOf === null) {
    const rows = await db
      .select({ id: accounts.id, balance: accounts.balance })
      .from(accounts)
      .where(inArray(accounts.id, ids));
    for (const row of rows) result.set(row.id, moneyFromDb(row.balance));
    return result;
  }
  const rows = await db
    .select({ id: postings.accountId, balance: sql<string>`sum(${postings.amount})::text` })
    .from(postings)
    .innerJoin(journalEntries, eq(journalEntries.id, postings.entryId))
    .where(and(inArray(postings.accountId, ids), lte(journalEntries.valueDate, asOf)))
    .groupBy(postings.accountId);
  for (const row of rows) result.set(row.id, moneyFromDb(row.balance));
  return result;
}

/** Resolves a requested asOf: none, today or later means "now" (cached); an earlier date is summed. */
export function resolveAsOf(
  requested: string | undefined,
  today: string,
): { asOf: string; fromPostingsThrough: string | null } {
  if (!requested || requested >= today) return { asOf: requested ?? today, fromPostingsThrough: null };
  return { asOf: requested, fromPostingsThrough: requested };
}

export async function memberBalance(context: UseCaseContext, coopId: string, memberId: string, requestedAsOf?: string) {
  const { asOf, fromPostingsThrough } = resolveAsOf(requestedAsOf, context.today);
  return context.database.read(async (db) => {
    const member = await requireMember(db, coopId, memberId);
    if (!canReadMember(context.principal, member)) throw notFound('Member');
    const owned = await db
      .select({ id: accounts.id, kind: accounts.kind, poolId: accounts.poolId, poolName: pools.name })
      .from(accounts)
      .leftJoin(pools, eq(pools.id, accounts.poolId))
      .where(and(eq(accounts.memberId, memberId), inArray(accounts.kind, ['holder_funds', 'pool_share'])));
    const balances = await accountBalances(
      db,
      owned.map((a) => a.id),
      fromPostingsThrough,
    );
    const money = (id: string) => memberMoney(balances.get(id) ?? ZERO);
    const funds = sum(owned.filter((a) => a.kind === 'holder_funds').map((a) => money(a.id)));
    const shares = owned
      .filter((a) => a.kind === 'pool_share' && a.poolId)
      .map((a) => ({ poolId: a.poolId as string, name: a.poolName ?? '', share: money(a.id) }));
    return {
      memberId,
      asOf,
      funds: formatMoney(funds),
      pools: shares.map((s) => ({ ...s, share: formatMoney(s.share) })),
      total: formatMoney(funds.plus(sum(shares.map((s) => s.share)))),
    };
  });
}

/** A pool's total and shares; a holder sees the total and only their own share. */
export async function poolBalance(context: UseCaseContext, coopId: string, poolId: string, requestedAsOf?: string) {
  const { asOf, fromPostingsThrough } = resolveAsOf(requestedAsOf, context.today);
  const { principal } = context;
  return context.database.read(async (db) => {
    await requirePool(db, coopId, poolId);
    if (principal.role === 'holder' && !(await holderHasShareIn(db, poolId, principal.memberId ?? '')))
      throw notFound('Pool');
    const shareAccounts = await poolShareAccounts(db, poolId);
    const balances = await accountBalances(
      db,
      shareAccounts.map((a) => a.accountId),
      fromPostingsThrough,
    );
    const shares = shareAccounts.map((a) => ({
      memberId: a.memberId,
      name: a.name,
      share: memberMoney(balances.get(a.accountId) ?? ZERO),
    }));
    const visible = principal.role === 'holder' ? shares.filter((s) => s.memberId === principal.memberId) : shares;
    return {
      poolId,
      asOf,
      total: formatMoney(sum(shares.map((s) => s.share))),
      shares: visible.map((s) => ({ ...s, share: formatMoney(s.share) })),
    };
  });
}

/** A holder may look at a pool they are in now, or were in (they still may hold a share of it). */
export async function holderHasShareIn(db: Queryable, poolId: string, memberId: string): Promise<boolean> {
  if (await findCurrentMembership(db, poolId, memberId)) return true;
  const [account] = await db
    .select({ id: accounts.id })
    .from(accounts)
    .where(and(eq(accounts.poolId, poolId), eq(accounts.memberId, memberId), eq(accounts.kind, 'pool_share')));
  return account !== undefined;
}
