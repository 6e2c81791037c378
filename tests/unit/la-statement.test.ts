import { describe, expect, it } from 'vitest';
import { InvariantError } from '../../src/domain/errors';
import {
  LA_STATEMENT_ALL_COOPS_CSV_COLUMNS,
  LA_STATEMENT_CSV_COLUMNS,
  type LaStatementFigures,
  buildLaStatement,
} from '../../src/domain/statements/la-statement';

const figures: LaStatementFigures = {
  holders: [
    { memberId: 'm3', coopId: 'c2', name: 'Siân Llŷr', laReference: 'WXM-2', award: null },
    {
      memberId: 'm1',
      coopId: 'c1',
      name: 'Dafydd Tŷ-Gwyn',
      laReference: 'WXM-1',
      award: { amount: '100.00', frequency: 'weekly' },
    },
    {
      memberId: 'm2',
      coopId: 'c1',
      name: 'Gwenllian Ŵyn',
      laReference: 'WXM-2',
      award: { amount: '400.00', frequency: 'four_weekly' },
    },
  ],
  balances: [
    { memberId: 'm1', opening: '50.00', received: '1000.00', returned: '10.00', closing: '900.00' },
    { memberId: 'm2', opening: '0.00', received: '200.00', returned: '0.00', closing: '170.00' },
  ],
  spending: [
    {
      memberId: 'm1',
      accountKind: 'holder_funds',
      category: 'personal_assistance',
      entryKind: 'purchase',
      spent: '60.00',
    },
    {
      memberId: 'm1',
      accountKind: 'pool_share',
      category: 'personal_assistance',
      entryKind: 'purchase',
      spent: '40.00',
    },
    { memberId: 'm1', accountKind: 'pool_share', category: 'admin', entryKind: 'shared_cost', spent: '40.00' },
    { memberId: 'm2', accountKind: 'pool_share', category: 'admin', entryKind: 'shared_cost', spent: '30.00' },
  ],
};
const coops = [
  { id: 'c1', name: 'Cronfa Gofal', reconciledThrough: '2026-03-31' },
  { id: 'c2', name: 'Cydweithfa Tŷ Gwyn', reconciledThrough: '2026-02-28' },
];
const statement = (coopId: string | null) =>
  buildLaStatement({
    localAuthority: { id: 'la', code: 'WXM', name: 'Wrecsam', surplusThresholdWeeks: 8 },
    coopId,
    coops: coopId === null ? coops : coops.filter((c) => c.id === coopId),
    period: { from: '2026-01-01', to: '2026-03-31' },
    language: 'en',
    figures: coopId === null ? figures : { ...figures, holders: figures.holders.filter((h) => h.coopId === coopId) },
  });
const cell = (row: string[], columns: readonly string[], name: string) => row[columns.indexOf(name)];

describe('LA statement model', () => {
  it('gives each holder spend by category, own and pooled, the weeks of award and the surplus, and totals', () => {
    const s = statement('c1');
    expect(s.coop).toEqual({ id: 'c1', name: 'Cronfa Gofal' });
    expect(s).toMatchObject({ bankReconciled: true, reconciledThrough: '2026-03-31' });
    expect(s.holders.map((r) => r.laReference)).toEqual(['WXM-1', 'WXM-2']);
    expect(s.holders[0]).toMatchObject({
      spend: [
        { category: 'admin', own: '0.00', pooled: '40.00' },
        { category: 'personal_assistance', own: '60.00', pooled: '40.00' },
      ],
      spendTotal: '140.00',
      sharedCosts: '40.00',
      returnedToLa: '10.00',
      weeklyAward: '100.00',
      // 900.00 held, 100.00 a week: 9.0 weeks, 100.00 above the 8 weeks' threshold.
      closingWeeksOfAward: '9.0',
      surplusAboveThreshold: '100.00',
    });
    expect(s.totals).toEqual({
      holders: 2,
      opening: '50.00',
      dpReceived: '1200.00',
      spendTotal: '170.00',
      sharedCosts: '70.00',
      returnedToLa: '10.00',
      closing: '1070.00',
      surplusAboveThreshold: '100.00',
    });
    // The one-co-op CSV keeps its columns.
    expect(s.csvColumns).toEqual(LA_STATEMENT_CSV_COLUMNS);
    expect(s.csvRows[0]!.slice(0, 4)).toEqual(['WXM-1', 'Dafydd Tŷ-Gwyn', '50.00', '1000.00']);
    expect(cell(s.csvRows.at(-1)!, s.csvColumns, 'la_reference')).toBe('TOTAL');
    expect(cell(s.csvRows.at(-1)!, s.csvColumns, 'spend_pooled_admin')).toBe('70.00');
  });

  it('across every co-op, names each row’s co-op and how far its bank is reconciled, and lists the co-ops', () => {
    const s = statement(null);
    expect(s.coop).toBeNull();
    expect(s.coops).toEqual([
      { id: 'c1', name: 'Cronfa Gofal', holders: 2, bankReconciled: true, reconciledThrough: '2026-03-31' },
      { id: 'c2', name: 'Cydweithfa Tŷ Gwyn', holders: 1, bankReconciled: false, reconciledThrough: '2026-02-28' },
    ]);
    // Reconciled only as far as the least reconciled co-op.
    expect(s).toMatchObject({ bankReconciled: false, reconciledThrough: '2026-02-28' });
    // In reference order; the same reference in two co-ops side by side, in co-op order.
    expect(s.holders.map((r) => [r.laReference, r.coopName])).toEqual([
      ['WXM-1', 'Cronfa Gofal'],
      ['WXM-2', 'Cronfa Gofal'],
      ['WXM-2', 'Cydweithfa Tŷ Gwyn'],
    ]);
    expect(s.csvColumns).toEqual(LA_STATEMENT_ALL_COOPS_CSV_COLUMNS);
    expect(s.csvColumns.slice(0, 5)).toEqual([
      'la_reference',
      'holder_name',
      'coop_name',
      'coop_reconciled_through',
      'opening_balance',
    ]);
    expect(s.csvRows[2]!.slice(0, 5)).toEqual(['WXM-2', 'Siân Llŷr', 'Cydweithfa Tŷ Gwyn', '2026-02-28', '0.00']);
    expect(s.csvRows.at(-1)!.slice(0, 4)).toEqual(['TOTAL', '', '', '']);
    expect(cell(s.csvRows.at(-1)!, s.csvColumns, 'closing_balance')).toBe('1070.00');
    expect(s.csvRows.every((row) => row.length === s.csvColumns.length)).toBe(true);
  });
});

describe('LA statement postconditions', () => {
  it("refuses to build a statement where a holder's closing is not their opening moved by the period", () => {
    const tampered = {
      ...figures,
      balances: figures.balances.map((b) => (b.memberId === 'm1' ? { ...b, closing: '900.01' } : b)),
    };
    expect(() =>
      buildLaStatement({
        localAuthority: { id: 'la', code: 'WXM', name: 'Wrecsam', surplusThresholdWeeks: 8 },
        coopId: null,
        coops,
        period: { from: '2026-01-01', to: '2026-03-31' },
        language: 'en',
        figures: tampered,
      }),
    ).toThrow(InvariantError);
  });
});
