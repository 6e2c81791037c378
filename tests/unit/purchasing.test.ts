import { describe, expect, it } from 'vitest';
import { FAIR_PAY_THRESHOLDS } from '../../src/domain/fair-pay';
import { Decimal, parseMoney } from '../../src/domain/money';
import { invoiceWarnings } from '../../src/domain/purchase-pricing';
import { fairPayMinimumHourly, fairPayThresholdOn, quote, rateForVolume } from '../../src/domain/purchasing';

const card = {
  serviceType: 'personal_assistance',
  unit: 'hour' as const,
  individualRate: parseMoney('18.40'),
  tierPeriod: 'week' as const,
  tiers: [
    { minUnits: new Decimal(40), rate: parseMoney('16.90') },
    { minUnits: new Decimal(80), rate: parseMoney('16.20') },
  ],
};

describe('fair pay', () => {
  it('uses the Real Living Wage in force on the date, plus on-costs, rounded up to the penny', () => {
    expect(fairPayThresholdOn('2025-03-31', FAIR_PAY_THRESHOLDS)).toBeNull();
    const before = fairPayThresholdOn('2026-03-31', FAIR_PAY_THRESHOLDS)!;
    const after = fairPayThresholdOn('2026-04-01', FAIR_PAY_THRESHOLDS)!;
    expect(before.realLivingWageHourly.toFixed(2)).toBe('12.60');
    expect(fairPayMinimumHourly(before).toFixed(2)).toBe('15.75');
    // 13.45 × 1.25 = 16.8125 → 16.82 (up, so a rate of 16.81 is flagged).
    expect(fairPayMinimumHourly(after).toFixed(2)).toBe('16.82');
  });
});

describe('rate cards', () => {
  it('takes the highest tier reached by the combined volume', () => {
    expect(rateForVolume(card, new Decimal(39.99)).toFixed(2)).toBe('18.40');
    expect(rateForVolume(card, new Decimal(40)).toFixed(2)).toBe('16.90');
    expect(rateForVolume(card, new Decimal(120)).toFixed(2)).toBe('16.20');
  });

  it('quotes a pool against each member alone, a month counted as 52/12 weeks', () => {
    const q = quote(card, {
      period: 'month',
      units: [
        { memberId: 'a', units: new Decimal(100) },
        { memberId: 'b', units: new Decimal(80) },
      ],
    });
    // 180 hours a month is 41.5 a week: the 40-hour tier.
    expect(q.unitRate.toFixed(2)).toBe('16.90');
    expect(q.total.toFixed(2)).toBe('3042.00');
    expect(q.individualTotal.toFixed(2)).toBe('3312.00');
    expect(q.saving.toFixed(2)).toBe('270.00');
  });

  it('warns about a line above the card, and one the card does not list', () => {
    const rateOf = (type: string) => (type === 'personal_assistance' ? parseMoney('18.40') : undefined);
    const warnings = invoiceWarnings(
      [
        { serviceType: 'personal_assistance', unitRate: parseMoney('18.40') },
        { serviceType: 'personal_assistance', unitRate: parseMoney('18.41') },
        { serviceType: 'respite', unitRate: parseMoney('20.00') },
      ],
      rateOf,
    );
    expect(warnings.map((w) => [w.line, w.code])).toEqual([
      [2, 'above-card-rate'],
      [3, 'no-card-rate'],
    ]);
  });
});
