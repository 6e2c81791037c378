import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { reconciliationMatches } from '../../../db/schema/index';
import { type Queryable, type Tx, rowShape, rowsOf } from '../../db/database';
import { DomainError, notFound, invalidInput } from '../../domain/errors';
import { type Money, ZERO, formatMoney, moneyFromDb, sum } from '../../domain/money';
import type { AutoMatchTask } from '../../workers/auto-match-task';
import type { ReconciliationWorkers } from '../../workers/reconciliation-workers';
import { WorkerLimitError } from '../../workers/worker-pool';
import { recordAudit } from '../audit';
import type { UseCaseContext } from '../context';
import { type MoneyWrite, runMoneyWrite } from '../money-writes';
import { lockReconciliation } from './locks';
import { MATCHES_PER_STATEMENT, type MatchDraft, insertMatchChunks, insertMatches } from './match-writes';
import { closedThroughOf, unmatchedBankEntriesJson, unmatchedLinesJson } from './queries';

const SUGGESTIONS_SHOWN_MAX = 100;

/**
 * Matches everything in the open period that can be matched without a guess; reports counts and suggestions. The
 * matcher runs on an auto-match thread: the serving thread only passes on the unmatched lines and entries as the
 * database wrote them (JSON text) and writes back the matches as the thread wrote them.
 */
export function runAutoMatch(write: MoneyWrite, windowDays: number, workers: ReconciliationWorkers) {
  return runMoneyWrite(write, async (tx) => {
    await lockReconciliation(tx, write.coopId);
    const bounds = { after: await closedThroughOf(tx, write.coopId), through: null };
    const lines = await unmatchedLinesJson(tx, write.coopId, bounds);
    const entries = await unmatchedBankEntriesJson(tx, write.coopId, bounds);
    const result = await matchOnThread(workers, {
      lines,
      entries,
      windowDays,
      suggestionsShownMax: SUGGESTIONS_SHOWN_MAX,
      matchesPerChunk: MATCHES_PER_STATEMENT,
    });
    await insertMatchChunks(tx, write.coopId, write.principal.tokenId, result.chunks);
    await recordAudit(tx, write.principal, {
      coopId: write.coopId,
      action: 'reconciliation.auto',
      targetType: 'coop',
      targetId: write.coopId,
    });
    return {
      windowDays,
      matched: {
        byReference: result.matched.reference,
        byAmountAndDate: result.matched.amount_date,
        contra: result.matched.contra,
      },
      unmatchedBankLines: result.unmatchedLines,
      unmatchedEntries: result.unmatchedEntries,
      suggestionCount: result.suggestionCount,
      suggestions: result.suggestions.map((s) => ({ bankLineId: s.lineId, entryIds: s.entryIds })),
    };
  });
}

async function matchOnThread(workers: ReconciliationWorkers, task: AutoMatchTask) {
  try {
    return await workers.autoMatch(task);
  } catch (error) {
    if (!(error instanceof WorkerLimitError)) throw error;
    const limit =
      error.limit === 'time'
        ? `took longer than the ${error.timeoutMs / 1000} s it may take`
        : `needed more than the ${error.memoryMb} MB of memory it may use`;
    throw new DomainError('unprocessable', `Auto-matching ${limit}, so nothing was matched.`, {
      limit: error.limit,
      ...(error.limit === 'time' ? { timeoutMs: error.timeoutMs } : { memoryMb: error.memoryMb }),
    });
  }
}

export interface ManualMatchInput {
  bankLineIds: string[];
  entryIds: string[];
}

/**
 * Matches bank lines with entries by hand: one line to several entries, several lines to one entry, or lines
 * (or entries) that cancel out on their own. The amounts must agree to the penny.
 */
export function createManualMatch(write: MoneyWrite, input: ManualMatchInput) {
  return runMoneyWrite(write, async (tx) => {
    await lockReconciliation(tx, write.coopId);
    const lines = await linesOf(tx, write.coopId, input.bankLineIds);
    const entries = await bankAmountsOf(tx, write.coopId, input.entryIds);
    // Written first so "already matched" (409) wins over a disagreement; a refusal below rolls it back.
    const [matchId] = await insertMatchesOnce(tx, write, {
      method: 'manual',
      lineIds: input.bankLineIds,
      entryIds: input.entryIds,
    });
    const linesTotal = sum(lines.map((l) => l.amount));
    const entriesTotal = sum(entries.map((e) => e.amount));
    if (!linesTotal.eq(entriesTotal)) {
      throw new DomainError(
        'unprocessable',
        `The bank lines come to ${formatMoney(linesTotal)} but the entries move the bank by ${formatMoney(entriesTotal)}.`,
        {
          bankLinesTotal: formatMoney(linesTotal),
          entriesTotal: formatMoney(entriesTotal),
        },
      );
    }
    await recordAudit(tx, write.principal, {
      coopId: write.coopId,
      action: 'match.create',
      targetType: 'match',
      targetId: matchId!,
    });
    return {
      id: matchId!,
      method: 'manual',
      bankLineIds: input.bankLineIds,
      entryIds: input.entryIds,
      amount: formatMoney(linesTotal),
    };
  });
}

