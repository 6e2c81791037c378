import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/database';
import { newId } from '../../db/ids';

export interface MatchDraft {
  method: 'reference' | 'amount_date' | 'contra' | 'manual' | 'booked';
  lineIds: string[];
  entryIds: string[];
}

const ROWS_PER_STATEMENT = 5000;

/**
 * Writes matches in a few statements however many there are (auto-matching a year of bank lines is 100,000 of
 * them): rows travel as one JSON parameter per statement. The unique indexes refuse a line or entry matched twice.
 */
export async function insertMatches(
  tx: Tx,
  coopId: string,
  actorTokenId: string,
  drafts: readonly MatchDraft[],
): Promise<string[]> {
  const withIds = drafts.map((draft) => ({ ...draft, id: newId() }));
  for (let start = 0; start < withIds.length; start += ROWS_PER_STATEMENT) {
    const chunk = withIds.slice(start, start + ROWS_PER_STATEMENT);
    const matchRows = chunk.map((m) => ({ id: m.id, method: m.method }));
    const lineRows = chunk.flatMap((m) => m.lineIds.map((lineId) => ({ match_id: m.id, bank_line_id: lineId })));
    const entryRows = chunk.flatMap((m) => m.entryIds.map((entryId) => ({ match_id: m.id, entry_id: entryId })));
    await tx.execute(sql`
      insert into reconciliation_matches (id, coop_id, method, created_by_token_id)
      select r.id, ${coopId}::uuid, r.method, ${actorTokenId}::uuid
        from jsonb_to_recordset(${JSON.stringify(matchRows)}::jsonb) as r(id uuid, method text)`);
    if (lineRows.length > 0) {
      await tx.execute(sql`
        insert into match_bank_lines (match_id, coop_id, bank_line_id)
        select r.match_id, ${coopId}::uuid, r.bank_line_id
          from jsonb_to_recordset(${JSON.stringify(lineRows)}::jsonb) as r(match_id uuid, bank_line_id uuid)`);
    }
    if (entryRows.length > 0) {
      await tx.execute(sql`
        insert into match_entries (match_id, coop_id, entry_id)
        select r.match_id, ${coopId}::uuid, r.entry_id
          from jsonb_to_recordset(${JSON.stringify(entryRows)}::jsonb) as r(match_id uuid, entry_id uuid)`);
    }
  }
  return withIds.map((m) => m.id);
}
