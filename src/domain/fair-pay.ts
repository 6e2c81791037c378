import { type FairPayThreshold } from './purchasing';
import { Decimal, parseMoney } from './money';

/**
 * Real Living Wage figures (Living Wage Foundation) with the date each applies from, and a typical on-cost rate.
 * Kept here, with their dates, so a new year's figure is one line; the report names the figure it used.
 */
export const FAIR_PAY_THRESHOLDS: readonly FairPayThreshold[] = [
  { effectiveFrom: '2025-04-01', realLivingWageHourly: parseMoney('12.60'), onCostRate: new Decimal('0.25') },
  { effectiveFrom: '2026-04-01', realLivingWageHourly: parseMoney('13.45'), onCostRate: new Decimal('0.25') },
];
