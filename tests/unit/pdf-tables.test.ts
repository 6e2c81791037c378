import { describe, expect, it } from 'vitest';
import { parseMoney } from '../../src/domain/money';
import { memberFigure } from '../../src/domain/ledger';
import { buildHolderStatement } from '../../src/domain/statements/holder-statement';
import { type LaStatementFigures, buildLaStatement } from '../../src/domain/statements/la-statement';
import { type PoolStatementFigures, buildPoolStatement } from '../../src/domain/statements/pool-statement';
import { fill } from '../../src/domain/statements/wording';
import { renderHolderStatementPdf } from '../../src/pdf/holder-statement-pdf';
import { renderLaStatementPdf } from '../../src/pdf/la-statement-pdf';
import { renderPoolStatementPdf } from '../../src/pdf/pool-statement-pdf';
import { WORDING } from '../../src/services/statements/wording';
import { FIGURE, type PdfPage, allCells, pdfPages } from '../support/pdf-cells';

/**
 * Tables a person can read, checked where the text is drawn: with the longest Welsh headers and seven-figure sums,
 * no figure is split over two lines and no word is broken, in English and in Welsh, and the tables stay tagged.
 */
const BIG = '1234567.89';
const LANGUAGES = ['en', 'cy'] as const;
const period = { from: '2026-01-01', to: '2026-03-31' };
const words = (text: string) => text.split(/\s+/).filter(Boolean);

/** The checks every statement's tables pass; `headers` is every header the tables may have. */
function expectReadableTables(pages: PdfPage[], headers: string[], names: string[]) {
  const cells = allCells(pages);
  expect(cells.filter((c) => c.role === 'TH').length).toBeGreaterThan(0);
  expect(cells.filter((c) => c.role === 'TD').length).toBeGreaterThan(0);
  for (const cell of cells) {
    const text = cell.lines.join(' ');
    // A figure is drawn on one line: split over two, its pieces would join up only without the space.
    if (FIGURE.test(cell.lines.join(''))) expect(cell.lines, `figure ${cell.lines.join('')}`).toHaveLength(1);
    if (cell.role === 'TH') {
      // Header lines break between the header's words, never inside one.
      expect(headers, `header "${text}"`).toContain(text);
      for (const line of cell.lines) for (const word of words(line)) expect(words(text)).toContain(word);
    }
  }
  for (const name of names) {
    const cell = cells.find((c) => c.role === 'TD' && c.lines.join(' ') === name);
    expect(cell, `a cell holding "${name}"`).toBeDefined();
    for (const line of cell!.lines) for (const word of words(line)) expect(words(name)).toContain(word);
  }
}

/** The figures a reader must find whole, each on one line of one cell. */
function expectFiguresWhole(pages: PdfPage[], figures: string[]) {
  const oneLine = new Set(allCells(pages).flatMap((c) => (c.lines.length === 1 ? [c.lines[0]] : [])));
  for (const figure of figures) expect(oneLine, `figure ${figure}`).toContain(figure);
}

function laStatement(language: 'en' | 'cy', allCoops: boolean) {
  const coops = [
    { id: 'c1', name: 'Cydweithfa Gofal Cymunedol Gogledd Ddwyrain Cymru', reconciledThrough: '2026-03-31' },
    { id: 'c2', name: 'Cronfa Gofal', reconciledThrough: null },
  ];
  const figures: LaStatementFigures = {
    holders: [
      {
        memberId: 'm1',
        coopId: 'c1',
        name: 'Dafydd Tŷ-Gwyn ap Siôn',
        laReference: 'WXM-DP-1001',
        award: { amount: '100.00', frequency: 'weekly' },
      },
      {
        memberId: 'm2',
        coopId: allCoops ? 'c2' : 'c1',
        name: 'Gwenllian Ŵyn',
        laReference: 'WXM-DP-1002',
        award: { amount: '212.40', frequency: 'weekly' },
      },
    ],
    // Seven figures in every money column, adding up as a statement must (the opening is two of BIG).
    balances: [
      { memberId: 'm1', opening: '2469135.78', received: BIG, returned: BIG, closing: BIG },
      { memberId: 'm2', opening: '0.00', received: '0.00', returned: '0.00', closing: '0.00' },
    ],
    spending: [
      { memberId: 'm1', accountKind: 'pool_share', category: 'personal_assistance', entryKind: 'purchase', spent: BIG },
    ],
  };
  const {
    csvColumns: _c,
    csvRows: _r,
    ...statement
  } = buildLaStatement({
    localAuthority: { id: 'la', code: 'WXM', name: 'Cyngor Bwrdeistref Sirol Wrecsam', surplusThresholdWeeks: 8 },
    coopId: allCoops ? null : 'c1',
    coops: allCoops ? coops : coops.slice(0, 1),
    period,
    language,
    figures,
  });
  return statement;
}

