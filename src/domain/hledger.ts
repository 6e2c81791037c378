import { type Money, formatMoney } from './money';

export interface JournalPosting {
  accountCode: string;
  amount: Money;
}

export interface JournalEntry {
  id: string;
  valueDate: string;
  kind: string;
  memo: string;
  reference: string | null;
  postings: JournalPosting[];
}

/** Characters that would end an hledger description early or break a line. */
const UNSAFE_IN_DESCRIPTION = /[;|\r\n\t]/g;

/**
 * Renders entries as an hledger journal. Account names are the stable account codes; amounts are signed
 * debit-positive in pounds, so `hledger bal` prints the same figure as the chart of accounts.
 */
export function renderHledgerJournal(coopName: string, entries: readonly JournalEntry[]): string {
  return hledgerHeader(coopName) + hledgerEntries(entries);
}

/** The journal's first lines; a long export writes them, then its entries a page at a time (`hledgerEntries`). */
export function hledgerHeader(coopName: string): string {
  return `; Cronfa journal export for ${coopName.replace(/[\r\n]/g, ' ')}\ncommodity £1,000.00\n`;
}

/** Entries as journal text, each after a blank line: pages of entries concatenate into one journal. */
export function hledgerEntries(entries: readonly JournalEntry[]): string {
  const lines: string[] = [];
  for (const entry of entries) {
    const description = entry.memo.replace(UNSAFE_IN_DESCRIPTION, ' ');
    // hledger reads a description starting with "(" as the entry's code: an empty code `()` keeps it the description.
    const code = entry.reference
      ? ` (${entry.reference.replace(/[()\r\n]/g, ' ')})`
      : description.startsWith('(')
        ? ' ()'
        : '';
    lines.push('', `${entry.valueDate} *${code} ${description}  ; entry:${entry.id}, kind:${entry.kind}`);
    for (const posting of entry.postings) {
      lines.push(`    ${posting.accountCode}  ${hledgerAmount(posting.amount)}`);
    }
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

function hledgerAmount(amount: Money): string {
  const text = formatMoney(amount.abs());
  return amount.isNegative() ? `-£${text}` : `£${text}`;
}
