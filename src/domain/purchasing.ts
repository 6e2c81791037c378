import { Decimal, type Money, sum, toPennies } from './money';
import type { RateUnit, TierPeriod } from './vocabulary';

/**
 * Collective buying, as pure functions: line totals, what the same units would cost each member alone, volume
 * tiers, and the fair-pay check. Rates and units are decimals with at most two places; line totals are
 * units × rate rounded half-up to the penny.
 */
export function lineAmount(units: Decimal, unitRate: Money): Money {
  return toPennies(units.mul(unitRate), Decimal.ROUND_HALF_UP);
}

export interface Tier {
  minUnits: Decimal;
  rate: Money;
}

export interface ServiceRate {
  serviceType: string;
  unit: RateUnit;
  individualRate: Money;
  tierPeriod: TierPeriod;
  tiers: Tier[];
}

/** The rate for a volume: the tier with the largest threshold reached, else the individual rate. */
export function rateForVolume(rate: ServiceRate, unitsPerTierPeriod: Decimal): Money {
  const reached = rate.tiers.filter((t) => unitsPerTierPeriod.gte(t.minUnits));
  if (reached.length === 0) return rate.individualRate;
  return reached.reduce((best, t) => (t.minUnits.gt(best.minUnits) ? t : best)).rate;
}

/** Units over one period expressed per the rate card's tier period (a month is 52/12 weeks). */
export function unitsPerTierPeriod(units: Decimal, period: TierPeriod, tierPeriod: TierPeriod): Decimal {
  if (period === tierPeriod) return units;
  return period === 'month' ? units.mul(12).div(52) : units.mul(52).div(12);
}

export interface QuoteInput {
  units: { memberId: string; units: Decimal }[];
  period: TierPeriod;
}

export interface Quote {
  unitRate: Money;
  total: Money;
  individualTotal: Money;
  saving: Money;
}

/** What a pool would pay at its combined volume, against what each member would pay alone at the individual rate. */
export function quote(rate: ServiceRate, input: QuoteInput): Quote {
  const combined = sum(input.units.map((u) => u.units));
  const unitRate = rateForVolume(rate, unitsPerTierPeriod(combined, input.period, rate.tierPeriod));
  const total = lineAmount(combined, unitRate);
  const individualTotal = sum(input.units.map((u) => lineAmount(u.units, rate.individualRate)));
  return { unitRate, total, individualTotal, saving: individualTotal.minus(total) };
}

export interface FairPayThreshold {
  /** First day the figure applies. */
  effectiveFrom: string;
  realLivingWageHourly: Money;
  /** Employer on-costs (NI, pension, holiday, training) as a fraction of pay, e.g. 0.25. */
  onCostRate: Decimal;
}

/** The threshold in force on a date: the latest whose effective date is on or before it. */
export function fairPayThresholdOn(date: string, thresholds: readonly FairPayThreshold[]): FairPayThreshold | null {
  const applicable = thresholds
    .filter((t) => t.effectiveFrom <= date)
    .sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? 1 : -1));
  return applicable[0] ?? null;
}

/** The lowest hourly rate that can pay a care worker the Real Living Wage plus on-costs, to the penny (rounded up). */
export function fairPayMinimumHourly(threshold: FairPayThreshold): Money {
  return toPennies(threshold.realLivingWageHourly.mul(threshold.onCostRate.plus(1)), Decimal.ROUND_UP);
}