function poolStatement(language: 'en' | 'cy') {
  const share = (memberId: string, name: string, laReference: string, opening: string) => ({
    memberId,
    name,
    laReference,
    opening,
    contributions: opening,
    withdrawals: '0.00',
    sharedCosts: '0.00',
    purchases: '0.00',
    closing: parseMoney(opening).mul(2).toFixed(2),
  });
  const figures: PoolStatementFigures = {
    shares: [
      share('m1', 'Dafydd Tŷ-Gwyn ap Siôn', 'WXM-DP-1001', BIG),
      share('m2', 'Gwenllian Ŵyn', 'WXM-DP-1002', '10.00'),
    ],
    costs: [],
    purchases: [
      {
        purchaseId: 'p',
        providerName: 'Cydweithfa Cymorth Wrecsam',
        invoiceReference: 'CCW-118',
        invoiceDate: '2026-02-01',
        total: BIG,
        individualRateTotal: '1300000.00',
        paid: '0.00',
        reversed: false,
      },
    ],
    payments: [],
  };
  const { csvRows: _r, ...statement } = buildPoolStatement({
    pool: { id: 'pool', name: language === 'cy' ? 'Tîm PA a rennir' : 'Shared PA team', code: 'shared-pa-team' },
    coop: { name: 'Cronfa Gofal' },
    period,
    language,
    wording: WORDING[language],
    figures,
  });
  return statement;
}

function holderStatement(language: 'en' | 'cy') {
  const posting = (entryId: string, accountId: string, amount: string, kind: string, poolName: string | null) => ({
    entryId,
    valueDate: '2026-02-02',
    kind,
    memo: kind,
    reference: 'WXM-0202',
    providerName: 'Cydweithfa Cymorth Wrecsam',
    costDescription: null,
    poolName,
    accountId,
    category: kind === 'purchase' ? 'personal_assistance' : null,
    amount: memberFigure(amount),
  });
  return buildHolderStatement({
    member: { id: 'm', name: 'Dafydd Tŷ-Gwyn ap Siôn', laReference: 'WXM-DP-1001' },
    coop: { name: 'Cronfa Gofal' },
    localAuthority: { code: 'WXM', name: 'Wrecsam', surplusThresholdWeeks: 8 },
    period,
    language,
    wording: WORDING[language],
    accounts: [
      { id: 'f', kind: 'holder_funds', poolName: null, opening: memberFigure(BIG) },
      { id: 's', kind: 'pool_share', poolName: 'Shared PA team', opening: memberFigure('1000000.00') },
      { id: 'd', kind: 'pool_share', poolName: 'Day activities', opening: memberFigure('0.00') },
    ],
    movements: [
      posting('r', 'f', '1000000.00', 'dp_receipt', null),
      posting('c', 'f', '-1234567.89', 'pool_contribution', 'Shared PA team'),
      posting('c', 's', '1234567.89', 'pool_contribution', 'Shared PA team'),
      posting('p', 's', '-1000000.00', 'purchase', 'Shared PA team'),
    ],
    sharedCosts: [],
    purchases: [
      {
        purchaseId: 'p',
        invoiceDate: '2026-02-02',
        providerName: 'Cydweithfa Cymorth Wrecsam',
        invoiceReference: 'CCW-118',
        amount: parseMoney('1000000.00'),
        individualAmount: parseMoney(BIG),
      },
    ],
    award: { amount: parseMoney('849.60'), frequency: 'four_weekly' },
  });
}

