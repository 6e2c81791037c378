import { parse } from 'csv-parse/sync';
import { InvariantError } from '../../src/domain/errors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderCsv } from '../../src/domain/csv';
import { MoneyFormatError } from '../../src/domain/money';
import {
  POOL_STATEMENT_CSV_COLUMNS,
  type PoolShareRow,
  type PoolStatementFigures,
  buildPoolStatement,
} from '../../src/domain/statements/pool-statement';
import type { Wording } from '../../src/domain/statements/wording';

/**
 * The pool statement model takes the figures as the database writes them (NUMERIC as text, sometimes in its short
 * forms: `0`, `150.5`) and gives every figure with exactly two decimals, totals that match the rows to the penny,
 * costs grouped by category, purchases by provider and the invoices still owed at the period's end.
 */

// The builder only reads the category names of the wording.
const wording = (categories: Record<string, string>) => ({ categories }) as unknown as Wording;
const WORDING = {
  en: wording({ admin: 'Administration', payroll_services: 'Payroll services' }),
  cy: wording({ admin: 'Gweinyddu', payroll_services: 'Gwasanaethau cyflogres' }),
};
const PERIOD = { from: '2026-01-01', to: '2026-03-31' };

const share = (over: Partial<PoolShareRow> & Pick<PoolShareRow, 'memberId'>): PoolShareRow => ({
  name: 'Member',
  laReference: 'WXM-0',
  opening: '0.00',
  contributions: '0.00',
  withdrawals: '0.00',
  sharedCosts: '0.00',
  purchases: '0.00',
  closing: '0.00',
  ...over,
});

/**
 * Three members. Payroll 60.00 and 40.00 and admin 6.00 are split equally between all three (40.00 / 3 leaves a
 * penny over: 13.34 + 13.33 + 13.33), and 1.50 for garden tools (a category with no wording) is 0.50 each. So each
 * share carries 35.84 / 35.83 / 35.83 of shared costs, 107.50 in all. WXM-2's purchases are negative: a purchase of
 * an earlier period reversed in this one gives money back to the share.
 */
const figures: PoolStatementFigures = {
  shares: [
    share({
      memberId: 'm1',
      name: 'Dafydd Tŷ-Gwyn',
      laReference: 'WXM-1',
      opening: '100.00',
      contributions: '200.00',
      withdrawals: '0',
      sharedCosts: '35.84',
      purchases: '40.00',
      closing: '224.16',
    }),
    share({
      memberId: 'm2',
      name: '=HYPERLINK("http://x","click")',
      laReference: 'WXM-2',
      opening: '0',
      contributions: '150.5',
      withdrawals: '0.00',
      sharedCosts: '35.83',
      purchases: '-12.00',
      closing: '126.67',
    }),
    // Left the pool during the period: their remaining share returned, closing at nothing.
    share({
      memberId: 'm3',
      name: 'Siân Llŷr',
      laReference: 'WXM-3',
      opening: '50.00',
      contributions: '0',
      withdrawals: '14.17',
      sharedCosts: '35.83',
      purchases: '0',
      closing: '0.00',
    }),
  ],
  costs: [
    {
      entryId: 'k1',
      date: '2026-01-10',
      category: 'payroll_services',
      description: 'Payroll bureau, January',
      total: '60.00',
      method: 'equal',
      memberCount: 3,
    },
    {
      entryId: 'k2',
      date: '2026-01-15',
      category: 'admin',
      description: 'Postage',
      total: '6',
      method: 'equal',
      memberCount: 3,
    },
    {
      entryId: 'k3',
      date: '2026-02-01',
      category: 'payroll_services',
      description: 'Payroll bureau, February',
      total: '40.00',
      method: 'equal',
      memberCount: 3,
    },
    {
      entryId: 'k4',
      date: '2026-02-20',
      category: 'garden_tools',
      description: 'Shears',
      total: '1.5',
      method: 'weights',
      memberCount: 3,
    },
  ],
  purchases: [
    // Invoiced before the period: not a purchase of this period, but 30.00 of it is still owed.
    {
      purchaseId: 'p0',
      providerName: 'Gofal Cymru',
      invoiceReference: 'GC-0099',
      invoiceDate: '2025-12-31',
      total: '80.00',
      individualRateTotal: '90.00',
      paid: '50.00',
      reversed: false,
    },
    // Invoiced on the first day of the period, paid in full.
    {
      purchaseId: 'p1',
      providerName: 'Gofal Cymru',
      invoiceReference: 'GC-0101',
      invoiceDate: '2026-01-01',
      total: '300.00',
      individualRateTotal: '345.00',
      paid: '300.00',
      reversed: false,
    },
    {
      purchaseId: 'p2',
      providerName: 'Acorn PAs',
      invoiceReference: 'AC-7',
      invoiceDate: '2026-02-14',
      total: '120.5',
      individualRateTotal: '120.50',
      paid: '0',
      reversed: false,
    },
    {
      purchaseId: 'p3',
      providerName: 'Gofal Cymru',
      invoiceReference: 'GC-0102',
      invoiceDate: '2026-02-28',
      total: '212.34',
      individualRateTotal: '250.00',
      paid: '200.00',
      reversed: false,
    },
    // Reversed: neither bought nor owed.
    {
      purchaseId: 'p4',
      providerName: 'Acorn PAs',
      invoiceReference: 'AC-8',
      invoiceDate: '2026-03-05',
      total: '99.99',
      individualRateTotal: '110.00',
      paid: '0.00',
      reversed: true,
    },
    // Dearer than buying alone, and paid more than invoiced: nothing owed.
    {
      purchaseId: 'p5',
      providerName: 'Bwrdd Llesiant',
      invoiceReference: 'BL-1',
      invoiceDate: '2026-03-31',
      total: '10.00',
      individualRateTotal: '9.00',
      paid: '15.00',
      reversed: false,
    },
  ],
  payments: [
    { date: '2026-01-05', providerName: 'Gofal Cymru', invoiceReference: 'GC-0099', amount: '50' },
    { date: '2026-02-10', providerName: 'Gofal Cymru', invoiceReference: 'GC-0101', amount: '300.00' },
    { date: '2026-03-15', providerName: 'Gofal Cymru', invoiceReference: 'GC-0102', amount: '200.00' },
    { date: '2026-03-31', providerName: 'Bwrdd Llesiant', invoiceReference: 'BL-1', amount: '15.00' },
  ],
};

