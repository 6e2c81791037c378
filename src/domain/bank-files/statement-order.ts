import { type Money, formatMoney, sum } from '../money';
import { type BankFile, type BankFileLine, invalidBankFile } from './bank-file';

/**
 * Puts a file's lines oldest first and works out its opening and closing balances. Banks write newest-first or
 * oldest-first; when every line carries the running balance, the chain of balances must hold in one of the two
 * orders, which also catches a mis-mapped column. Without balances, an opening balance given with the upload (or
 * the file's closing balance, for OFX) anchors the statement.
 */
export function orderBankFile(
  linesInFileOrder: BankFileLine[],
  known: { openingBalance?: Money | null; closingBalance?: Money | null } = {},
): BankFile {
  if (linesInFileOrder.length === 0) throw invalidBankFile(null, 'it has no transactions');
  const first = linesInFileOrder[0]!;
  const last = linesInFileOrder[linesInFileOrder.length - 1]!;
  const reversed = [...linesInFileOrder].reverse();
  const candidates =
    first.postedOn > last.postedOn
      ? [reversed]
      : first.postedOn < last.postedOn
        ? [linesInFileOrder]
        : [linesInFileOrder, reversed];
  const chronological = candidates.find(isDateOrdered);
  if (!chronological)
    throw invalidBankFile(firstOutOfOrder(candidates[0]!), 'the dates are not in order, oldest or newest first');

  const total = sum(chronological.map((l) => l.amount));
  if (chronological.every((l) => l.runningBalance !== null)) {
    const ordered = candidates.filter(isDateOrdered).find((lines) => brokenChainAt(lines) === null);
    if (!ordered) {
      const broken = brokenChainAt(chronological)!;
      throw invalidBankFile(
        broken.lineNumber,
        `the balance ${formatMoney(broken.runningBalance!)} does not follow from the line before it and this amount`,
      );
    }
    const opening = ordered[0]!.runningBalance!.minus(ordered[0]!.amount);
    return { lines: ordered, openingBalance: opening, closingBalance: ordered[ordered.length - 1]!.runningBalance };
  }
  if (known.openingBalance)
    return {
      lines: chronological,
      openingBalance: known.openingBalance,
      closingBalance: known.openingBalance.plus(total),
    };
  if (known.closingBalance)
    return {
      lines: chronological,
      openingBalance: known.closingBalance.minus(total),
      closingBalance: known.closingBalance,
    };
  return { lines: chronological, openingBalance: null, closingBalance: null };
}

function isDateOrdered(lines: BankFileLine[]): boolean {
  return lines.every((line, i) => i === 0 || lines[i - 1]!.postedOn <= line.postedOn);
}

function firstOutOfOrder(lines: BankFileLine[]): number {
  const at = lines.findIndex((line, i) => i > 0 && lines[i - 1]!.postedOn > line.postedOn);
  return lines[at]!.lineNumber;
}

function brokenChainAt(lines: BankFileLine[]): BankFileLine | null {
  for (let i = 1; i < lines.length; i += 1) {
    const line = lines[i]!;
    if (!lines[i - 1]!.runningBalance!.plus(line.amount).eq(line.runningBalance!)) return line;
  }
  return null;
}

/**
 * A key naming each transaction the same way in every export that contains it, so a re-import skips it: the bank's
 * own transaction id when it gives one, otherwise date, amount and running balance (which differ between genuine
 * same-day, same-amount transactions), otherwise date, amount and description. A key seen again in the same file
 * is a genuine repeat and gets its occurrence number, counted oldest first (so exports should cover whole days).
 */
export function dedupeKeysOf(lines: readonly BankFileLine[]): string[] {
  const seen = new Map<string, number>();
  return lines.map((line) => {
    const amount = formatMoney(line.amount);
    const base = line.bankTransactionId
      ? `id:${line.bankTransactionId}`
      : line.runningBalance
        ? `balance:${line.postedOn}|${amount}|${formatMoney(line.runningBalance)}`
        : `text:${line.postedOn}|${amount}|${line.description.replace(/\s+/g, ' ').trim().toUpperCase()}`;
    const occurrence = (seen.get(base) ?? 0) + 1;
    seen.set(base, occurrence);
    return occurrence === 1 ? base : `${base}#${occurrence}`;
  });
}
