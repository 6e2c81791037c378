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
  const lines = [`; Cronfa journal export for ${coopName.replace(/[\r\n]/g, ' ')}`, 'commodity £1,000.00', ''];
  for (const entry of entries) {
    const description = entry.memo.replace(UNSAFE_IN_DESCRIPTION, ' ');
    const code = entry.reference ? ` (${entry.reference.replace(/[()\r\n]/g, ' ')})` : '';
    lines.push(`${entry.valueDate} *${code} ${description}  ; entry:${entry.id}, kind:${entry.kind}`);
    for (const posting of entry.postings) {
      lines.push(`    ${posting.accountCode}  ${hledgerAmount(posting.amount)}`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

function hledgerAmount(amount: Money): string {
  const text = formatMoney(amount.abs());
  return amount.isNegative() ? `-£${text}` : `£${text}`;
}
