import { describe, expect, it } from 'vitest';
import { Decimal, parseMoney } from '../../src/domain/money';
import { type LineBought, type PurchaseBought, purchasingPower } from '../../src/domain/purchasing-power';

const thresholds = [
  { effectiveFrom: '2026-04-01', realLivingWageHourly: parseMoney('13.45'), onCostRate: new Decimal('0.25') },
];
const purchase = (id: string, kind: string, total: string, individual: string, welsh = false): PurchaseBought => ({
  id,
  invoiceReference: `INV-${id}`,
  providerId: `prov-${id}`,
  providerName: `Provider ${id}`,
  providerKind: kind,
  welshLanguageService: welsh,
  total: parseMoney(total),
  individualRateTotal: parseMoney(individual),
});
const line = (purchaseId: string, rate: string, over: Partial<LineBought> = {}): LineBought => ({
  purchaseId,
  serviceType: 'pa_hours',
  category: 'personal_assistance',
  unit: 'hour',
  unitRate: parseMoney(rate),
  ...over,
});
const input = (purchases: PurchaseBought[], lines: LineBought[] = []) => ({
  from: '2026-04-01',
  to: '2026-04-30',
  purchases,
  lines,
  sharedCosts: parseMoney('12.00'),
  thresholds,
});

describe('purchasingPower: the report from what was bought', () => {
  it('sums spend and savings, by provider kind, with the social-value and Welsh-language shares', () => {
    const report = purchasingPower(
      input([
        purchase('a', 'cooperative', '300.00', '360.00', true),
        purchase('b', 'private', '100.00', '100.00'),
        purchase('c', 'cooperative', '0.00', '0.00'),
      ]),
    );
    expect(report.spend).toBe('400.00');
    expect(report.individualRateSpend).toBe('460.00');
    expect(report.collectiveSaving).toBe('60.00');
    expect(report.savingPercent).toBe('13.0');
    expect(report.sharedCosts).toBe('12.00');
    expect(report.spendByProviderKind).toEqual([
      { kind: 'cooperative', spend: '300.00', sharePercent: '75.0' },
      { kind: 'private', spend: '100.00', sharePercent: '25.0' },
    ]);
    expect(report.welshLanguageProviders).toEqual({ spend: '300.00', sharePercent: '75.0' });
    expect(report.socialValueProviders.spend).toBe('300.00');
  });

  it('flags hourly care below the Real Living Wage plus on-costs once per purchase, service and rate', () => {
    const report = purchasingPower(
      input(
        [purchase('a', 'private', '100.00', '100.00')],
        [
          line('a', '16.00'),
          line('a', '16.00'),
          line('a', '16.81'),
          line('a', '16.82'),
          line('a', '10.00', { category: 'day_activity' }),
          line('a', '10.00', { unit: 'session' }),
        ],
      ),
    );
    expect(report.fairPay.minimumHourlyRate).toBe('16.82');
    expect(report.fairPay.belowMinimum.map((f) => f.unitRate)).toEqual(['16.00', '16.81']);
    expect(report.fairPay.belowMinimum[0]).toMatchObject({ invoiceReference: 'INV-a', providerName: 'Provider a' });
  });

  it('gives no fair-pay figure before the first threshold, and zeros for no purchases', () => {
    const report = purchasingPower({ ...input([]), from: '2026-01-01', to: '2026-01-31' });
    expect(report.fairPay).toMatchObject({ minimumHourlyRate: null, belowMinimum: [] });
    expect(report.spend).toBe('0.00');
    expect(report.savingPercent).toBe('0.0');
  });

  it('refuses to report spend it cannot account for by provider kind', () => {
    expect(() => purchasingPower(input([purchase('x', 'unheard_of', '5.00', '5.00')]))).toThrow(/provider kind/);
  });
});