const EMPTY: PoolStatementFigures = { shares: [], costs: [], purchases: [], payments: [] };

function statement(f: PoolStatementFigures = figures, language: 'en' | 'cy' = 'en') {
  return buildPoolStatement({
    pool: { id: 'pool-1', name: language === 'cy' ? 'Tîm PA a rennir' : 'Shared PA team', code: 'shared-pa-team' },
    coop: { name: 'Cronfa Gofal' },
    period: PERIOD,
    language,
    wording: WORDING[language],
    figures: f,
  });
}

describe('pool statement shares', () => {
  it('gives each member’s share with two decimals, in the order the figures came, withdrawals as returned', () => {
    const s = statement();
    expect(s.shares).toEqual([
      {
        memberId: 'm1',
        name: 'Dafydd Tŷ-Gwyn',
        laReference: 'WXM-1',
        opening: '100.00',
        contributions: '200.00',
        returnedOnLeaving: '0.00',
        sharedCosts: '35.84',
        purchases: '40.00',
        closing: '224.16',
      },
      {
        memberId: 'm2',
        name: '=HYPERLINK("http://x","click")',
        laReference: 'WXM-2',
        opening: '0.00',
        contributions: '150.50',
        returnedOnLeaving: '0.00',
        sharedCosts: '35.83',
        purchases: '-12.00',
        closing: '126.67',
      },
      {
        memberId: 'm3',
        name: 'Siân Llŷr',
        laReference: 'WXM-3',
        opening: '50.00',
        contributions: '0.00',
        returnedOnLeaving: '14.17',
        sharedCosts: '35.83',
        purchases: '0.00',
        closing: '0.00',
      },
    ]);
  });

  it('totals every column to the penny, a negative figure reducing its total', () => {
    const { totals } = statement();
    expect(totals).toEqual({
      opening: '150.00',
      contributions: '350.50',
      returnedOnLeaving: '14.17',
      // The three penny-split costs (60.00 + 6.00 + 40.00 + 1.50) are all there: no penny lost or made.
      sharedCosts: '107.50',
      // 40.00 bought for WXM-1, 12.00 given back to WXM-2.
      purchases: '28.00',
      closing: '350.83',
    });
  });

  it('shows the pool’s own description of itself and the period unchanged', () => {
    const s = statement(figures, 'cy');
    expect(s).toMatchObject({
      kind: 'pool',
      language: 'cy',
      period: { from: '2026-01-01', to: '2026-03-31' },
      coop: { name: 'Cronfa Gofal' },
      pool: { id: 'pool-1', name: 'Tîm PA a rennir', code: 'shared-pa-team' },
    });
  });

  it('refuses a figure with a fraction of a penny rather than rounding it away', () => {
    const bad = { ...figures, shares: [share({ memberId: 'm1', sharedCosts: '33.333', closing: '-33.333' })] };
    expect(() => statement(bad)).toThrow(MoneyFormatError);
    const badCost = { ...EMPTY, costs: [{ ...figures.costs[0]!, total: '0.005' }] };
    expect(() => statement(badCost)).toThrow(MoneyFormatError);
  });
});

