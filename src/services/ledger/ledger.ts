import { and, asc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { accounts, journalEntries, postings } from '../../../db/schema/index';
import { type Tx, rowShape, rowsOf } from '../../db/database';
import { DomainError, notFound } from '../../domain/errors';
import { renderCsv, renderCsvRows } from '../../domain/csv';
import { hledgerEntries, hledgerHeader } from '../../domain/hledger';
import { JOURNAL_CSV_COLUMNS, journalCsvRows } from '../../domain/journal-csv';
import { reversalPostings } from '../../domain/ledger';
import { formatMoney, moneyFromDb } from '../../domain/money';
import type { UseCaseContext } from '../context';
import { findCoop } from '../lookups';
import { type MoneyWrite, assertNotFuture, postingContextOf, runMoneyWrite } from '../money-writes';
import { type PageRequest, keyset } from '../pagination';
import { type EntryFilter, type JournalCursor, findEntries, findEntry, journalPage } from './queries';
import { yieldToEventLoop } from '../yield';
import { postEntry } from './post-entry';

/** The chart of accounts with cached balances (signed, debit-positive: a co-op's balances sum to zero). */
export async function listAccounts({ database }: UseCaseContext, coopId: string, page: PageRequest) {
  const keys = keyset(accounts.id, page);
  const rows = await database.read((db) =>
    db
      .select()
      .from(accounts)
      .where(and(eq(accounts.coopId, coopId), keys.after))
      .orderBy(keys.orderBy)
      .limit(keys.limit),
  );
  return keys.page(rows, (a) => ({
    id: a.id,
    code: a.code,
    name: a.name,
    kind: a.kind,
    memberId: a.memberId,
    poolId: a.poolId,
    providerId: a.providerId,
    balance: formatMoney(moneyFromDb(a.balance)),
  }));
}

export function listEntries({ database }: UseCaseContext, filter: EntryFilter) {
  return database.read((db) => findEntries(db, filter));
}

export async function getEntry({ database }: UseCaseContext, coopId: string, entryId: string) {
  const entry = await database.read((db) => findEntry(db, coopId, entryId));
  if (!entry) throw notFound('Entry');
  return entry;
}

export interface ReversalRequest {
  reason: string;
  valueDate?: string | undefined;
}

/**
 * Posts the mirror image of an entry, linked both ways. The reversal is checked like any entry: reversing a
 * receipt whose money has since been spent is refused as insufficient funds.
 * Raises: `not-found`, `already-reversed` (409), `unprocessable` (reversing a reversal), `insufficient-funds`.
 */
export function reverseEntry(write: MoneyWrite, entryId: string, request: ReversalRequest) {
  const valueDate = request.valueDate ?? write.today;
  assertNotFuture(valueDate, write.today, 'valueDate');
  return runMoneyWrite(write, async (tx) => {
    // Locking the original makes concurrent reversals queue here, so the losers see "already reversed" (409).
    const [original] = await tx
      .select()
      .from(journalEntries)
      .where(and(eq(journalEntries.id, entryId), eq(journalEntries.coopId, write.coopId)))
      .for('update');
    if (!original) throw notFound('Entry');
    if (original.reversesEntryId)
      throw new DomainError('unprocessable', 'A reversal cannot itself be reversed; post the original again instead.');
    const [already] = await tx
      .select({ id: journalEntries.id })
      .from(journalEntries)
      .where(eq(journalEntries.reversesEntryId, entryId));
    if (already)
      throw new DomainError('already-reversed', 'This entry has already been reversed.', { reversedBy: already.id });
    await refuseReversingPaidPurchase(tx, entryId);
    const originalPostings = await tx
      .select({
        accountId: postings.accountId,
        memberId: postings.memberId,
        amount: postings.amount,
        category: postings.category,
      })
      .from(postings)
      .where(eq(postings.entryId, entryId))
      .orderBy(asc(postings.id));
    // A second reversal racing this one is refused by the database (journal_entries_reverses_key).
    const reversalId = await postEntry(tx, postingContextOf(write, 'entry.reverse'), {
      kind: 'reversal',
      valueDate,
      memo: `Reversal: ${request.reason}`,
      reference: original.reference,
      reversesEntryId: entryId,
      postings: reversalPostings(originalPostings.map((p) => ({ ...p, amount: moneyFromDb(p.amount) }))),
    });
    const reversal = await findEntry(tx, write.coopId, reversalId);
    return reversal!;
  });
}

/** Entries read and rendered at a time: a big co-op's journal never holds the event loop for long. */
const EXPORT_ENTRIES_PER_PAGE = 2000;

/**
 * The journal as an hledger journal or a CSV of postings, between two value dates. Read a page at a time in one
 * repeatable-read snapshot (so the pages agree with each other), rendered page by page, letting other requests
 * run in between.
 */
export async function exportJournal(
  { database }: UseCaseContext,
  coopId: string,
  format: 'hledger' | 'csv',
  from?: string,
  to?: string,
) {
  return database.transaction(async (tx) => {
    await tx.execute(sql`set transaction isolation level repeatable read, read only`);
    const coop = await findCoop(tx, coopId);
    if (!coop) throw notFound('Co-op');
    const parts = [format === 'csv' ? renderCsv(JOURNAL_CSV_COLUMNS, []) : hledgerHeader(coop.name)];
    for (let after: JournalCursor | null = null; ; ) {
      const entries = await journalPage(tx, coopId, { from, to }, after, EXPORT_ENTRIES_PER_PAGE);
      parts.push(format === 'csv' ? renderCsvRows(journalCsvRows(entries)) : hledgerEntries(entries));
      const last = entries[entries.length - 1];
      if (!last || entries.length < EXPORT_ENTRIES_PER_PAGE) return parts.join('');
      after = { valueDate: last.valueDate, id: last.id };
      await yieldToEventLoop();
    }
  });
}

/**
 * An invoice that has been paid (in part) is not reversed while its payments stand: the provider was paid, so the
 * correction starts with reversing the payments (or the invoice is corrected another way).
 */
async function refuseReversingPaidPurchase(tx: Tx, entryId: string): Promise<void> {
  const [live] = rowsOf(
    rowShape('live payment of an invoice', { paymentEntryId: z.string() }),
    await tx.execute(sql`
      select pp.entry_id as "paymentEntryId"
        from purchases pu
        join provider_payments pp on pp.purchase_id = pu.id
        join counted_entries payment on payment.id = pp.entry_id
       where pu.entry_id = ${entryId}::uuid and not payment.reversed
       limit 1`),
  );
  if (live) {
    throw new DomainError('invalid-state', 'This invoice has been paid: reverse its payments first.', {
      paymentEntryId: live.paymentEntryId,
    });
  }
}
