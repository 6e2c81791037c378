import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { type JournalEntry, hledgerEntries, hledgerHeader, renderHledgerJournal } from '../../src/domain/hledger';
import { MoneyFormatError, ZERO, decimal, parseMoney } from '../../src/domain/money';
import { hledgerBalances, runHledgerChecks } from '../support/hledger';

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
  valueDate: '2026-03-02',
  kind: 'dp_receipt',
  memo: 'Direct Payment received for WXM-1',
  reference: 'WXM-0302',
  postings: [
    { accountCode: 'assets:bank', amount: parseMoney('1234567.89') },
    { accountCode: 'liabilities:holders:WXM-1:funds', amount: parseMoney('-1234567.89') },
  ],
});
// A three-way split with the odd penny on one share: debits 33.34 + 33.33 + 33.33 against one credit of 100.00.
const sharedCost = entry({
  id: 'e-2',
  valueDate: '2026-03-05',
  kind: 'shared_cost',
  memo: 'Payroll bureau',
  postings: [
    { accountCode: 'liabilities:pools:shared-pa-team:WXM-1', amount: parseMoney('33.34') },
    { accountCode: 'liabilities:pools:shared-pa-team:WXM-2', amount: parseMoney('33.33') },
    { accountCode: 'liabilities:pools:shared-pa-team:WXM-3', amount: parseMoney('33.33') },
    { accountCode: 'liabilities:providers:payroll-bureau', amount: parseMoney('-100.00') },
  ],
});

describe('hledger header', () => {
  it('names the co-op in a comment and declares the pound with thousands separators', () => {
    expect(hledgerHeader('Cronfa Gofal Tŷ Gwyn')).toBe(
      '; Cronfa journal export for Cronfa Gofal Tŷ Gwyn\ncommodity £1,000.00\n',
    );
  });

  it('keeps a co-op name with line breaks on the comment line', () => {
    expect(hledgerHeader('Cronfa\r\nGofal\nCymru')).toBe(
      '; Cronfa journal export for Cronfa  Gofal Cymru\ncommodity £1,000.00\n',
    );
  });
});