describe('pool statement costs', () => {
  it('groups costs by category code in code order, named in the statement language, keeping their order within', () => {
    const en = statement(figures, 'en').costsByCategory;
    expect(en.map((c) => [c.category, c.name, c.total, c.costs.map((k) => k.entryId)])).toEqual([
      ['admin', 'Administration', '6.00', ['k2']],
      // A code with no wording is shown as it is.
      ['garden_tools', 'garden_tools', '1.50', ['k4']],
      ['payroll_services', 'Payroll services', '100.00', ['k1', 'k3']],
    ]);
    expect(en[2]!.costs).toEqual([
      {
        entryId: 'k1',
        date: '2026-01-10',
        description: 'Payroll bureau, January',
        total: '60.00',
        method: 'equal',
        memberCount: 3,
      },
      {
        entryId: 'k3',
        date: '2026-02-01',
        description: 'Payroll bureau, February',
        total: '40.00',
        method: 'equal',
        memberCount: 3,
      },
    ]);
    const cy = statement(figures, 'cy').costsByCategory;
    expect(cy.map((c) => c.name)).toEqual(['Gweinyddu', 'garden_tools', 'Gwasanaethau cyflogres']);
  });
});

describe('pool statement purchases and payments', () => {
  it('totals the period’s live purchases by provider, in provider order, with the saving against buying alone', () => {
    expect(statement().purchasesByProvider).toEqual([
      // AC-8 was reversed: only AC-7 counts.
      { provider: 'Acorn PAs', invoices: 1, total: '120.50', individualRateTotal: '120.50', saving: '0.00' },
      // Dearer than each member buying alone: a negative saving.
      { provider: 'Bwrdd Llesiant', invoices: 1, total: '10.00', individualRateTotal: '9.00', saving: '-1.00' },
      // GC-0099 was invoiced before the period; GC-0101 on its first day counts.
      { provider: 'Gofal Cymru', invoices: 2, total: '512.34', individualRateTotal: '595.00', saving: '82.66' },
    ]);
  });

  it('lists the invoices still owed at the period’s end, including ones invoiced before it', () => {
    const s = statement();
    expect(s.unpaidInvoices).toEqual([
      {
        purchaseId: 'p0',
        providerName: 'Gofal Cymru',
        invoiceReference: 'GC-0099',
        invoiceDate: '2025-12-31',
        total: '80.00',
        outstanding: '30.00',
      },
      {
        purchaseId: 'p2',
        providerName: 'Acorn PAs',
        invoiceReference: 'AC-7',
        invoiceDate: '2026-02-14',
        total: '120.50',
        outstanding: '120.50',
      },
      {
        purchaseId: 'p3',
        providerName: 'Gofal Cymru',
        invoiceReference: 'GC-0102',
        invoiceDate: '2026-02-28',
        total: '212.34',
        outstanding: '12.34',
      },
    ]);
    // Paid in full (p1), reversed (p4) and overpaid (p5) invoices owe nothing.
    expect(s.unpaidTotal).toBe('162.84');
  });

  it('lists the payments made, in the order given, amounts with two decimals', () => {
    expect(statement().payments).toEqual([
      { date: '2026-01-05', providerName: 'Gofal Cymru', invoiceReference: 'GC-0099', amount: '50.00' },
      { date: '2026-02-10', providerName: 'Gofal Cymru', invoiceReference: 'GC-0101', amount: '300.00' },
      { date: '2026-03-15', providerName: 'Gofal Cymru', invoiceReference: 'GC-0102', amount: '200.00' },
      { date: '2026-03-31', providerName: 'Bwrdd Llesiant', invoiceReference: 'BL-1', amount: '15.00' },
    ]);
  });
});

