import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { type Queryable, rowShape, rowsOf } from '../../db/database';
import { type Money, moneyFromDb } from '../../domain/money';
import { accountBalances } from '../balances';
import { requireBankAccountId } from '../lookups';

const ThroughRow = rowShape('closed through', { through: z.string().nullable() });

/** The date the co-op's books are closed through, or null. */
export async function closedThroughOf(db: Queryable, coopId: string): Promise<string | null> {
  const [row] = rowsOf(
    ThroughRow,
    await db.execute(sql`select max(through)::text as through from period_closes where coop_id = ${coopId}::uuid`),
  );
  return row?.through ?? null;
}

/** The latest close made with the ledger agreeing with the bank (a forced close is not a reconciliation). */
export async function reconciledThroughOf(db: Queryable, coopId: string): Promise<string | null> {
  const [row] = rowsOf(
    ThroughRow,
    await db.execute(
      sql`select max(through)::text as through from period_closes where coop_id = ${coopId}::uuid and not forced`,
    ),
  );
  return row?.through ?? null;
}

export interface DateBounds {
  /** Exclusive: items dated on or before it (a closed period) are left out. */
  after: string | null;
  /** Inclusive. */
  through: string | null;
}

const EARLIEST = '0001-01-01';
const LATEST = '9999-12-31';

/** A bank line in no match, as the reconciliation summary shows it (the amount as canonical two-decimal text). */
export interface UnmatchedLine {
  id: string;
  postedOn: string;
  amount: string;
  description: string;
  lineNumber: number;
}

const UnmatchedLineRow = rowShape('unmatched bank line', {
  id: z.string(),
  postedOn: z.string(),
  amount: z.string(),
  description: z.string(),
  lineNumber: z.number().int(),
});

/** Bank lines in no match, in no particular order. Amounts come back as canonical two-decimal text. */
export async function unmatchedLines(db: Queryable, coopId: string, bounds: DateBounds): Promise<UnmatchedLine[]> {
  return rowsOf(
    UnmatchedLineRow,
    await db.execute(sql`
      select b.id, b.posted_on::text as "postedOn", b.amount::text as amount, b.description, b.line_number as "lineNumber"
        from bank_lines b
       where b.coop_id = ${coopId}::uuid
         and b.posted_on > ${bounds.after ?? EARLIEST}::date and b.posted_on <= ${bounds.through ?? LATEST}::date
         and not exists (select 1 from match_bank_lines m where m.bank_line_id = b.id)`),
  );
}

/** Bank lines in no match, oldest first (ties by id), at most `limit` of them. */
export async function firstUnmatchedLines(
  db: Queryable,
  coopId: string,
  bounds: DateBounds,
  limit: number,
): Promise<UnmatchedLine[]> {
  return rowsOf(
    UnmatchedLineRow,
    await db.execute(sql`
      select b.id, b.posted_on::text as "postedOn", b.amount::text as amount, b.description, b.line_number as "lineNumber"
        from bank_lines b
       where ${unmatchedLineConditions(coopId, bounds)}
       order by b.posted_on, b.id
       limit ${limit}`),
  );
}

export async function unmatchedLineCount(db: Queryable, coopId: string, bounds: DateBounds): Promise<number> {
  const [row] = rowsOf(
    rowShape('unmatched line count', { n: z.number().int() }),
    await db.execute(sql`select count(*)::int as n from bank_lines b where ${unmatchedLineConditions(coopId, bounds)}`),
  );
  return row!.n;
}

/**
 * Bank lines in no match as one JSON array of `LineTuple`s, oldest first: the serving thread passes the text on
 * to an auto-match thread without reading it (hundreds of thousands of rows as objects would hold it up).
 */
export async function unmatchedLinesJson(db: Queryable, coopId: string, bounds: DateBounds): Promise<string> {
  const [row] = rowsOf(
    rowShape('unmatched lines as JSON', { lines: z.string() }),
    await db.execute(sql`
      select coalesce(json_agg(json_build_array(b.id, b.posted_on::text, b.amount::text, b.description) order by b.posted_on, b.id), '[]')::text as lines
        from bank_lines b
       where ${unmatchedLineConditions(coopId, bounds)}`),
  );
  return row!.lines;
}

function unmatchedLineConditions(coopId: string, bounds: DateBounds) {
  return sql`b.coop_id = ${coopId}::uuid
         and b.posted_on > ${bounds.after ?? EARLIEST}::date and b.posted_on <= ${bounds.through ?? LATEST}::date
         and not exists (select 1 from match_bank_lines m where m.bank_line_id = b.id)`;
}

/** Entries that moved the bank account and are in no match, as one JSON array of `EntryTuple`s, oldest first. */
export async function unmatchedBankEntriesJson(db: Queryable, coopId: string, bounds: DateBounds): Promise<string> {
  const open = await openBankEntries(db, coopId, bounds);
  const [row] = rowsOf(
    rowShape('unmatched bank entries as JSON', { entries: z.string() }),
    await db.execute(sql`
      with open as (${open})
      select coalesce(json_agg(json_build_array(o.id, o.value_date::text, o.amount::text, o.reverses_entry_id, o.reference, m.la_reference, pu.invoice_reference)
                               order by o.value_date, o.id), '[]')::text as entries
        from open o
        left join postings hp on hp.entry_id = o.id and o.kind = 'dp_receipt' and hp.member_id is not null
        left join members m on m.id = hp.member_id
        left join provider_payments pp on pp.entry_id = o.id
        left join purchases pu on pu.id = pp.purchase_id`),
  );
  return row!.entries;
}

