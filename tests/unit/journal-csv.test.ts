import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JournalEntry } from '../../src/domain/hledger';
import { JOURNAL_CSV_COLUMNS, journalCsvRows, renderJournalCsv } from '../../src/domain/journal-csv';
import { Decimal, MoneyFormatError, ZERO, decimal, parseMoney } from '../../src/domain/money';

const HEADER = 'entry_id,value_date,kind,memo,reference,account_code,amount';

const entry = (over: Partial<JournalEntry> & Pick<JournalEntry, 'id'>): JournalEntry => ({
  valueDate: '2026-03-02',
  kind: 'dp_receipt',
  memo: 'Direct Payment received',
  reference: null,
  postings: [],
  ...over,
});

const receipt = entry({
  id: 'e-1',
  memo: 'Direct Payment received for WXM-1',
  reference: 'WXM-0302',
  postings: [
    { accountCode: 'assets:bank', amount: parseMoney('1234.56') },
    { accountCode: 'liabilities:holders:WXM-1:funds', amount: parseMoney('-1234.56') },
  ],
});
/** Text a treasurer typed, and a refund that takes money back out of the bank. */
const typed = entry({
  id: 'e-2',
  valueDate: '2026-03-09',
  kind: 'pool_contribution',
  memo: '=HYPERLINK("http://x","click")',
  reference: '+44 REF',
  postings: [
    { accountCode: 'assets:bank', amount: parseMoney('-12.00') },
    { accountCode: 'liabilities:suspense', amount: parseMoney('12') },
  ],
});

describe('journal CSV columns', () => {
  it('are the stable column names, in order', () => {
    expect([...JOURNAL_CSV_COLUMNS]).toEqual([
      'entry_id',
      'value_date',
      'kind',
      'memo',
      'reference',
      'account_code',
      'amount',
    ]);
  });

  it('make the whole document for no entries', () => {
    expect(renderJournalCsv([])).toBe(`${HEADER}\n`);
    expect(journalCsvRows([])).toEqual([]);
  });
});

describe('journal CSV rows', () => {
  it('give one row per posting, in entry then posting order, amounts signed debit-positive with two decimals', () => {
    expect(journalCsvRows([receipt, typed])).toEqual([
      ['e-1', '2026-03-02', 'dp_receipt', 'Direct Payment received for WXM-1', 'WXM-0302', 'assets:bank', '1234.56'],
      [
        'e-1',
        '2026-03-02',
        'dp_receipt',
        'Direct Payment received for WXM-1',
        'WXM-0302',
        'liabilities:holders:WXM-1:funds',
        '-1234.56',
      ],
      ['e-2', '2026-03-09', 'pool_contribution', '=HYPERLINK("http://x","click")', '+44 REF', 'assets:bank', '-12.00'],
      [
        'e-2',
        '2026-03-09',
        'pool_contribution',
        '=HYPERLINK("http://x","click")',
        '+44 REF',
        'liabilities:suspense',
        '12.00',
      ],
    ]);
  });

  it('write a missing reference as an empty cell, and every amount with exactly two decimals', () => {
    const rows = journalCsvRows([
      entry({
        id: 'e-3',
        postings: [
          { accountCode: 'assets:bank', amount: parseMoney('0.5') },
          { accountCode: 'assets:bank', amount: parseMoney('-0.01') },
          { accountCode: 'assets:bank', amount: decimal(7) },
          { accountCode: 'assets:bank', amount: parseMoney('999999999999.99') },
          // A negated zero is written as plain 0.00.
          { accountCode: 'assets:bank', amount: ZERO.neg() },
        ],
      }),
    ]);
    expect(rows.map((r) => r[4])).toEqual(['', '', '', '', '']);
    expect(rows.map((r) => r[6])).toEqual(['0.50', '-0.01', '7.00', '999999999999.99', '0.00']);
  });

  it('leave out an entry that has no postings', () => {
    expect(journalCsvRows([entry({ id: 'empty' }), receipt]).map((r) => r[0])).toEqual(['e-1', 'e-1']);
  });

  it('refuse an amount with a fraction of a penny', () => {
    const bad = entry({ id: 'e-4', postings: [{ accountCode: 'assets:bank', amount: decimal('0.005') }] });
    expect(() => journalCsvRows([bad])).toThrow(MoneyFormatError);
    expect(() => renderJournalCsv([bad])).toThrow(MoneyFormatError);
  });
});

