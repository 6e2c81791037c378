import type { Queryable } from '../../db/database';
import { formatMoney } from '../../domain/money';
import type { UseCaseContext } from '../context';
import {
  closedThroughOf,
  firstUnmatchedLines,
  ledgerBankBalanceAt,
  reconciledThroughOf,
  statementBalanceAt,
  unmatchedEntriesShown,
  unmatchedLineCount,
} from './queries';

const ITEMS_SHOWN_MAX = 500;

/**
 * Where reconciliation stands at the end of `asOf`: the ledger's bank balance, the bank's, the difference, and what
 * is unmatched on each side (oldest first), each line shown with the entries it could be when there is more than
 * one. Counted and cut to the first items in SQL, with candidates found for the shown lines only, so a co-op with
 * hundreds of thousands of bank lines is answered as quickly as a small one.
 */
export function reconciliationSummary(
  { database, today }: UseCaseContext,
  coopId: string,
  requestedAsOf: string | undefined,
  windowDays: number,
) {
  const asOf = requestedAsOf ?? today;
  return database.read(async (db) => {
    const { ledgerBankBalance, statementBalance } = await balancesAt(db, coopId, asOf);
    const bounds = { after: null, through: asOf };
    const lines = await firstUnmatchedLines(db, coopId, bounds, ITEMS_SHOWN_MAX);
    const lineCount = lines.length < ITEMS_SHOWN_MAX ? lines.length : await unmatchedLineCount(db, coopId, bounds);
    const entries = await unmatchedEntriesShown(db, coopId, bounds, ITEMS_SHOWN_MAX, lines, windowDays);
    return {
      asOf,
      ledgerBankBalance: formatMoney(ledgerBankBalance),
      statementBalance: statementBalance ? formatMoney(statementBalance) : null,
      difference: statementBalance ? formatMoney(ledgerBankBalance.minus(statementBalance)) : null,
      closedThrough: await closedThroughOf(db, coopId),
      reconciledThrough: await reconciledThroughOf(db, coopId),
      unmatchedBankLineCount: lineCount,
      unmatchedEntryCount: entries.count,
      unmatchedBankLines: lines.map((l) => ({
        id: l.id,
        postedOn: l.postedOn,
        description: l.description,
        amount: l.amount,
        candidateEntryIds: entries.candidates.get(l.id) ?? [],
      })),
      unmatchedEntries: entries.entries,
    };
  });
}

export async function balancesAt(db: Queryable, coopId: string, asOf: string) {
  return {
    ledgerBankBalance: await ledgerBankBalanceAt(db, coopId, asOf),
    statementBalance: await statementBalanceAt(db, coopId, asOf),
  };
}
