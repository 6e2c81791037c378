import type { Queryable } from '../../db/database';
import { formatMoney } from '../../domain/money';
import { autoMatch } from '../../domain/reconciliation/auto-match';
import type { UseCaseContext } from '../context';
import {
  byDateThenId,
  closedThroughOf,
  ledgerBankBalanceAt,
  reconciledThroughOf,
  statementBalanceAt,
  unmatchedBankEntries,
  unmatchedLines,
} from './queries';

const ITEMS_SHOWN_MAX = 500;

/**
 * Where reconciliation stands at the end of `asOf`: the ledger's bank balance, the bank's, the difference, and what
 * is unmatched on each side (oldest first), each unmatched line with the entries it could be.
 */
export function reconciliationSummary({ database }: UseCaseContext, coopId: string, asOf: string, windowDays: number) {
  return database.read(async (db) => {
    const { ledgerBankBalance, statementBalance } = await balancesAt(db, coopId, asOf);
    const bounds = { after: null, through: asOf };
    const lines = (await unmatchedLines(db, coopId, bounds)).sort(byDateThenId((l) => l.postedOn));
    const entries = (await unmatchedBankEntries(db, coopId, bounds)).sort(byDateThenId((e) => e.valueDate));
    const candidates = new Map(autoMatch(lines, entries, windowDays).suggestions.map((s) => [s.lineId, s.entryIds]));
    return {
      asOf,
      ledgerBankBalance: formatMoney(ledgerBankBalance),
      statementBalance: statementBalance ? formatMoney(statementBalance) : null,
      difference: statementBalance ? formatMoney(ledgerBankBalance.minus(statementBalance)) : null,
      closedThrough: await closedThroughOf(db, coopId),
      reconciledThrough: await reconciledThroughOf(db, coopId),
      unmatchedBankLineCount: lines.length,
      unmatchedEntryCount: entries.length,
      unmatchedBankLines: lines.slice(0, ITEMS_SHOWN_MAX).map((l) => ({
        id: l.id,
        postedOn: l.postedOn,
        description: l.description,
        amount: l.amount,
        candidateEntryIds: candidates.get(l.id) ?? [],
      })),
      unmatchedEntries: entries
        .slice(0, ITEMS_SHOWN_MAX)
        .map((e) => ({ id: e.id, valueDate: e.valueDate, kind: e.kind, memo: e.memo, amount: e.amount })),
    };
  });
}

export async function balancesAt(db: Queryable, coopId: string, asOf: string) {
  return {
    ledgerBankBalance: await ledgerBankBalanceAt(db, coopId, asOf),
    statementBalance: await statementBalanceAt(db, coopId, asOf),
  };
}