describe('journal CSV document', () => {
  it('neutralises formula-like text cells while negative amounts stay numbers', () => {
    expect(renderJournalCsv([typed])).toBe(
      [
        HEADER,
        `e-2,2026-03-09,pool_contribution,"'=HYPERLINK(""http://x"",""click"")",'+44 REF,assets:bank,-12.00`,
        `e-2,2026-03-09,pool_contribution,"'=HYPERLINK(""http://x"",""click"")",'+44 REF,liabilities:suspense,12.00`,
        '',
      ].join('\n'),
    );
  });

  it.each([
    ['@SUM(A1:A9)', `'@SUM(A1:A9)`],
    ['-5 refund', `'-5 refund`],
    ['+cmd', `'+cmd`],
    ['\t=1+1', `'\t=1+1`],
    ['Rent, March', 'Rent, March'],
    ['Line one\nLine two', 'Line one\nLine two'],
    ['Say "diolch"', 'Say "diolch"'],
    ['Tŷ Gwyn – £5', 'Tŷ Gwyn – £5'],
  ])('round-trips the memo %j as %j', (memo, expected) => {
    const rows = parse(renderJournalCsv([{ ...typed, memo, reference: null }])) as string[][];
    expect(rows).toHaveLength(3);
    expect(rows.slice(1).map((r) => [r[3], r[4], r[6]])).toEqual([
      [expected, '', '-12.00'],
      [expected, '', '12.00'],
    ]);
  });

  it('quotes what CSV needs quoted, so each posting is one record', () => {
    const text = renderJournalCsv([{ ...receipt, memo: 'Rent, "March"\nand April' }]);
    expect(text.split('\n')[1]).toBe('e-1,2026-03-02,dp_receipt,"Rent, ""March""');
    expect(parse(text)).toHaveLength(3);
  });

  it('sums back, per account, to the penny', () => {
    const rows = parse(renderJournalCsv([receipt, typed]), { columns: true }) as Record<string, string>[];
    const byAccount = new Map<string, Decimal>();
    for (const r of rows) {
      byAccount.set(r.account_code!, (byAccount.get(r.account_code!) ?? ZERO).plus(parseMoney(r.amount!)));
    }
    expect(Object.fromEntries([...byAccount].map(([code, total]) => [code, total.toFixed(2)]))).toEqual({
      'assets:bank': '1222.56',
      'liabilities:holders:WXM-1:funds': '-1234.56',
      'liabilities:suspense': '12.00',
    });
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Whatever a treasurer types, the CSV keeps it (but for a leading quote mark) and never hands a spreadsheet a formula.

function fixed2(pence: bigint): string {
  const sign = pence < 0n ? '-' : '';
  const abs = pence < 0n ? -pence : pence;
  return `${sign}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
}
const typedText = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc
    .tuple(fc.constantFrom('=', '+', '-', '@', '\t', '\r', '"', ',', '\n', "'"), fc.string({ maxLength: 12 }))
    .map(([start, rest]) => start + rest),
);
/** Cells a spreadsheet would run: starting with = + - @ (or a tab or carriage return), unless a plain number. */
const runnable = (cell: string) => /^[=+\-@\t\r]/.test(cell) && !/^-?\d+(\.\d+)?$/.test(cell);

describe('journal CSV (property)', () => {
  it('keeps typed text, never lets it run as a formula, and keeps every amount exact', () => {
    fc.assert(
      fc.property(
        typedText,
        fc.option(typedText, { nil: null }),
        fc.array(fc.bigInt({ min: -99_999_999_999_999n, max: 99_999_999_999_999n }), { minLength: 1, maxLength: 5 }),
        (memo, reference, pence) => {
          const text = renderJournalCsv([
            entry({
              id: 'e-p',
              memo,
              reference,
              postings: pence.map((p) => ({ accountCode: 'assets:bank', amount: parseMoney(fixed2(p)) })),
            }),
          ]);
          const rows = parse(text, { relax_column_count: false }) as string[][];
          expect(rows[0]).toEqual([...JOURNAL_CSV_COLUMNS]);
          expect(rows).toHaveLength(1 + pence.length);
          for (const [i, row] of rows.slice(1).entries()) {
            for (const [cell, original] of [
              [row[3]!, memo],
              [row[4]!, reference ?? ''],
            ] as const) {
              expect(runnable(cell)).toBe(false);
              expect(cell === original || cell === `'${original}`).toBe(true);
            }
            // The amount is the number itself, never prefixed.
            expect(row[6]).toBe(fixed2(pence[i]!));
          }
        },
      ),
    );
  });
});
