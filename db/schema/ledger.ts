import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  check,
  date,
  foreignKey,
  index,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { SPENDING_CATEGORIES } from '../../src/domain/categories';
import { ACCOUNT_KINDS, ENTRY_KINDS } from '../../src/domain/ledger';
import { coops, localAuthorities, members, tokens } from './tenancy';
import { pools } from './pools';
import { providers } from './purchasing';
import { oneOf } from './vocabulary-checks';

/** Where a request with an Idempotency-Key stands. */
export const IDEMPOTENT_OUTCOMES = ['pending', 'done', 'refused'] as const;

/**
 * Chart of accounts. `balance` is a cache of the sum of the account's postings (signed, debit-positive), kept by a
 * trigger on postings and refused any other update; liabilities to members are negative, so "never overdrawn" is
 * `balance <= 0` for holder funds and pool shares.
 */
export const accounts = pgTable(
  'accounts',
  {
    id: uuid('id').primaryKey(),
    coopId: uuid('coop_id')
      .notNull()
      .references(() => coops.id),
    code: text('code').notNull(),
    name: text('name').notNull(),
    kind: text('kind', { enum: ACCOUNT_KINDS }).notNull(),
    memberId: uuid('member_id').references(() => members.id),
    poolId: uuid('pool_id').references(() => pools.id),
    localAuthorityId: uuid('local_authority_id').references(() => localAuthorities.id),
    providerId: uuid('provider_id').references((): AnyPgColumn => providers.id),
    balance: numeric('balance', { precision: 14, scale: 2 }).notNull().default('0'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('accounts_coop_code_key').on(t.coopId, t.code),
    uniqueIndex('accounts_holder_funds_key')
      .on(t.memberId)
      .where(sql`${t.kind} = 'holder_funds'`),
    uniqueIndex('accounts_pool_share_key')
      .on(t.poolId, t.memberId)
      .where(sql`${t.kind} = 'pool_share'`),
    uniqueIndex('accounts_bank_key')
      .on(t.coopId)
      .where(sql`${t.kind} = 'bank'`),
    // A member's accounts, for their statements and balances (the unique indexes above cover one kind each).
    index('accounts_member_idx').on(t.memberId),
    check(
      'accounts_member_money_not_overdrawn',
      sql`${t.kind} NOT IN ('holder_funds', 'pool_share') OR ${t.balance} <= 0`,
    ),
    check('accounts_kind_known', oneOf(t.kind, ACCOUNT_KINDS)),
    // An account's owner (member, pool, provider) is of the account's co-op.
    foreignKey({
      name: 'accounts_member_coop_fk',
      columns: [t.memberId, t.coopId],
      foreignColumns: [members.id, members.coopId],
    }),
    foreignKey({
      name: 'accounts_pool_coop_fk',
      columns: [t.poolId, t.coopId],
      foreignColumns: [pools.id, pools.coopId],
    }),
    foreignKey({
      name: 'accounts_provider_coop_fk',
      columns: [t.providerId, t.coopId],
      foreignColumns: [providers.id, providers.coopId],
    }),
  ],
);

export const journalEntries = pgTable(
  'journal_entries',
  {
    id: uuid('id').primaryKey(),
    coopId: uuid('coop_id')
      .notNull()
      .references(() => coops.id),
    kind: text('kind', { enum: ENTRY_KINDS }).notNull(),
    valueDate: date('value_date', { mode: 'string' }).notNull(),
    postedAt: timestamp('posted_at', { withTimezone: true }).notNull().defaultNow(),
    memo: text('memo').notNull(),
    /** The bank or LA reference the money moved under, for reconciliation. */
    reference: text('reference'),
    createdByTokenId: uuid('created_by_token_id')
      .notNull()
      .references(() => tokens.id),
    idempotencyKey: text('idempotency_key'),
    reversesEntryId: uuid('reverses_entry_id'),
  },
  (t) => [
    index('journal_entries_coop_value_date_idx').on(t.coopId, t.valueDate),
    // A second reversal of the same entry is refused here, whatever the code does.
    uniqueIndex('journal_entries_reverses_key').on(t.reversesEntryId),
    unique('journal_entries_id_coop_key').on(t.id, t.coopId),
    // A reversal reverses an entry of its own co-op, and only a reversal reverses anything.
    foreignKey({
      name: 'journal_entries_reverses_coop_fk',
      columns: [t.reversesEntryId, t.coopId],
      foreignColumns: [t.id, t.coopId],
    }),
    check('journal_entries_reversal_links', sql`(${t.kind} = 'reversal') = (${t.reversesEntryId} IS NOT NULL)`),
    check('journal_entries_kind_known', oneOf(t.kind, ENTRY_KINDS)),
  ],
);

export const postings = pgTable(
  'postings',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    entryId: uuid('entry_id')
      .notNull()
      .references(() => journalEntries.id),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id),
    memberId: uuid('member_id').references(() => members.id),
    amount: numeric('amount', { precision: 14, scale: 2 }).notNull(),
    /** What the money was spent on (admin, personal_assistance, …), on postings that charge a member. */
    category: text('category'),
  },
  (t) => [
    index('postings_entry_idx').on(t.entryId),
    index('postings_account_idx').on(t.accountId, t.entryId),
    index('postings_member_idx').on(t.memberId),
    check('postings_amount_not_zero', sql`${t.amount} <> 0`),
    check('postings_category_known', sql`${t.category} IS NULL OR ${oneOf(t.category, SPENDING_CATEGORIES)}`),
  ],
);

/** Responses of money-moving POSTs by Idempotency-Key, per co-op; kept at least 30 days. */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    coopId: uuid('coop_id').notNull(),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    /** `pending` while the first request runs; then `done` (result: what it returned) or `refused` (the error). */
    outcome: text('outcome', { enum: IDEMPOTENT_OUTCOMES }).notNull(),
    result: jsonb('result'),

    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.coopId, t.key] }),
    check('idempotency_keys_outcome_known', oneOf(t.outcome, IDEMPOTENT_OUTCOMES)),
    // Keys older than the retention period are pruned oldest first.
    index('idempotency_keys_created_at_idx').on(t.createdAt),
  ],
);
