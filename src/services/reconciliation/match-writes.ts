import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/database';
import { type MatchDraft, type MatchRowChunk, matchRowChunks } from '../../workers/match-rows';
import { yieldToEventLoop } from '../yield';

export type { MatchDraft } from '../../workers/match-rows';

/** Matches per statement: auto-matching a year of bank lines writes 100,000 of them. */
export const MATCHES_PER_STATEMENT = 5000;

/** Writes matches and returns their ids. The unique indexes refuse a line or entry matched twice. */
export async function insertMatches(
  tx: Tx,
  coopId: string,
  actorTokenId: string,
  drafts: readonly MatchDraft[],
): Promise<string[]> {
  const { ids, chunks } = matchRowChunks(drafts, MATCHES_PER_STATEMENT);
  await insertMatchChunks(tx, coopId, actorTokenId, chunks);
  return ids;
}

/**
 * Writes matches already turned into rows, in a few statements however many there are: rows travel as one JSON
 * parameter per table per chunk. Yields to other requests between chunks.
 */
export async function insertMatchChunks(
  tx: Tx,
  coopId: string,
  actorTokenId: string,
  chunks: readonly MatchRowChunk[],
): Promise<void> {
  for (const chunk of chunks) {
    await tx.execute(sql`
      insert into reconciliation_matches (id, coop_id, method, created_by_token_id)
      select r.id, ${coopId}::uuid, r.method, ${actorTokenId}::uuid
        from jsonb_to_recordset(${chunk.matches}::jsonb) as r(id uuid, method text)`);
    if (chunk.lines !== null) {
      await tx.execute(sql`
        insert into match_bank_lines (match_id, coop_id, bank_line_id)
        select r.match_id, ${coopId}::uuid, r.bank_line_id
          from jsonb_to_recordset(${chunk.lines}::jsonb) as r(match_id uuid, bank_line_id uuid)`);
    }
    if (chunk.entries !== null) {
      await tx.execute(sql`
        insert into match_entries (match_id, coop_id, entry_id)
        select r.match_id, ${coopId}::uuid, r.entry_id
          from jsonb_to_recordset(${chunk.entries}::jsonb) as r(match_id uuid, entry_id uuid)`);
    }
    if (chunks.length > 1) await yieldToEventLoop();
  }
}