describe('hledger entries', () => {
  it('writes each entry after a blank line: date, cleared mark, code, description, then its id and kind as tags', () => {
    expect(hledgerEntries([receipt, sharedCost])).toBe(
      [
        '',
        '2026-03-02 * (WXM-0302) Direct Payment received for WXM-1  ; entry:e-1, kind:dp_receipt',
        '    assets:bank  £1234567.89',
        '    liabilities:holders:WXM-1:funds  -£1234567.89',
        '',
        '2026-03-05 * Payroll bureau  ; entry:e-2, kind:shared_cost',
        '    liabilities:pools:shared-pa-team:WXM-1  £33.34',
        '    liabilities:pools:shared-pa-team:WXM-2  £33.33',
        '    liabilities:pools:shared-pa-team:WXM-3  £33.33',
        '    liabilities:providers:payroll-bureau  -£100.00',
        '',
      ].join('\n'),
    );
  });

  it('signs amounts debit-positive, the minus before the pound sign, always with two decimals', () => {
    const text = hledgerEntries([
      entry({
        id: 'e-3',
        postings: [
          { accountCode: 'assets:bank', amount: parseMoney('0.01') },
          { accountCode: 'equity:coop', amount: parseMoney('-0.01') },
          { accountCode: 'assets:bank', amount: parseMoney('5') },
          { accountCode: 'equity:coop', amount: parseMoney('-5.5') },
          { accountCode: 'assets:bank', amount: decimal('0.50') },
          { accountCode: 'liabilities:suspense', amount: ZERO },
        ],
      }),
    ]);
    expect(text.split('\n').slice(2, -1)).toEqual([
      '    assets:bank  £0.01',
      '    equity:coop  -£0.01',
      '    assets:bank  £5.00',
      '    equity:coop  -£5.50',
      '    assets:bank  £0.50',
      '    liabilities:suspense  £0.00',
    ]);
  });

  it('refuses an amount with a fraction of a penny', () => {
    const bad = entry({ id: 'e-4', postings: [{ accountCode: 'assets:bank', amount: decimal('1.005') }] });
    expect(() => hledgerEntries([bad])).toThrow(MoneyFormatError);
  });

  it('blanks out characters that would end the description early or break the line', () => {
    const text = hledgerEntries([
      entry({ id: 'e-5', memo: 'Rent; March | April\r\nline\ttab', reference: 'INV(7)\n3' }),
    ]);
    expect(text).toBe('\n2026-03-02 * (INV 7  3) Rent  March   April  line tab  ; entry:e-5, kind:dp_receipt\n');
  });

  it('writes no code for an empty reference, and just the heading line for an entry without postings', () => {
    expect(hledgerEntries([entry({ id: 'e-6', memo: 'Nothing', reference: '' })])).toBe(
      '\n2026-03-02 * Nothing  ; entry:e-6, kind:dp_receipt\n',
    );
  });

  it('writes nothing for no entries, and pages that join into the whole journal', () => {
    expect(hledgerEntries([])).toBe('');
    expect(renderHledgerJournal('C', [])).toBe(hledgerHeader('C'));
    expect(hledgerHeader('C') + hledgerEntries([receipt]) + hledgerEntries([]) + hledgerEntries([sharedCost])).toBe(
      renderHledgerJournal('C', [receipt, sharedCost]),
    );
    expect(renderHledgerJournal('C', [receipt]).split('\n')).toEqual([
      '; Cronfa journal export for C',
      'commodity £1,000.00',
      '',
      '2026-03-02 * (WXM-0302) Direct Payment received for WXM-1  ; entry:e-1, kind:dp_receipt',
      '    assets:bank  £1234567.89',
      '    liabilities:holders:WXM-1:funds  -£1234567.89',
      '',
    ]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// hledger itself reading the journal (CI installs it; on a developer's machine these run when it is installed).

interface PrintedPosting {
  code: string;
  description: string;
  comment: string;
  account: string;
  amount: string;
}

/** The transactions as hledger reads them back, one row per posting (`hledger print -O csv`). */
function hledgerPrint(journal: string): PrintedPosting[] {
  const file = join(mkdtempSync(join(tmpdir(), 'cronfa-hledger-')), 'coop.journal');
  writeFileSync(file, journal);
  const csv = execFileSync('hledger', ['-f', file, 'print', '-O', 'csv'], { encoding: 'utf8' });
  return (parse(csv, { columns: true }) as Record<string, string>[]).map((r) => ({
    code: r.code!,
    description: r.description!,
    comment: r.comment!,
    account: r.account!,
    amount: r.amount!,
  }));
}

const two = (memo: string, reference: string | null, id = 'e-9') =>
  entry({
    id,
    memo,
    reference,
    kind: 'pool_contribution',
    postings: [
      { accountCode: 'liabilities:holders:WXM-1:funds', amount: parseMoney('150.00') },
      { accountCode: 'liabilities:pools:shared-pa-team:WXM-1', amount: parseMoney('-150.00') },
    ],
  });

describe.runIf(runHledgerChecks)('hledger reading the journal', () => {
  it('balances every account to the penny, debit-positive, as the chart of accounts does', () => {
    const journal = renderHledgerJournal('Cronfa Gofal', [
      receipt,
      sharedCost,
      two('Into the pool', null),
      entry({
        id: 'e-10',
        kind: 'reversal',
        memo: 'Reversal: keyed twice',
        postings: [
          { accountCode: 'liabilities:pools:shared-pa-team:WXM-1', amount: parseMoney('150.00') },
          { accountCode: 'liabilities:holders:WXM-1:funds', amount: parseMoney('-150.00') },
        ],
      }),
    ]);
    expect(hledgerBalances(journal)).toEqual({
      'assets:bank': '1234567.89',
      'liabilities:holders:WXM-1:funds': '-1234567.89',
      'liabilities:pools:shared-pa-team:WXM-1': '33.34',
      'liabilities:pools:shared-pa-team:WXM-2': '33.33',
      'liabilities:pools:shared-pa-team:WXM-3': '33.33',
      'liabilities:providers:payroll-bureau': '-100.00',
    });
  });

  it('reads back the description, code, entry id and kind as written, even after the unsafe characters', () => {
    const printed = hledgerPrint(
      renderHledgerJournal('Cronfa', [
        two('Rent; March | April\nline\ttab', 'INV(7)', 'e-11'),
        two('Tŷ Gwyn: £5 off', 'WXM-0302', 'e-12'),
      ]),
    );
    expect(printed.map((p) => [p.code, p.description, p.comment, p.account, p.amount])).toEqual([
      [
        'INV 7 ',
        'Rent  March   April line tab',
        'entry:e-11, kind:pool_contribution',
        'liabilities:holders:WXM-1:funds',
        '150.00',
      ],
      [
        'INV 7 ',
        'Rent  March   April line tab',
        'entry:e-11, kind:pool_contribution',
        'liabilities:pools:shared-pa-team:WXM-1',
        '-150.00',
      ],
      [
        'WXM-0302',
        'Tŷ Gwyn: £5 off',
        'entry:e-12, kind:pool_contribution',
        'liabilities:holders:WXM-1:funds',
        '150.00',
      ],
      [
        'WXM-0302',
        'Tŷ Gwyn: £5 off',
        'entry:e-12, kind:pool_contribution',
        'liabilities:pools:shared-pa-team:WXM-1',
        '-150.00',
      ],
    ]);
  });

  // A memo that opens with a bracket, on an entry with no reference, would be read by hledger as the entry's code
  // (the journal would lose "(Correction)" from the description): such an entry is written with an empty code.
  it('keeps a memo that starts with "(" as the description when the entry has no reference', () => {
    const [first] = hledgerPrint(renderHledgerJournal('Cronfa', [two('(Correction) bank fee', null)]));
    expect([first!.code, first!.description]).toEqual(['', '(Correction) bank fee']);
  });

  it('keeps a memo that starts with "(" when the entry has a reference', () => {
    const [first] = hledgerPrint(renderHledgerJournal('Cronfa', [two('(Correction) bank fee', 'R-1')]));
    expect([first!.code, first!.description]).toEqual(['R-1', '(Correction) bank fee']);
  });
});
