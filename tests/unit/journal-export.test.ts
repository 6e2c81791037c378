import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { renderCsv, renderCsvRows } from '../../src/domain/csv';
import { type JournalEntry, hledgerEntries, hledgerHeader, renderHledgerJournal } from '../../src/domain/hledger';
import { JOURNAL_CSV_COLUMNS, journalCsvRows, renderJournalCsv } from '../../src/domain/journal-csv';
import { parseMoney } from '../../src/domain/money';

/** A long export is rendered a page at a time: the pages must join into exactly the whole document. */
const entries: JournalEntry[] = Array.from({ length: 7 }, (_, i) => ({
  id: `00000000-0000-7000-8000-00000000000${i}`,
  valueDate: `2026-01-0${i + 1}`,
  kind: i % 2 === 0 ? 'dp_receipt' : 'pool_contribution',
  memo: i === 3 ? 'Memo; with | odd\ncharacters' : `Entry ${i}`,
  reference: i === 2 ? '(REF) 2' : null,
  postings: [
    { accountCode: 'assets:bank', amount: parseMoney(`${i + 1}0.00`) },
    { accountCode: 'liabilities:holders:DP-1:funds', amount: parseMoney(`-${i + 1}0.00`) },
  ],
}));

describe('journal export pages', () => {
  it('join into the same hledger journal as rendering it whole', () => {
    const pages = [entries.slice(0, 3), entries.slice(3, 6), entries.slice(6), []];
    expect(hledgerHeader('Cwmni') + pages.map(hledgerEntries).join('')).toBe(renderHledgerJournal('Cwmni', entries));
    const text = renderHledgerJournal('Cwmni', entries);
    expect(text).toContain('2026-01-03 * ( REF  2) Entry 2  ; entry:');
    expect(text).toContain('    assets:bank  £10.00\n    liabilities:holders:DP-1:funds  -£10.00\n');
    expect(text).not.toContain('Memo; with');
    expect(renderHledgerJournal('Cwmni', [])).toBe('; Cronfa journal export for Cwmni\ncommodity £1,000.00\n');
  });

  it('join into the same CSV as rendering it whole, one row per posting', () => {
    const pages = [entries.slice(0, 4), entries.slice(4)];
    const paged = renderCsv(JOURNAL_CSV_COLUMNS, []) + pages.map((p) => renderCsvRows(journalCsvRows(p))).join('');
    expect(paged).toBe(renderJournalCsv(entries));
    const rows = parse(paged) as string[][];
    expect(rows[0]).toEqual([...JOURNAL_CSV_COLUMNS]);
    expect(rows).toHaveLength(1 + 2 * entries.length);
    expect(rows[2]).toEqual([
      entries[0]!.id,
      '2026-01-01',
      'dp_receipt',
      'Entry 0',
      '',
      'liabilities:holders:DP-1:funds',
      '-10.00',
    ]);
  });
});
