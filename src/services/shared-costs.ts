import { and, eq, inArray } from 'drizzle-orm';
import { accounts, sharedCosts } from '../../db/schema/index';
import type { Queryable, Tx } from '../db/database';
import { newId } from '../db/ids';
import type { SharedCostCategory } from '../domain/categories';
import type { PostingDraft } from '../domain/ledger';
import { type Money, formatMoney } from '../domain/money';
import { type AllocationRequest, allocateInPool, allocationsView, recordAllocation } from './allocations';
import type { UseCaseContext } from './context';
import { postEntry } from './ledger/post-entry';
import { requireBankAccountId, requirePool } from './lookups';
import { type MoneyWrite, assertNotFuture, postingContextOf, runMoneyWrite } from './money-writes';
import { requireProvider } from './providers';

export interface SharedCostInput {
  category: SharedCostCategory;
  description: string;
  amount: Money;
  date: string;
  providerId?: string | undefined;
  allocation: AllocationRequest;
}

/** The split a shared cost would get, with nothing posted. Same computation as posting it. */
export async function previewSharedCost(
  { database }: UseCaseContext,
  coopId: string,
  poolId: string,
  input: SharedCostInput,
) {
  return database.read(async (db) => {
    await requirePool(db, coopId, poolId);
    if (input.providerId) await requireProvider(db, coopId, input.providerId);
    const resolved = await allocateInPool(db, poolId, input.date, input.amount, input.allocation, 'allocation');
    return {
      method: input.allocation.method,
      allocations: allocationsView(resolved.allocations),
      notCharged: resolved.notCharged,
    };
  });
}

/**
 * A cost shared by a pool's members (admin, insurance, payroll bureau…), paid from the bank at once and charged to
 * each member's share by the allocation. Refused whole (422 insufficient-funds, naming each member short and by how
 * much) if any share would go below zero.
 */
export function postSharedCost(write: MoneyWrite, poolId: string, input: SharedCostInput) {
  assertNotFuture(input.date, write.today, 'date');
  return runMoneyWrite(write, (tx) => recordSharedCost(tx, write, poolId, input));
}

/** Posts a shared cost inside the caller's transaction (a bank charge booked from a bank line is one too). */
export async function recordSharedCost(tx: Tx, write: MoneyWrite, poolId: string, input: SharedCostInput) {
  const pool = await requirePool(tx, write.coopId, poolId);
  if (input.providerId) await requireProvider(tx, write.coopId, input.providerId);
  const resolved = await allocateInPool(tx, poolId, input.date, input.amount, input.allocation, 'allocation');
  const shareAccounts = await shareAccountsOf(
    tx,
    poolId,
    resolved.allocations.map((a) => a.memberId),
  );
  const charges: PostingDraft[] = resolved.allocations
    .filter((a) => !a.amount.isZero())
    .map((a) => ({
      accountId: shareAccounts.get(a.memberId)!,
      memberId: a.memberId,
      amount: a.amount,
      category: input.category,
    }));
  const entryId = await postEntry(tx, postingContextOf(write, 'shared_cost.create'), {
    kind: 'shared_cost',
    valueDate: input.date,
    memo: `${pool.name}: ${input.description}`,
    postings: [
      ...charges,
      { accountId: await requireBankAccountId(tx, write.coopId), memberId: null, amount: input.amount.negated() },
    ],
  });
  await recordAllocation(tx, write.coopId, entryId, resolved);
  const id = newId();
  await tx.insert(sharedCosts).values({
    id,
    coopId: write.coopId,
    poolId,
    entryId,
    category: input.category,
    description: input.description,
    amount: formatMoney(input.amount),
    costDate: input.date,
    providerId: input.providerId ?? null,
  });
  return {
    id,
    entryId,
    method: input.allocation.method,
    amount: formatMoney(input.amount),
    allocations: allocationsView(resolved.allocations),
  };
}

/** Share accounts of the given members in a pool, by member id. */
export async function shareAccountsOf(
  db: Queryable,
  poolId: string,
  memberIds: string[],
): Promise<Map<string, string>> {
  if (memberIds.length === 0) return new Map();
  const rows = await db
    .select({ id: accounts.id, memberId: accounts.memberId })
    .from(accounts)
    .where(and(eq(accounts.poolId, poolId), eq(accounts.kind, 'pool_share'), inArray(accounts.memberId, memberIds)));
  return new Map(rows.map((r) => [r.memberId ?? '', r.id]));
}
