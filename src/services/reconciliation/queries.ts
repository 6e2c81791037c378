import { sql } from 'drizzle-orm';
import { type Queryable, rowsOf } from '../../db/database';
import type { MatchableEntry, MatchableLine } from '../../domain/reconciliation/auto-match';
import { type Money, moneyFromDb } from '../../domain/money';
import { accountBalances } from '../balances';
import { requireBankAccountId } from '../lookups';

/** The date the co-op's books are closed through, or null. */
export async function closedThroughOf(db: Queryable, coopId: string): Promise<string | null> {
  const [row] = rowsOf<{ through: string | null }>(
    await db.execute(sql`select max(through)::text as through from period_closes where coop_id = ${coopId}::uuid`),
  );
  return row?.through ?? null;
}

/** The latest close made with the ledger agreeing with the bank (a forced close is not a reconciliation). */
export async function reconciledThroughOf(db: Queryable, coopId: string): Promise<string | null> {
  const [row] = rowsOf<{ through: string | null }>(
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

export interface UnmatchedLine extends MatchableLine {
  lineNumber: number;
}

/** Bank lines in no match, in no particular order. Amounts come back as canonical two-decimal text. */
export async function unmatchedLines(db: Queryable, coopId: string, bounds: DateBounds): Promise<UnmatchedLine[]> {
  return rowsOf<UnmatchedLine>(
    await db.execute(sql`
      select b.id, b.posted_on::text as "postedOn", b.amount::text as amount, b.description, b.line_number as "lineNumber"
        from bank_lines b
       where b.coop_id = ${coopId}::uuid
         and b.posted_on > ${bounds.after ?? EARLIEST}::date and b.posted_on <= ${bounds.through ?? LATEST}::date
         and not exists (select 1 from match_bank_lines m where m.bank_line_id = b.id)`),
  );
}

export interface UnmatchedEntry extends MatchableEntry {
  kind: string;
  memo: string;
}

/**
 * Entries that moved the bank account and are in no match, in no particular order, with every reference a bank
 * line might quote: the entry's own, the holder's LA reference for a DP receipt, the invoice reference for a provider
 * payment. The bank account's id is looked up first so the planner sees how many postings it has.
 */
export async function unmatchedBankEntries(
  db: Queryable,
  coopId: string,
  bounds: DateBounds,
): Promise<UnmatchedEntry[]> {
  const bankAccountId = await requireBankAccountId(db, coopId);
  const rows = rowsOf<
    Omit<UnmatchedEntry, 'references'> & {
      reference: string | null;
      laReference: string | null;
      invoiceReference: string | null;
    }
  >(
    await db.execute(sql`
      with moves as (
        select p.entry_id, sum(p.amount) as amount from postings p
         where p.account_id = ${bankAccountId}::uuid
         group by p.entry_id
        having sum(p.amount) <> 0)
      select e.id, e.kind, e.memo, e.value_date::text as "valueDate", moves.amount::text as amount, e.reference,
             e.reverses_entry_id as "reversesEntryId", m.la_reference as "laReference", pu.invoice_reference as "invoiceReference"
        from moves
        join journal_entries e on e.id = moves.entry_id
        left join postings hp on hp.entry_id = e.id and e.kind = 'dp_receipt' and hp.member_id is not null
        left join members m on m.id = hp.member_id
        left join provider_payments pp on pp.entry_id = e.id
        left join purchases pu on pu.id = pp.purchase_id
       where e.value_date > ${bounds.after ?? EARLIEST}::date and e.value_date <= ${bounds.through ?? LATEST}::date
         and not exists (select 1 from match_entries me where me.entry_id = e.id)`),
  );
  return rows.map(({ reference, laReference, invoiceReference, ...entry }) => ({
    ...entry,
    references: [reference, laReference, invoiceReference].filter((r): r is string => r !== null && r !== ''),
  }));
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
  const [row] = rowsOf<{ balance: string }>(
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

/** Oldest first, ties by id: the order a treasurer reads unmatched items in. */
export function byDateThenId<T extends { id: string }>(dateOf: (item: T) => string) {
  return (a: T, b: T) => {
    const da = dateOf(a);
    const db = dateOf(b);
    if (da !== db) return da < db ? -1 : 1;
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  };
}
