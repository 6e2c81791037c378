import { Decimal, type MemberMoney, type Money, ZERO, formatMoney, toPennies } from './money';

/** A DP award per week: weekly as is, four-weekly ÷ 4, monthly × 12 ÷ 52. */
export function weeklyAward(award: { amount: Money; frequency: string }): Decimal {
  if (award.frequency === 'four_weekly') return award.amount.div(4);
  if (award.frequency === 'monthly') return award.amount.mul(12).div(52);
  return award.amount;
}

/**
 * Where a holder's money stands against their award: how many weeks of it the money covers, and how far it is
 * above the LA's surplus threshold (that many weeks of the weekly award), as the statements report them.
 */
export function holderStanding(
  total: MemberMoney,
  award: { amount: Money; frequency: string } | null,
  /** Null when the holder has no LA, so no threshold. */
  thresholdWeeks: number | null,
): { weeksOfAward: string | null; surplusAboveThreshold: string | null; thresholdAmount: string | null } {
  // An award is always more than zero (a CHECK): no award, no weeks and no threshold.
  const weekly = award ? weeklyAward(award) : null;
  if (!weekly || weekly.isZero()) return { weeksOfAward: null, surplusAboveThreshold: null, thresholdAmount: null };
  const weeksOfAward = total.div(weekly).toFixed(1, Decimal.ROUND_HALF_UP);
  if (thresholdWeeks === null) return { weeksOfAward, surplusAboveThreshold: null, thresholdAmount: null };
  const threshold = weekly.mul(thresholdWeeks);
  return {
    weeksOfAward,
    surplusAboveThreshold: formatMoney(toPennies(Decimal.max(ZERO, total.minus(threshold)), Decimal.ROUND_HALF_UP)),
    thresholdAmount: formatMoney(toPennies(threshold, Decimal.ROUND_HALF_UP)),
  };
}