export interface UnmatchedEntry {
  id: string;
  valueDate: string;
  kind: string;
  memo: string;
  amount: string;
}

/**
 * What the reconciliation summary shows of the ledger's side, in one pass over the unmatched entries: how many
 * there are, the first `limit` of them (oldest first, ties by id), and for each of the `shownLines` that has more
 * than one, its candidates (same amount, dated at most `windowDays` apart), oldest first.
 */
export async function unmatchedEntriesShown(
  db: Queryable,
  coopId: string,
  bounds: DateBounds,
  limit: number,
  shownLines: readonly { id: string; postedOn: string; amount: string }[],
  windowDays: number,
): Promise<{ count: number; entries: UnmatchedEntry[]; candidates: Map<string, string[]> }> {
  const open = await openBankEntries(db, coopId, bounds);
  const shown = JSON.stringify(shownLines.map((l) => ({ id: l.id, posted_on: l.postedOn, amount: l.amount })));
  const [row] = rowsOf(
    rowShape('unmatched entries shown', { count: z.number().int(), entries: z.string(), candidates: z.string() }),
    await db.execute(sql`
      with open as (${open}),
           shown as (select * from jsonb_to_recordset(${shown}::jsonb) as s(id uuid, posted_on date, amount numeric))
      select (select count(*)::int from open) as count,
             (select coalesce(json_agg(json_build_array(f.id, f.value_date::text, f.kind, f.memo, f.amount::text) order by f.value_date, f.id), '[]')::text
                from (select * from open order by value_date, id limit ${limit}) f) as entries,
             (select coalesce(json_agg(json_build_array(c.line_id, c.entry_ids)), '[]')::text
                from (select s.id as line_id, json_agg(o.id order by o.value_date, o.id) as entry_ids
                        from shown s
                        join open o on o.amount = s.amount
                                   and o.value_date between s.posted_on - ${windowDays}::int and s.posted_on + ${windowDays}::int
                       group by s.id
                      having count(*) > 1) c) as candidates`),
  );
  const entries = (JSON.parse(row!.entries) as [string, string, string, string, string][]).map(
    ([id, valueDate, kind, memo, amount]) => ({ id, valueDate, kind, memo, amount }),
  );
  return {
    count: row!.count,
    entries,
    candidates: new Map(JSON.parse(row!.candidates) as [string, string[]][]),
  };
}

/**
 * Entries that moved the bank account (their postings to it do not cancel out) and are in no match, as a
 * subquery. The bank account's id is looked up first so the planner sees how many postings it has.
 */
async function openBankEntries(db: Queryable, coopId: string, bounds: DateBounds) {
  const bankAccountId = await requireBankAccountId(db, coopId);
  return sql`
    select e.id, e.kind, e.memo, e.value_date, e.reference, e.reverses_entry_id, moves.amount
      from (select p.entry_id, sum(p.amount) as amount from postings p
             where p.account_id = ${bankAccountId}::uuid
             group by p.entry_id
            having sum(p.amount) <> 0) moves
      join journal_entries e on e.id = moves.entry_id
     where e.value_date > ${bounds.after ?? EARLIEST}::date and e.value_date <= ${bounds.through ?? LATEST}::date
       and not exists (select 1 from match_entries me where me.entry_id = e.id)`;
}

/** The ledger's bank balance at the end of `asOf`. */
export async function ledgerBankBalanceAt(db: Queryable, coopId: string, asOf: string): Promise<Money> {
  const bankAccountId = await requireBankAccountId(db, coopId);
  return (await accountBalances(db, [bankAccountId], asOf)).get(bankAccountId)!;
}

/**
 * What the bank says the balance was at the end of `asOf`: the opening balance of the earliest import that states
 * one, moved by every imported line up to `asOf`. Null when no import states a balance (the treasurer can give the
 * opening balance with a CSV upload whose layout has no balance column).
 */
export async function statementBalanceAt(db: Queryable, coopId: string, asOf: string): Promise<Money | null> {
  const [row] = rowsOf(
    rowShape('statement balance', { balance: z.string() }),
    await db.execute(sql`
      with anchor as (
        select opening_balance, first_date from bank_statements
         where coop_id = ${coopId}::uuid and opening_balance is not null
         order by first_date, imported_at limit 1)
      select (anchor.opening_balance
              - coalesce((select sum(amount) from bank_lines where coop_id = ${coopId}::uuid and posted_on < anchor.first_date), 0)
              + coalesce((select sum(amount) from bank_lines where coop_id = ${coopId}::uuid and posted_on <= ${asOf}::date), 0))::text as balance
        from anchor`),
  );
  return row ? moneyFromDb(row.balance) : null;
}