describe('statement tables', () => {
  for (const language of LANGUAGES) {
    const w = WORDING[language].pdf;

    it(`keep every figure and header word of an LA statement whole, one co-op and all co-ops (${language})`, async () => {
      const headers = [
        w.laReference,
        w.holder,
        w.coop,
        w.opening,
        w.dpReceived,
        w.spent,
        w.returnedToLa,
        w.closing,
        w.weeks,
        w.surplus,
        w.holders,
        w.reconciledColumn,
      ];
      for (const allCoops of [false, true]) {
        const pages = await pdfPages(await renderLaStatementPdf(laStatement(language, allCoops), WORDING[language]));
        const names = ['Dafydd Tŷ-Gwyn ap Siôn', 'Gwenllian Ŵyn'];
        if (allCoops) names.push('Cydweithfa Gofal Cymunedol Gogledd Ddwyrain Cymru');
        expectReadableTables(pages, headers, names);
        // 1,234,567.89 held, 100.00 a week: 12,345.7 weeks, and all but 8 weeks (800.00) above the threshold.
        expectFiguresWhole(pages, ['£1,234,567.89', '£1,233,767.89', '12345.7', '£0.00']);
        // Seven-figure columns do not fit an upright page: the statement is printed in landscape.
        expect(pages.every((page) => page.width > page.height)).toBe(true);
      }
    });

    it(`keep every figure and header word of a pool statement whole (${language})`, async () => {
      const pages = await pdfPages(await renderPoolStatementPdf(poolStatement(language), WORDING[language]));
      const headers = [
        w.laReference,
        w.member,
        w.opening,
        w.contributions,
        w.returned,
        w.sharedCostsShort,
        w.purchases,
        w.closing,
        w.provider,
        w.charged,
        w.aloneCost,
        w.saving,
        w.date,
        w.total,
        w.balance,
      ];
      expectReadableTables(pages, headers, ['Dafydd Tŷ-Gwyn ap Siôn']);
      expectFiguresWhole(pages, ['£1,234,567.89', '£2,469,135.78', '£2,469,155.78', '£1,300,000.00', '£65,432.11']);
    });

    it(`keep every figure and header word of a holder statement with two pool shares whole (${language})`, async () => {
      const wording = WORDING[language];
      const pages = await pdfPages(await renderHolderStatementPdf(holderStatement(language), wording));
      const share = (pool: string) => fill(wording.poolShare, { pool });
      const headers = [
        w.description,
        w.total,
        w.date,
        w.inOrOut,
        wording.funds,
        share('Shared PA team'),
        share('Day activities'),
        w.provider,
        w.charged,
        w.aloneCost,
        w.saving,
      ];
      expectReadableTables(pages, headers, []);
      // Opening £1,234,567.89; in £1,000,000.00; out £1,234,567.89 into the Shared PA team share.
      expectFiguresWhole(pages, [
        '£1,234,567.89',
        '+£1,000,000.00',
        '£2,234,567.89',
        '\u2212£1,234,567.89',
        '£1,000,000.00',
        '+£1,234,567.89',
        '£2,234,567.89',
        '\u2212£1,000,000.00',
      ]);
      // Each "In or out" header tells a screen reader whose money moved.
      const inOut = allCells(pages).filter((c) => c.role === 'TH' && c.lines.join(' ') === w.inOrOut);
      expect(inOut.map((c) => c.alt)).toEqual(
        expect.arrayContaining([
          fill(w.inOrOutOf, { account: wording.funds }),
          fill(w.inOrOutOf, { account: share('Shared PA team') }),
          fill(w.inOrOutOf, { account: share('Day activities') }),
        ]),
      );
    });
  }

  it('keep an ordinary statement upright, at the usual type size', async () => {
    const statement = poolStatement('en');
    const small = {
      ...statement,
      shares: statement.shares.map((s) => ({ ...s, opening: '10.00', contributions: '10.00', closing: '20.00' })),
      totals: { ...statement.totals, opening: '20.00', contributions: '20.00', closing: '40.00' },
      purchasesByProvider: [],
      unpaidInvoices: [],
    };
    const pages = await pdfPages(await renderPoolStatementPdf(small, WORDING.en));
    expect(pages.every((page) => page.height > page.width)).toBe(true);
  });
});
