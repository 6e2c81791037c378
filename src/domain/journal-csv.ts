import { renderCsv } from './csv';
import type { JournalEntry } from './hledger';
import { formatMoney } from './money';

/** Stable column names of the journal CSV: one row per posting, amounts signed debit-positive in pounds. */
export const JOURNAL_CSV_COLUMNS = [
  'entry_id',
  'value_date',
  'kind',
  'memo',
  'reference',
  'account_code',
  'amount',
] as const;

export function renderJournalCsv(entries: readonly JournalEntry[]): string {
  return renderCsv(JOURNAL_CSV_COLUMNS, journalCsvRows(entries));
}

/** The CSV rows of some entries, one per posting (a long export writes them a page at a time). */
export function journalCsvRows(entries: readonly JournalEntry[]): string[][] {
  return entries.flatMap((entry) =>
    entry.postings.map((p) => [
      entry.id,
      entry.valueDate,
      entry.kind,
      entry.memo,
      entry.reference ?? '',
      p.accountCode,
      formatMoney(p.amount),
    ]),
  );
}
