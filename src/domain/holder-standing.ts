import { weeklyAward } from './statements/holder-statement';
import { Decimal, type MemberMoney, type Money, ZERO, formatMoney, toPennies } from './money';

/**
 * Where a holder's money stands against their award: how many weeks of it the money covers, and how far it is
 * above the LA's surplus threshold (that many weeks of the weekly award), as the statements report them.
 */
export function holderStanding(
  total: MemberMoney,
  award: { amount: Money; frequency: string } | null,
  thresholdWeeks: number,
): { weeksOfAward: string | null; surplusAboveThreshold: string | null; thresholdAmount: string | null } {
  const weekly = award ? weeklyAward(award) : null;
  if (!weekly || weekly.isZero()) return { weeksOfAward: null, surplusAboveThreshold: null, thresholdAmount: null };
  const threshold = weekly.mul(thresholdWeeks);
  return {
    weeksOfAward: total.div(weekly).toFixed(1, Decimal.ROUND_HALF_UP),
    surplusAboveThreshold: formatMoney(toPennies(Decimal.max(ZERO, total.minus(threshold)), Decimal.ROUND_HALF_UP)),
    thresholdAmount: formatMoney(toPennies(threshold, Decimal.ROUND_HALF_UP)),
  };
}