describe('pool statement CSV', () => {
  it('has one row per member then a TOTAL row, in the CSV columns’ order', () => {
    const { csvRows } = statement();
    expect(csvRows).toEqual([
      ['WXM-1', 'Dafydd Tŷ-Gwyn', '100.00', '200.00', '0.00', '35.84', '40.00', '224.16'],
      ['WXM-2', '=HYPERLINK("http://x","click")', '0.00', '150.50', '0.00', '35.83', '-12.00', '126.67'],
      ['WXM-3', 'Siân Llŷr', '50.00', '0.00', '14.17', '35.83', '0.00', '0.00'],
      ['TOTAL', '', '150.00', '350.50', '14.17', '107.50', '28.00', '350.83'],
    ]);
    expect(csvRows.every((row) => row.length === POOL_STATEMENT_CSV_COLUMNS.length)).toBe(true);
  });

  it('renders as CSV with a formula-like name made text, while a negative amount stays a number', () => {
    const text = renderCsv(POOL_STATEMENT_CSV_COLUMNS, statement().csvRows);
    expect(text).toBe(
      [
        'la_reference,member_name,opening_share,contributions,returned_on_leaving,shared_costs,purchases,closing_share',
        'WXM-1,Dafydd Tŷ-Gwyn,100.00,200.00,0.00,35.84,40.00,224.16',
        `WXM-2,"'=HYPERLINK(""http://x"",""click"")",0.00,150.50,0.00,35.83,-12.00,126.67`,
        'WXM-3,Siân Llŷr,50.00,0.00,14.17,35.83,0.00,0.00',
        'TOTAL,,150.00,350.50,14.17,107.50,28.00,350.83',
        '',
      ].join('\n'),
    );
    const rows = parse(text) as string[][];
    expect(rows[2]![1]).toBe(`'=HYPERLINK("http://x","click")`);
    expect(rows[2]![6]).toBe('-12.00');
  });
});

