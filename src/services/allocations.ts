import { and, eq, gte, inArray, isNull, lte, sql } from 'drizzle-orm';
import {
  accounts,
  allocationInputs,
  allocationRecords,
  journalEntries,
  poolMemberships,
  postings,
} from '../../db/schema/index';
import type { Queryable, Tx } from '../db/database';
import { type Allocation, AllocationError, type Weighted, allocate, equalWeights } from '../domain/allocation';
import { invalidField } from '../domain/errors';
import { memberMoneySql } from './ledger/queries';
import { Decimal, type Money, formatMoney, moneyFromDb, quantity } from '../domain/money';

/** An allocation as a request states it (the allocation in the REST contract), with decimals already parsed. */
export type AllocationRequest =
  | { method: 'equal' }
  | { method: 'weights'; weights: Record<string, Decimal> }
  | { method: 'usage'; units: Record<string, Decimal> }
  | { method: 'contributions'; from: string; to: string };

export interface ResolvedAllocation {
  request: AllocationRequest;
  weighted: Weighted[];
  allocations: Allocation[];
  /** Members of the pool on the day whom this split charges nothing (not named in usage, nothing contributed). */
  notCharged: string[];
}

/**
 * Splits `total` across the members of a pool on a day (current members who had joined by then) by the requested
 * method. Weights must name every such member (0 leaves one out, on purpose); usage names those who used the
 * service, and the others are listed as not charged. Raises `unprocessable` (422) naming the field.
 */
export async function allocateInPool(
  db: Queryable,
  poolId: string,
  onDate: string,
  total: Money,
  request: AllocationRequest,
  field = 'allocation',
): Promise<ResolvedAllocation> {
  const memberIds = await memberIdsOn(db, poolId, onDate);
  const weighted = await resolvePoolWeights(db, poolId, onDate, request, field);
  try {
    const allocations = allocate(total, weighted);
    const charged = new Set(allocations.filter((a) => !a.amount.isZero()).map((a) => a.memberId));
    return { request, weighted, allocations, notCharged: memberIds.filter((id) => !charged.has(id)) };
  } catch (error) {
    if (error instanceof AllocationError) throw invalidField(field, error.message);
    throw error;
  }
}

/** The weights an allocation request gives a pool's members on a day. Raises `unprocessable` naming the field. */
export async function resolvePoolWeights(
  db: Queryable,
  poolId: string,
  onDate: string,
  request: AllocationRequest,
  field: string,
): Promise<Weighted[]> {
  const memberIds = await memberIdsOn(db, poolId, onDate);
  if (memberIds.length === 0) throw invalidField(field, 'the pool has no members to split between');
  const weighted = await weightsFor(db, poolId, memberIds, request, field);
  if (weighted.every((w) => w.weight.isZero())) throw invalidField(field, 'the weights add up to zero');
  return weighted;
}

async function weightsFor(
  db: Queryable,
  poolId: string,
  memberIds: string[],
  request: AllocationRequest,
  field: string,
): Promise<Weighted[]> {
  switch (request.method) {
    case 'equal':
      return equalWeights(memberIds);
    case 'weights': {
      const missing = memberIds.find((id) => !(id in request.weights));
      if (missing) {
        throw invalidField(
          `${field}.weights.${missing}`,
          'every member of the pool needs a weight (0 leaves them out)',
        );
      }
      return named(memberIds, request.weights, `${field}.weights`);
    }
    case 'usage':
      return named(memberIds, request.units, `${field}.units`);
    case 'contributions': {
      if (request.to < request.from) throw invalidField(`${field}.to`, 'must not be before from');
      const contributed = await contributionsBetween(db, poolId, memberIds, request.from, request.to);
      // Pounds contributed, counted as a weight: the split follows them, it does not pay them back.
      return memberIds.map((memberId) => ({ memberId, weight: quantity(contributed.get(memberId) ?? 0) }));
    }
  }
}

function named(memberIds: string[], values: Record<string, Decimal>, path: string): Weighted[] {
  const unknown = Object.keys(values).filter((id) => !memberIds.includes(id));
  if (unknown.length > 0) throw invalidField(`${path}.${unknown[0]}`, 'not a member of the pool on that date');
  return Object.entries(values).map(([memberId, weight]) => ({ memberId, weight: quantity(weight) }));
}

/** Who a split on `onDate` is between: the pool's current members who had joined by then. */
async function memberIdsOn(db: Queryable, poolId: string, onDate: string): Promise<string[]> {
  const rows = await db
    .select({ memberId: poolMemberships.memberId })
    .from(poolMemberships)
    .where(
      and(eq(poolMemberships.poolId, poolId), isNull(poolMemberships.leftAt), lte(poolMemberships.joinedOn, onDate)),
    )
    .orderBy(poolMemberships.memberId);
  return rows.map((r) => r.memberId);
}

/** Each member's contributions into the pool between two value dates (net of reversals of those contributions). */
async function contributionsBetween(
  db: Queryable,
  poolId: string,
  memberIds: string[],
  from: string,
  to: string,
): Promise<Map<string, Decimal>> {
  const rows = await db
    .select({
      memberId: accounts.memberId,
      contributed: sql<string>`(${memberMoneySql(sql`sum(${postings.amount})`)})::text`,
    })
    .from(postings)
    .innerJoin(accounts, eq(accounts.id, postings.accountId))
    .innerJoin(journalEntries, eq(journalEntries.id, postings.entryId))
    .where(
      and(
        eq(accounts.poolId, poolId),
        eq(accounts.kind, 'pool_share'),
        inArray(accounts.memberId, memberIds),
        inArray(journalEntries.kind, ['pool_contribution']),
        gte(journalEntries.valueDate, from),
        lte(journalEntries.valueDate, to),
      ),
    )
    .groupBy(accounts.memberId);
  return new Map(rows.map((r) => [r.memberId ?? '', Decimal.max(moneyFromDb(r.contributed), 0)]));
}

/** Keeps how an entry's charge was split, for statements. */
export async function recordAllocation(
  tx: Tx,
  coopId: string,
  entryId: string,
  resolved: Pick<ResolvedAllocation, 'request' | 'weighted' | 'allocations'>,
): Promise<void> {
  const { request } = resolved;
  await tx.insert(allocationRecords).values({
    entryId,
    method: request.method,
    rangeFrom: request.method === 'contributions' ? request.from : null,
    rangeTo: request.method === 'contributions' ? request.to : null,
  });
  const amounts = new Map(resolved.allocations.map((a) => [a.memberId, a.amount]));
  await tx.insert(allocationInputs).values(
    resolved.weighted.map((w) => ({
      entryId,
      coopId,
      memberId: w.memberId,
      input: w.weight.toFixed(2),
      amount: formatMoney(amounts.get(w.memberId) ?? new Decimal(0)),
    })),
  );
}

export function allocationsView(allocations: readonly Allocation[]) {
  return allocations.map((a) => ({ memberId: a.memberId, amount: formatMoney(a.amount) }));
}
