import { z } from 'zod';
import { type SQL, and, asc, eq, gte, inArray, isNotNull, lte, sql } from 'drizzle-orm';
import { accounts, journalEntries, postings } from '../../../db/schema/index';
import { type Queryable, rowShape, rowsOf } from '../../db/database';
import type { JournalEntry } from '../../domain/hledger';
import { formatMoney, moneyFromDb } from '../../domain/money';
import { type PageRequest, keyset } from '../pagination';

export interface EntryFilter extends PageRequest {
  coopId: string;
  from?: string | undefined;
  to?: string | undefined;
  accountId?: string | undefined;
  memberId?: string | undefined;
}

type EntryRow = typeof journalEntries.$inferSelect;

/** Entries of a co-op with their postings, in posting order (ids are time-ordered). */
export async function findEntries(db: Queryable, filter: EntryFilter) {
  const touching = (column: typeof postings.accountId | typeof postings.memberId, value: string) =>
    inArray(journalEntries.id, db.select({ id: postings.entryId }).from(postings).where(eq(column, value)));
  const keys = keyset(journalEntries.id, filter);
  const rows = await db
    .select()
    .from(journalEntries)
    .where(
      and(
        eq(journalEntries.coopId, filter.coopId),
        filter.from ? gte(journalEntries.valueDate, filter.from) : undefined,
        filter.to ? lte(journalEntries.valueDate, filter.to) : undefined,
        filter.accountId ? touching(postings.accountId, filter.accountId) : undefined,
        filter.memberId ? touching(postings.memberId, filter.memberId) : undefined,
        keys.after,
      ),
    )
    .orderBy(keys.orderBy)
    .limit(keys.limit);
  const page = keys.shown(rows);
  const details = await entryDetails(db, page);
  return keys.page(rows, (row) => details.get(row.id)!);
}

export async function findEntry(db: Queryable, coopId: string, entryId: string) {
  const [row] = await db
    .select()
    .from(journalEntries)
    .where(and(eq(journalEntries.id, entryId), eq(journalEntries.coopId, coopId)));
  if (!row) return undefined;
  return (await entryDetails(db, [row])).get(row.id);
}

/** Loads postings and reversal links for a set of entries in two queries, not one per entry. */
async function entryDetails(db: Queryable, entries: EntryRow[]) {
  const ids = entries.map((e) => e.id);
  const details = new Map<string, ReturnType<typeof entryView>>();
  if (ids.length === 0) return details;
  const postingRows = await db
    .select({
      entryId: postings.entryId,
      accountId: postings.accountId,
      accountName: accounts.name,
      accountCode: accounts.code,
      memberId: postings.memberId,
      amount: postings.amount,
    })
    .from(postings)
    .innerJoin(accounts, eq(accounts.id, postings.accountId))
    .where(inArray(postings.entryId, ids))
    .orderBy(asc(postings.id));
  const reversals = await db
    .select({ id: journalEntries.id, reverses: journalEntries.reversesEntryId })
    .from(journalEntries)
    .where(inArray(journalEntries.reversesEntryId, ids));
  for (const entry of entries) {
    const own = postingRows.filter((p) => p.entryId === entry.id);
    const reversedBy = reversals.find((r) => r.reverses === entry.id)?.id ?? null;
    details.set(entry.id, entryView(entry, own, reversedBy));
  }
  return details;
}

function entryView(
  entry: EntryRow,
  rows: { accountId: string; accountName: string; accountCode: string; memberId: string | null; amount: string }[],
  reversedBy: string | null,
) {
  return {
    id: entry.id,
    kind: entry.kind,
    valueDate: entry.valueDate,
    postedAt: entry.postedAt.toISOString(),
    memo: entry.memo,
    reference: entry.reference,
    createdBy: entry.createdByTokenId,
    postings: rows.map((p) => ({
      accountId: p.accountId,
      accountCode: p.accountCode,
      accountName: p.accountName,
      memberId: p.memberId,
      amount: formatMoney(moneyFromDb(p.amount)),
    })),
    reverses: entry.reversesEntryId,
    reversedBy,
  };
}

