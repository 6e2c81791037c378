import { newId } from '../db/ids';

export interface MatchDraft {
  method: 'reference' | 'amount_date' | 'contra' | 'manual' | 'booked';
  lineIds: string[];
  entryIds: string[];
}

/**
 * One statement's worth of matches as JSON text, one parameter per table: `matches` for reconciliation_matches,
 * `lines` for match_bank_lines and `entries` for match_entries (null when there are none).
 */
export interface MatchRowChunk {
  matches: string;
  lines: string | null;
  entries: string | null;
}

/**
 * Gives each match its id and turns the matches into rows, `perChunk` matches to a chunk. Pure, so an auto-match
 * thread can build them and hand the serving thread a few strings.
 */
export function matchRowChunks(
  drafts: readonly MatchDraft[],
  perChunk: number,
): { ids: string[]; chunks: MatchRowChunk[] } {
  const ids = drafts.map(() => newId());
  const chunks: MatchRowChunk[] = [];
  for (let start = 0; start < drafts.length; start += perChunk) {
    const matchRows: { id: string; method: string }[] = [];
    const lineRows: { match_id: string; bank_line_id: string }[] = [];
    const entryRows: { match_id: string; entry_id: string }[] = [];
    for (let i = start; i < Math.min(start + perChunk, drafts.length); i += 1) {
      const draft = drafts[i]!;
      const id = ids[i]!;
      matchRows.push({ id, method: draft.method });
      for (const lineId of draft.lineIds) lineRows.push({ match_id: id, bank_line_id: lineId });
      for (const entryId of draft.entryIds) entryRows.push({ match_id: id, entry_id: entryId });
    }
    chunks.push({
      matches: JSON.stringify(matchRows),
      lines: lineRows.length > 0 ? JSON.stringify(lineRows) : null,
      entries: entryRows.length > 0 ? JSON.stringify(entryRows) : null,
    });
  }
  return { ids, chunks };
}
