import { Decimal, type Money, type Quantity, ZERO, quantity, sum } from './money';

/**
 * Splitting a total across members, exact to the penny: each member's exact share (total × weight ÷ total weight)
 * is rounded down to pennies, then the pennies left over go one each to the largest remainders, ties broken by
 * member id. The shares always sum to the total and the same input always gives the same split, whatever its order.
 */
export const ALLOCATION_METHODS = ['equal', 'weights', 'usage', 'contributions'] as const;
export type AllocationMethod = (typeof ALLOCATION_METHODS)[number];

export interface Weighted {
  memberId: string;
  /** How much of the total this member bears, relative to the others: a weight, hours, pounds contributed. */
  weight: Quantity;
}

export interface Allocation {
  memberId: string;
  amount: Money;
}

export class AllocationError extends Error {}

export function allocate(total: Money, weighted: readonly Weighted[]): Allocation[] {
  if (!total.mul(100).isInteger()) throw new AllocationError('the total has fractions of a penny');
  if (weighted.length === 0) throw new AllocationError('nobody to split between');
  if (new Set(weighted.map((w) => w.memberId)).size !== weighted.length)
    throw new AllocationError('a member appears twice');
  if (weighted.some((w) => w.weight.isNegative())) throw new AllocationError('a weight is negative');
  const weightTotal = sum(weighted.map((w) => w.weight));
  if (weightTotal.isZero()) throw new AllocationError('the weights add up to zero');

  // Work in whole numbers so equal remainders compare equal exactly (⅓ = ⅓ however large the share):
  // weights are scaled to integers, and each share is (pence × weight) divided by the total weight, with remainder.
  const scale = new Decimal(10).pow(Math.max(0, ...weighted.map((w) => w.weight.decimalPlaces())));
  const integerWeightTotal = weightTotal.mul(scale);
  const totalPence = total.mul(100);
  const sign = totalPence.isNegative() ? -1 : 1;
  const magnitude = totalPence.abs();
  const exact = [...weighted]
    .sort((a, b) => (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0))
    .map((w) => {
      const numerator = magnitude.mul(w.weight.mul(scale));
      const floor = numerator.divToInt(integerWeightTotal);
      return {
        memberId: w.memberId,
        floor,
        remainder: numerator.minus(floor.mul(integerWeightTotal)),
        hasWeight: !w.weight.isZero(),
      };
    });
  let leftoverPence = magnitude.minus(sum(exact.map((e) => e.floor))); // fewer pennies than members
  const byRemainder = exact
    .map((e, index) => ({ ...e, index }))
    .filter((e) => e.hasWeight)
    .sort((a, b) => b.remainder.comparedTo(a.remainder) || a.index - b.index);
  const extra = new Set<number>();
  for (const e of byRemainder) {
    if (leftoverPence.lte(0)) break;
    extra.add(e.index);
    leftoverPence = leftoverPence.minus(1);
  }
  return exact.map((e, index) => ({
    memberId: e.memberId,
    amount: e.floor
      .plus(extra.has(index) ? 1 : 0)
      .mul(sign)
      .div(100),
  }));
}

/** Equal shares are weights of one each. */
export function equalWeights(memberIds: readonly string[]): Weighted[] {
  return memberIds.map((memberId) => ({ memberId, weight: quantity(1) }));
}

export function allocationTotal(allocations: readonly Allocation[]): Money {
  return allocations.reduce<Money>((acc, a) => acc.plus(a.amount), ZERO);
}
