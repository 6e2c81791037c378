import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/domain/errors';
import { Decimal, formatMoney, parseMoney, quantity } from '../../src/domain/money';
import { type InvoiceLine, planPurchase } from '../../src/domain/purchase-pricing';

const line = (serviceType: string, units: string, unitRate: string, memberId: string | null = null): InvoiceLine => ({
  serviceType,
  description: serviceType,
  units: new Decimal(units),
  unitRate: parseMoney(unitRate),
  memberId,
});
const card: Record<string, string> = { personal_assistance: '18.40', day_activity: '45.00' };
const cardRate = (serviceType: string) => (card[serviceType] ? parseMoney(card[serviceType]) : undefined);
const weighted = (...pairs: [string, string][]) => pairs.map(([memberId, w]) => ({ memberId, weight: quantity(w) }));
const figures = (items: { memberId: string; amount: Decimal }[]) =>
  Object.fromEntries(items.map((i) => [i.memberId, formatMoney(i.amount)]));

describe('planPurchase: what an invoice comes to, before anything is written', () => {
  it('charges named lines to their member and splits the rest by weight, to the penny', () => {
    const plan = planPurchase(
      [line('personal_assistance', '10', '16.00', 'm-a'), line('day_activity', '1', '100.00')],
      cardRate,
      weighted(['m-a', '1'], ['m-b', '1'], ['m-c', '1']),
    );
    expect(formatMoney(plan.priced.total)).toBe('260.00');
    // 100.00 split three ways: the spare penny goes to the lowest member id.
    expect(figures(plan.parts)).toEqual({ 'm-a': '193.34', 'm-b': '33.33', 'm-c': '33.33' });
    expect(formatMoney(plan.parts.reduce((s, p) => s.plus(p.amount), new Decimal(0)))).toBe('260.00');
    expect(formatMoney(plan.charges.reduce((s, c) => s.plus(c.amount), new Decimal(0)))).toBe('260.00');
    // What the same units cost alone: 10 × 18.40 for m-a, the day at its card rate split the same way.
    expect(formatMoney(plan.priced.individualRateTotal)).toBe('229.00');
    // The day is charged at 100.00 against a card rate of 45.00: recorded, and said.
    expect(plan.warnings.map((w) => [w.line, w.code])).toEqual([[2, 'above-card-rate']]);
  });

  it('leaves out a member the split gives nothing, in charges and in parts', () => {
    const plan = planPurchase([line('day_activity', '2', '45.00')], cardRate, weighted(['m-a', '3'], ['m-b', '0']));
    expect(figures(plan.parts)).toEqual({ 'm-a': '90.00' });
    expect(plan.charges.map((c) => c.memberId)).toEqual(['m-a']);
  });

  it('says when a line is dearer than the rate card, or the card has no rate for it', () => {
    const plan = planPurchase(
      [line('personal_assistance', '2', '19.00', 'm-a'), line('gardening', '1', '20.00', 'm-a')],
      cardRate,
      null,
    );
    expect(plan.warnings.map((w) => [w.line, w.code])).toEqual([
      [1, 'above-card-rate'],
      [2, 'no-card-rate'],
    ]);
    expect(formatMoney(plan.priced.saving)).toBe('-1.20');
  });

  it('refuses an invoice that comes to nothing, naming the lines', () => {
    let refused: unknown;
    try {
      planPurchase([line('day_activity', '0', '45.00', 'm-a')], cardRate, null);
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(DomainError);
    expect((refused as DomainError).code).toBe('unprocessable');
    expect((refused as DomainError).fieldErrors).toEqual([
      { field: 'lines', message: 'the invoice total must be greater than zero' },
    ]);
  });
});