/** Where a page of the journal export ends: the next page starts after this entry. */
export interface JournalCursor {
  valueDate: string;
  id: string;
}

const JournalPostingRow = rowShape('journal export posting', {
  id: z.string(),
  valueDate: z.string(),
  kind: z.string(),
  memo: z.string(),
  reference: z.string().nullable(),
  accountCode: z.string(),
  amount: z.string(),
});

/**
 * A page of a co-op's entries in date order (then id), with their postings, for exports; bounded by value dates.
 * Pages follow one another by `after`, so however long the journal, no one read (or render) is large.
 */
export async function journalPage(
  db: Queryable,
  coopId: string,
  bounds: { from?: string | undefined; to?: string | undefined },
  after: JournalCursor | null,
  entriesPerPage: number,
): Promise<JournalEntry[]> {
  const rows = rowsOf(
    JournalPostingRow,
    await db.execute(sql`
      with page as (
        select e.id, e.value_date, e.kind, e.memo, e.reference from journal_entries e
         where e.coop_id = ${coopId}::uuid
           and e.value_date >= ${bounds.from ?? '0001-01-01'}::date and e.value_date <= ${bounds.to ?? '9999-12-31'}::date
           and (e.value_date, e.id) > (${after?.valueDate ?? '0001-01-01'}::date, ${after?.id ?? '00000000-0000-0000-0000-000000000000'}::uuid)
         order by e.value_date, e.id
         limit ${entriesPerPage})
      select page.id, page.value_date::text as "valueDate", page.kind, page.memo, page.reference,
             a.code as "accountCode", p.amount::text as amount
        from page join postings p on p.entry_id = page.id join accounts a on a.id = p.account_id
       order by page.value_date, page.id, p.id`),
  );
  const entries: JournalEntry[] = [];
  for (const row of rows) {
    let current = entries[entries.length - 1];
    if (!current || current.id !== row.id) {
      current = {
        id: row.id,
        valueDate: row.valueDate,
        kind: row.kind,
        memo: row.memo,
        reference: row.reference,
        postings: [],
      };
      entries.push(current);
    }
    current.postings.push({ accountCode: row.accountCode, amount: moneyFromDb(row.amount) });
  }
  return entries;
}

/** Sum of every account's postings, for checking the cached balances (tests and the `verify` CLI command). */
export async function recomputedBalances(db: Queryable, coopId?: string) {
  const rows = await db
    .select({
      id: accounts.id,
      cached: accounts.balance,
      recomputed: sql<string>`coalesce(sum(${postings.amount}), 0)::text`,
    })
    .from(accounts)
    .leftJoin(postings, eq(postings.accountId, accounts.id))
    .where(coopId ? eq(accounts.coopId, coopId) : undefined)
    .groupBy(accounts.id);
  return rows.map((r) => ({ id: r.id, cached: moneyFromDb(r.cached), recomputed: moneyFromDb(r.recomputed) }));
}

/**
 * The ids of entries that have been reversed, as a subquery: the query-builder form of `counted_entries.reversed`
 * (db/migrations/0015_counted_entries.sql), for `notInArray(…, reversedEntryIds(db))`.
 */
export function reversedEntryIds(db: Queryable) {
  return db
    .select({ id: journalEntries.reversesEntryId })
    .from(journalEntries)
    .where(isNotNull(journalEntries.reversesEntryId));
}

/**
 * A member's money as statements show it (positive: held for the member), from a debit-positive ledger amount, in
 * SQL: the one place a query flips the sign. `memberMoney` (src/domain/ledger.ts) is the same flip in code.
 */
export function memberMoneySql(ledgerAmount: SQL): SQL {
  return sql`-${ledgerAmount}`;
}

/**
 * Money that left a member's account (positive: paid out, spent), from a debit-positive ledger amount: a debit is
 * already money out, so nothing flips; named so each statement figure says which way it reads.
 */
export function memberMoneyOutSql(ledgerAmount: SQL): SQL {
  return sql`${ledgerAmount}`;
}
