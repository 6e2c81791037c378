import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FAIR_PAY_THRESHOLDS } from '../../src/domain/fair-pay';
import { formatMoney, parseMoney } from '../../src/domain/money';
import { fairPayMinimumHourly, fairPayThresholdOn } from '../../src/domain/purchasing';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

describe('fair pay thresholds', () => {
  it('are the Real Living Wage figures with the date each applies from and a 25% on-cost rate', () => {
    expect(
      FAIR_PAY_THRESHOLDS.map((t) => [t.effectiveFrom, formatMoney(t.realLivingWageHourly), t.onCostRate.toFixed(2)]),
    ).toEqual([
      ['2025-04-01', '12.60', '0.25'],
      ['2026-04-01', '13.45', '0.25'],
    ]);
  });

  it('are real calendar dates in increasing order, with each year’s wage above the last', () => {
    const dates = FAIR_PAY_THRESHOLDS.map((t) => t.effectiveFrom);
    for (const date of dates) {
      expect(date).toMatch(ISO_DATE);
      expect(new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10)).toBe(date);
    }
    expect([...dates].sort()).toEqual(dates);
    expect(new Set(dates).size).toBe(dates.length);
    for (const [i, t] of FAIR_PAY_THRESHOLDS.entries()) {
      if (i > 0) expect(t.realLivingWageHourly.gt(FAIR_PAY_THRESHOLDS[i - 1]!.realLivingWageHourly)).toBe(true);
    }
  });

  it('hold money as exact decimals: whole pennies, and an on-cost rate that is a fraction of pay', () => {
    for (const t of FAIR_PAY_THRESHOLDS) {
      expect(parseMoney(formatMoney(t.realLivingWageHourly)).eq(t.realLivingWageHourly)).toBe(true);
      expect(t.onCostRate.gt(0) && t.onCostRate.lt(1)).toBe(true);
    }
  });
});

describe('fair pay threshold in force', () => {
  it.each([
    ['2024-12-31', null],
    ['2025-03-31', null],
    ['2025-04-01', '12.60'],
    ['2025-10-27', '12.60'],
    ['2026-03-31', '12.60'],
    ['2026-04-01', '13.45'],
    ['2027-06-30', '13.45'],
  ])('on %s is the Real Living Wage of %s', (date, wage) => {
    const threshold = fairPayThresholdOn(date, FAIR_PAY_THRESHOLDS);
    expect(threshold === null ? null : formatMoney(threshold.realLivingWageHourly)).toBe(wage);
  });

  it('gives the lowest fair hourly rate to the penny, rounded up: 12.60 × 1.25 = 15.75, 13.45 × 1.25 → 16.82', () => {
    expect(FAIR_PAY_THRESHOLDS.map((t) => formatMoney(fairPayMinimumHourly(t)))).toEqual(['15.75', '16.82']);
  });

  it('does not reorder the table it reads, however the table is ordered', () => {
    const before = [...FAIR_PAY_THRESHOLDS];
    const reversed = [...FAIR_PAY_THRESHOLDS].reverse();
    expect(fairPayThresholdOn('2025-06-01', reversed)).toBe(FAIR_PAY_THRESHOLDS[0]);
    expect(fairPayThresholdOn('2026-06-01', reversed)).toBe(FAIR_PAY_THRESHOLDS[1]);
    fairPayThresholdOn('2026-06-01', FAIR_PAY_THRESHOLDS);
    expect(FAIR_PAY_THRESHOLDS).toEqual(before);
    expect(FAIR_PAY_THRESHOLDS.every((t, i) => t === before[i])).toBe(true);
  });

  it('on any date this century is none before April 2025, 12.60 for the year from then, 13.45 after (property)', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }),
        (when) => {
          const date = when.toISOString().slice(0, 10);
          const expected = date < '2025-04-01' ? null : date < '2026-04-01' ? '12.60' : '13.45';
          const threshold = fairPayThresholdOn(date, FAIR_PAY_THRESHOLDS);
          expect(threshold === null ? null : formatMoney(threshold.realLivingWageHourly)).toBe(expected);
        },
      ),
    );
  });
});
