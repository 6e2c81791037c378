import {
  type AutoMatchMethod,
  type MatchableEntry,
  type MatchableLine,
  autoMatch,
} from '../domain/reconciliation/auto-match';
import { penniesOf } from '../domain/money';
import { type MatchRowChunk, matchRowChunks } from './match-rows';

/** What an auto-match thread is given: the unmatched lines and entries as the database wrote them, JSON text. */
/** A bank line as an auto-match thread reads it. */
export type LineTuple = [id: string, postedOn: string, amount: string, description: string];

/**
 * An entry as an auto-match thread reads it, with every reference a bank line might quote: the entry's own, the
 * holder's LA reference for a DP receipt, the invoice reference for a provider payment.
 */
export type EntryTuple = [
  id: string,
  valueDate: string,
  amount: string,
  reversesEntryId: string | null,
  reference: string | null,
  laReference: string | null,
  invoiceReference: string | null,
];

export interface AutoMatchTask {
  /** A JSON array of `LineTuple`s. */
  lines: string;
  /** A JSON array of `EntryTuple`s. */
  entries: string;
  windowDays: number;
  suggestionsShownMax: number;
  matchesPerChunk: number;
}

/** The matcher's answer: counts, the first suggestions, and the matches as rows ready to insert. */
export interface AutoMatchRows {
  matched: Record<AutoMatchMethod, number>;
  unmatchedLines: number;
  unmatchedEntries: number;
  suggestionCount: number;
  suggestions: { lineId: string; entryIds: string[] }[];
  chunks: MatchRowChunk[];
}

/** Runs the auto-matcher on a thread of its own: the same function, on the same lines and entries. */
export function autoMatchRows(task: AutoMatchTask): AutoMatchRows {
  const lines = (JSON.parse(task.lines) as LineTuple[]).map(
    ([id, postedOn, amount, description]): MatchableLine => ({ id, postedOn, amount: penniesOf(amount), description }),
  );
  const entries = (JSON.parse(task.entries) as EntryTuple[]).map(
    ([id, valueDate, amount, reversesEntryId, ...references]): MatchableEntry => ({
      id,
      valueDate,
      amount: penniesOf(amount),
      reversesEntryId,
      references: references.filter((r): r is string => r !== null && r !== ''),
    }),
  );
  const result = autoMatch(lines, entries, task.windowDays);
  const matched: Record<AutoMatchMethod, number> = { reference: 0, amount_date: 0, contra: 0 };
  let matchedLines = 0;
  let matchedEntries = 0;
  for (const match of result.matches) {
    matched[match.method] += 1;
    matchedLines += match.lineIds.length;
    matchedEntries += match.entryIds.length;
  }
  return {
    matched,
    unmatchedLines: lines.length - matchedLines,
    unmatchedEntries: entries.length - matchedEntries,
    suggestionCount: result.suggestions.length,
    suggestions: result.suggestions.slice(0, task.suggestionsShownMax),
    chunks: matchRowChunks(result.matches, task.matchesPerChunk).chunks,
  };
}