describe('pool statement edge cases', () => {
  it('for an empty period gives no rows, zero totals and a CSV of only the header and a zero TOTAL row', () => {
    const s = statement(EMPTY);
    expect(s.shares).toEqual([]);
    expect(s.totals).toEqual({
      opening: '0.00',
      contributions: '0.00',
      returnedOnLeaving: '0.00',
      sharedCosts: '0.00',
      purchases: '0.00',
      closing: '0.00',
    });
    expect([s.costsByCategory, s.purchasesByProvider, s.payments, s.unpaidInvoices]).toEqual([[], [], [], []]);
    expect(s.unpaidTotal).toBe('0.00');
    expect(renderCsv(POOL_STATEMENT_CSV_COLUMNS, s.csvRows)).toBe(
      'la_reference,member_name,opening_share,contributions,returned_on_leaving,shared_costs,purchases,closing_share\n' +
        'TOTAL,,0.00,0.00,0.00,0.00,0.00,0.00\n',
    );
  });

  it('for a single member, with no LA reference, gives totals equal to their share', () => {
    const s = statement({
      ...EMPTY,
      shares: [
        share({
          memberId: 'solo',
          name: 'Gwenllian Ŵyn',
          laReference: '',
          opening: '0.01',
          contributions: '999999999999.98',
          closing: '999999999999.99',
        }),
      ],
    });
    expect(s.totals).toEqual({
      opening: '0.01',
      contributions: '999999999999.98',
      returnedOnLeaving: '0.00',
      sharedCosts: '0.00',
      purchases: '0.00',
      closing: '999999999999.99',
    });
    expect(s.csvRows).toEqual([
      ['', 'Gwenllian Ŵyn', '0.01', '999999999999.98', '0.00', '0.00', '0.00', '999999999999.99'],
      ['TOTAL', '', '0.01', '999999999999.98', '0.00', '0.00', '0.00', '999999999999.99'],
    ]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Totals against an exact reference in integer pence (BigInt), over figures in the database's text forms.

function fixed2(pence: bigint): string {
  const sign = pence < 0n ? '-' : '';
  const abs = pence < 0n ? -pence : pence;
  return `${sign}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
}
/** NUMERIC text as PostgreSQL may write it: `12.30`, or `12.3` / `12` from a cast of a computed value. */
function dbText(pence: bigint, style: number): string {
  const text = fixed2(pence);
  if (style === 1 && text.endsWith('0')) return text.slice(0, -1).replace(/\.$/, '');
  if (style === 2 && text.endsWith('.00')) return text.slice(0, -3);
  return text;
}
const pennies = fc.bigInt({ min: -10_000_000_00n, max: 10_000_000_00n });
const textStyle = fc.integer({ min: 0, max: 2 });
const amount = fc.tuple(pennies, textStyle);
const totalOf = (values: bigint[]) => fixed2(values.reduce((a, b) => a + b, 0n));

describe('pool statement totals (property)', () => {
  it('match the sum of the rows to the penny, and so does the CSV TOTAL row', () => {
    const row = fc.record({
      opening: amount,
      contributions: amount,
      withdrawals: amount,
      sharedCosts: amount,
      purchases: amount,
      closing: amount,
    });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 30 }), (generated) => {
        // A share's closing is its opening moved by its movements (the statement checks it), in the generated style.
        const rows = generated.map((r) => ({
          ...r,
          closing: [
            r.opening[0] + r.contributions[0] - r.withdrawals[0] - r.sharedCosts[0] - r.purchases[0],
            r.closing[1],
          ] as [bigint, number],
        }));
        const s = statement({
          ...EMPTY,
          shares: rows.map((r, i) =>
            share({
              memberId: `m${i}`,
              laReference: `WXM-${i}`,
              opening: dbText(...r.opening),
              contributions: dbText(...r.contributions),
              withdrawals: dbText(...r.withdrawals),
              sharedCosts: dbText(...r.sharedCosts),
              purchases: dbText(...r.purchases),
              closing: dbText(...r.closing),
            }),
          ),
        });
        const column = (key: keyof (typeof rows)[number]) => totalOf(rows.map((r) => r[key][0]));
        const expected = {
          opening: column('opening'),
          contributions: column('contributions'),
          returnedOnLeaving: column('withdrawals'),
          sharedCosts: column('sharedCosts'),
          purchases: column('purchases'),
          closing: column('closing'),
        };
        expect(s.totals).toEqual(expected);
        expect(s.shares.map((r) => r.closing)).toEqual(rows.map((r) => fixed2(r.closing[0])));
        expect(s.csvRows.at(-1)).toEqual(['TOTAL', '', ...Object.values(expected)]);
      }),
    );
  });

  it('give each provider’s saving as alone minus charged, and the unpaid total as the positive outstanding', () => {
    const purchase = fc.record({
      provider: fc.constantFrom('Acorn PAs', 'Bwrdd Llesiant', 'Gofal Cymru'),
      inPeriod: fc.boolean(),
      total: fc.bigInt({ min: 0n, max: 1_000_000_00n }),
      alone: fc.bigInt({ min: 0n, max: 1_000_000_00n }),
      paid: fc.bigInt({ min: 0n, max: 1_000_000_00n }),
      reversed: fc.boolean(),
      style: textStyle,
    });
    fc.assert(
      fc.property(fc.array(purchase, { maxLength: 25 }), (bought) => {
        const s = statement({
          ...EMPTY,
          purchases: bought.map((p, i) => ({
            purchaseId: `p${i}`,
            providerName: p.provider,
            invoiceReference: `INV-${i}`,
            invoiceDate: p.inPeriod ? '2026-02-01' : '2025-12-01',
            total: dbText(p.total, p.style),
            individualRateTotal: dbText(p.alone, p.style),
            paid: dbText(p.paid, p.style),
            reversed: p.reversed,
          })),
        });
        const counted = bought.filter((p) => p.inPeriod && !p.reversed);
        const providers = ['Acorn PAs', 'Bwrdd Llesiant', 'Gofal Cymru'].filter((name) =>
          counted.some((p) => p.provider === name),
        );
        expect(s.purchasesByProvider).toEqual(
          providers.map((provider) => {
            const mine = counted.filter((p) => p.provider === provider);
            return {
              provider,
              invoices: mine.length,
              total: totalOf(mine.map((p) => p.total)),
              individualRateTotal: totalOf(mine.map((p) => p.alone)),
              saving: totalOf(mine.map((p) => p.alone - p.total)),
            };
          }),
        );
        const owed = bought.map((p, i) => ({ ...p, id: `p${i}` })).filter((p) => !p.reversed && p.total > p.paid);
        expect(s.unpaidInvoices.map((u) => [u.purchaseId, u.outstanding])).toEqual(
          owed.map((p) => [p.id, fixed2(p.total - p.paid)]),
        );
        expect(s.unpaidTotal).toBe(totalOf(owed.map((p) => p.total - p.paid)));
      }),
    );
  });
});

describe('pool statement postconditions', () => {
  it("refuses to build a statement where a member's closing share is not their opening moved by the period", () => {
    const tampered = { ...figures, shares: figures.shares.map((s, i) => (i === 0 ? { ...s, closing: '0.01' } : s)) };
    expect(() => statement(tampered)).toThrow(InvariantError);
  });
});
