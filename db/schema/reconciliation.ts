import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
  index,
  integer,
  numeric,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { BANK_FILE_FORMATS, MATCH_METHODS } from '../../src/domain/vocabulary';
import { coops } from './tenancy';
import { oneOf } from './vocabulary-checks';

/** One uploaded bank export: what was in the file and how much of it was new. Append-only. */
export const bankStatements = pgTable(
  'bank_statements',
  {
    id: uuid('id').primaryKey(),
    coopId: uuid('coop_id')
      .notNull()
      .references(() => coops.id),
    format: text('format', { enum: BANK_FILE_FORMATS }).notNull(),
    /** The CSV layout used: a bank preset, or `generic` for a mapping given with the upload. */
    layout: text('layout').notNull(),
    fileSha256: text('file_sha256').notNull(),
    lineCount: integer('line_count').notNull(),
    duplicatesSkipped: integer('duplicates_skipped').notNull(),
    firstDate: date('first_date', { mode: 'string' }),
    lastDate: date('last_date', { mode: 'string' }),
    openingBalance: numeric('opening_balance', { precision: 14, scale: 2 }),
    closingBalance: numeric('closing_balance', { precision: 14, scale: 2 }),
    importedByTokenId: uuid('imported_by_token_id').notNull(),
    importedAt: timestamp('imported_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check('bank_statements_format_known', oneOf(t.format, BANK_FILE_FORMATS))],
);

/**
 * A transaction as the bank reported it: signed (paid in positive, paid out negative). `dedupeKey` identifies the
 * bank's transaction across overlapping exports, so a re-import skips it. Append-only.
 *
 * Imports and auto-matching write 100,000 rows at a time, so this table and the match tables check their references
 * (statement, co-op, line, entry, match) once per statement in migration 0008's triggers, set-based, instead of by
 * per-row foreign keys; what they reference is append-only, so a reference once checked stays good.
 */
export const bankLines = pgTable(
  'bank_lines',
  {
    id: uuid('id').primaryKey(),
    coopId: uuid('coop_id').notNull(),
    statementId: uuid('statement_id').notNull(),
    lineNumber: integer('line_number').notNull(),
    postedOn: date('posted_on', { mode: 'string' }).notNull(),
    description: text('description').notNull(),
    amount: numeric('amount', { precision: 14, scale: 2 }).notNull(),
    runningBalance: numeric('running_balance', { precision: 14, scale: 2 }),
    bankTransactionId: text('bank_transaction_id'),
    dedupeKey: text('dedupe_key').notNull(),
  },
  (t) => [
    uniqueIndex('bank_lines_coop_dedupe_key').on(t.coopId, t.dedupeKey),
    index('bank_lines_coop_posted_on_idx').on(t.coopId, t.postedOn),
    check('bank_lines_amount_not_zero', sql`${t.amount} <> 0`),
  ],
);

/**
 * A reconciliation match: bank lines and ledger entries that explain each other (their amounts agree). A line or
 * an entry is in at most one match, by the unique indexes on the two link tables.
 */
export const reconciliationMatches = pgTable(
  'reconciliation_matches',
  {
    id: uuid('id').primaryKey(),
    coopId: uuid('coop_id').notNull(),
    /** reference | amount_date | contra (an entry and its reversal) | manual | booked (an entry made for the line) */
    method: text('method', { enum: MATCH_METHODS }).notNull(),
    createdByTokenId: uuid('created_by_token_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check('reconciliation_matches_method_known', oneOf(t.method, MATCH_METHODS))],
);

export const matchBankLines = pgTable(
  'match_bank_lines',
  {
    matchId: uuid('match_id').notNull(),
    coopId: uuid('coop_id').notNull(),
    bankLineId: uuid('bank_line_id').notNull(),
  },
  (t) => [uniqueIndex('match_bank_lines_line_key').on(t.bankLineId), index('match_bank_lines_match_idx').on(t.matchId)],
);

export const matchEntries = pgTable(
  'match_entries',
  {
    matchId: uuid('match_id').notNull(),
    coopId: uuid('coop_id').notNull(),
    entryId: uuid('entry_id').notNull(),
  },
  (t) => [uniqueIndex('match_entries_entry_key').on(t.entryId), index('match_entries_match_idx').on(t.matchId)],
);

/** Period closes: nothing dated on or before `through` may be posted, reversed or (un)matched. Append-only. */
export const periodCloses = pgTable(
  'period_closes',
  {
    id: uuid('id').primaryKey(),
    coopId: uuid('coop_id')
      .notNull()
      .references(() => coops.id),
    through: date('through', { mode: 'string' }).notNull(),
    ledgerBankBalance: numeric('ledger_bank_balance', { precision: 14, scale: 2 }).notNull(),
    statementBalance: numeric('statement_balance', { precision: 14, scale: 2 }),
    difference: numeric('difference', { precision: 14, scale: 2 }),
    forced: boolean('forced').notNull(),
    reason: text('reason'),
    closedByTokenId: uuid('closed_by_token_id').notNull(),
    closedAt: timestamp('closed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('period_closes_coop_through_key').on(t.coopId, t.through),
    check('period_closes_forced_has_reason', sql`NOT ${t.forced} OR ${t.reason} IS NOT NULL`),
  ],
);