/** Inserts matches, turning "already matched" (including by a concurrent request) into a clear 409. */
export async function insertMatchesOnce(tx: Tx, write: MoneyWrite, draft: MatchDraft): Promise<string[]> {
  await assertUnmatched(tx, draft.lineIds, draft.entryIds);
  return insertMatches(tx, write.coopId, write.principal.tokenId, [draft]);
}

async function assertUnmatched(db: Queryable, lineIds: string[], entryIds: string[]): Promise<void> {
  const taken = rowsOf(
    rowShape('already matched', { id: z.string(), what: z.string() }),
    await db.execute(sql`
      select bank_line_id as id, 'bank line' as what from match_bank_lines where bank_line_id in (select jsonb_array_elements_text(${JSON.stringify(lineIds)}::jsonb)::uuid)
      union all
      select entry_id, 'entry' from match_entries where entry_id in (select jsonb_array_elements_text(${JSON.stringify(entryIds)}::jsonb)::uuid)`),
  );
  if (taken.length > 0) {
    throw new DomainError(
      'invalid-state',
      `Already matched: ${taken.map((t) => `${t.what} ${t.id}`).join(', ')}. Undo that match first.`,
      {
        alreadyMatched: taken.map((t) => t.id),
      },
    );
  }
}

async function linesOf(db: Queryable, coopId: string, lineIds: string[]): Promise<{ id: string; amount: Money }[]> {
  if (lineIds.length === 0) return [];
  const rows = rowsOf(
    rowShape('bank line amount', { id: z.string(), amount: z.string() }),
    await db.execute(sql`
      select id, amount::text as amount from bank_lines
       where coop_id = ${coopId}::uuid and id in (select jsonb_array_elements_text(${JSON.stringify(lineIds)}::jsonb)::uuid)`),
  );
  if (rows.length !== lineIds.length) throw notFound('Bank line');
  return rows.map((r) => ({ id: r.id, amount: moneyFromDb(r.amount) }));
}

/** Each entry's net movement on the co-op's bank account; an entry that did not move the bank cannot be matched. */
async function bankAmountsOf(
  db: Queryable,
  coopId: string,
  entryIds: string[],
): Promise<{ id: string; amount: Money }[]> {
  if (entryIds.length === 0) return [];
  const rows = rowsOf(
    rowShape('entry bank movement', { id: z.string(), amount: z.string().nullable() }),
    await db.execute(sql`
      select e.id, (select sum(p.amount) from postings p join accounts a on a.id = p.account_id
                     where p.entry_id = e.id and a.kind = 'bank')::text as amount
        from journal_entries e
       where e.coop_id = ${coopId}::uuid and e.id in (select jsonb_array_elements_text(${JSON.stringify(entryIds)}::jsonb)::uuid)`),
  );
  if (rows.length !== entryIds.length) throw notFound('Entry');
  const offBank = rows.filter((r) => r.amount === null || moneyFromDb(r.amount).isZero());
  if (offBank.length > 0) {
    throw invalidInput(
      offBank.map((r) => ({ field: 'entryIds', message: `entry ${r.id} did not move the bank account` })),
      `These entries did not move the bank account, so no bank line can match them: ${offBank.map((r) => r.id).join(', ')}.`,
    );
  }
  return rows.map((r) => ({ id: r.id, amount: r.amount === null ? ZERO : moneyFromDb(r.amount) }));
}

/** Undoes a match in an open period (the database refuses it in a closed one). */
export async function deleteMatch(context: UseCaseContext, coopId: string, matchId: string): Promise<void> {
  await context.database.transaction(async (tx) => {
    await lockReconciliation(tx, coopId);
    const deleted = await tx
      .delete(reconciliationMatches)
      .where(and(eq(reconciliationMatches.id, matchId), eq(reconciliationMatches.coopId, coopId)))
      .returning({ id: reconciliationMatches.id });
    if (deleted.length === 0) throw notFound('Match');
    await recordAudit(tx, context.principal, {
      coopId,
      action: 'match.delete',
      targetType: 'match',
      targetId: matchId,
    });
  });
}
