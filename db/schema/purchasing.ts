import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
  foreignKey,
  index,
  integer,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { PROVIDER_KINDS, SHARED_COST_CATEGORIES, SPENDING_CATEGORIES } from '../../src/domain/categories';
import { RATE_UNITS, TIER_PERIODS } from '../../src/domain/vocabulary';
import { journalEntries } from './ledger';
import { pools } from './pools';
import { coops, members } from './tenancy';
import { oneOf } from './vocabulary-checks';

/** Local providers a co-op buys from; each has a provider-payable account. */
export const providers = pgTable(
  'providers',
  {
    id: uuid('id').primaryKey(),
    coopId: uuid('coop_id')
      .notNull()
      .references(() => coops.id),
    name: text('name').notNull(),
    kind: text('kind', { enum: PROVIDER_KINDS }).notNull(),
    ciwNumber: text('ciw_number'),
    welshLanguageService: boolean('welsh_language_service').notNull(),
    locality: text('locality').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('providers_coop_name_key').on(t.coopId, t.name),
    unique('providers_id_coop_key').on(t.id, t.coopId),
    check('providers_kind_known', oneOf(t.kind, PROVIDER_KINDS)),
  ],
);

/** A provider's rate card; PUT adds a new card and the newest is current, so past purchases keep their context. */
export const rateCards = pgTable(
  'rate_cards',
  {
    id: uuid('id').primaryKey(),
    providerId: uuid('provider_id')
      .notNull()
      .references(() => providers.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('rate_cards_provider_idx').on(t.providerId, t.id)],
);

export const rateCardServices = pgTable(
  'rate_card_services',
  {
    id: uuid('id').primaryKey(),
    rateCardId: uuid('rate_card_id')
      .notNull()
      .references(() => rateCards.id),
    serviceType: text('service_type').notNull(),
    unit: text('unit', { enum: RATE_UNITS }).notNull(),
    individualRate: numeric('individual_rate', { precision: 12, scale: 2 }).notNull(),
    tierPeriod: text('tier_period', { enum: TIER_PERIODS }).notNull(),
  },
  (t) => [
    uniqueIndex('rate_card_services_card_type_key').on(t.rateCardId, t.serviceType),
    check('rate_card_services_unit_known', oneOf(t.unit, RATE_UNITS)),
    check('rate_card_services_tier_period_known', oneOf(t.tierPeriod, TIER_PERIODS)),
  ],
);

export const rateCardTiers = pgTable(
  'rate_card_tiers',
  {
    serviceId: uuid('service_id')
      .notNull()
      .references(() => rateCardServices.id),
    minUnits: numeric('min_units', { precision: 12, scale: 2 }).notNull(),
    rate: numeric('rate', { precision: 12, scale: 2 }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.serviceId, t.minUnits] })],
);

/**
 * How an entry's charge was split between members: the method, and each member's input (weight, units or
 * contributions) so a statement can show "split equally between 12 members" or "by hours used".
 */
export const allocationRecords = pgTable('allocation_records', {
  entryId: uuid('entry_id')
    .primaryKey()
    .references(() => journalEntries.id),
  method: text('method').notNull(),
  rangeFrom: date('range_from', { mode: 'string' }),
  rangeTo: date('range_to', { mode: 'string' }),
});

export const allocationInputs = pgTable(
  'allocation_inputs',
  {
    entryId: uuid('entry_id')
      .notNull()
      .references(() => journalEntries.id),
    coopId: uuid('coop_id').notNull(),
    memberId: uuid('member_id')
      .notNull()
      .references(() => members.id),
    input: numeric('input', { precision: 14, scale: 2 }).notNull(),
    amount: numeric('amount', { precision: 14, scale: 2 }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.entryId, t.memberId] }),
    // The members a charge was split between are of the entry's co-op.
    foreignKey({
      name: 'allocation_inputs_entry_coop_fk',
      columns: [t.entryId, t.coopId],
      foreignColumns: [journalEntries.id, journalEntries.coopId],
    }),
    foreignKey({
      name: 'allocation_inputs_member_coop_fk',
      columns: [t.memberId, t.coopId],
      foreignColumns: [members.id, members.coopId],
    }),
  ],
);

export const sharedCosts = pgTable(
  'shared_costs',
  {
    id: uuid('id').primaryKey(),
    coopId: uuid('coop_id')
      .notNull()
      .references(() => coops.id),
    poolId: uuid('pool_id')
      .notNull()
      .references(() => pools.id),
    entryId: uuid('entry_id')
      .notNull()
      .unique()
      .references(() => journalEntries.id),
    category: text('category', { enum: SHARED_COST_CATEGORIES }).notNull(),
    description: text('description').notNull(),
    amount: numeric('amount', { precision: 14, scale: 2 }).notNull(),
    costDate: date('cost_date', { mode: 'string' }).notNull(),
    providerId: uuid('provider_id').references(() => providers.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('shared_costs_pool_idx').on(t.poolId, t.costDate),
    check('shared_costs_category_known', oneOf(t.category, SHARED_COST_CATEGORIES)),
    foreignKey({
      name: 'shared_costs_pool_coop_fk',
      columns: [t.poolId, t.coopId],
      foreignColumns: [pools.id, pools.coopId],
    }),
    foreignKey({
      name: 'shared_costs_provider_coop_fk',
      columns: [t.providerId, t.coopId],
      foreignColumns: [providers.id, providers.coopId],
    }),
    foreignKey({
      name: 'shared_costs_entry_coop_fk',
      columns: [t.entryId, t.coopId],
      foreignColumns: [journalEntries.id, journalEntries.coopId],
    }),
  ],
);

export const purchases = pgTable(
  'purchases',
  {
    id: uuid('id').primaryKey(),
    coopId: uuid('coop_id')
      .notNull()
      .references(() => coops.id),
    providerId: uuid('provider_id')
      .notNull()
      .references(() => providers.id),
    poolId: uuid('pool_id').references(() => pools.id),
    memberId: uuid('member_id').references(() => members.id),
    invoiceReference: text('invoice_reference').notNull(),
    invoiceDate: date('invoice_date', { mode: 'string' }).notNull(),
    serviceFrom: date('service_from', { mode: 'string' }).notNull(),
    serviceTo: date('service_to', { mode: 'string' }).notNull(),
    total: numeric('total', { precision: 14, scale: 2 }).notNull(),
    individualRateTotal: numeric('individual_rate_total', { precision: 14, scale: 2 }).notNull(),
    entryId: uuid('entry_id')
      .notNull()
      .unique()
      .references(() => journalEntries.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // One live invoice per provider and reference: a reversed one may be recorded again (migration 0011's trigger).
    index('purchases_provider_invoice_idx').on(t.providerId, t.invoiceReference),
    index('purchases_coop_date_idx').on(t.coopId, t.invoiceDate),
    unique('purchases_id_coop_key').on(t.id, t.coopId),
    check('purchases_pool_or_member', sql`(${t.poolId} IS NULL) <> (${t.memberId} IS NULL)`),
    check('purchases_total_positive', sql`${t.total} > 0`),
    foreignKey({
      name: 'purchases_provider_coop_fk',
      columns: [t.providerId, t.coopId],
      foreignColumns: [providers.id, providers.coopId],
    }),
    foreignKey({
      name: 'purchases_pool_coop_fk',
      columns: [t.poolId, t.coopId],
      foreignColumns: [pools.id, pools.coopId],
    }),
    foreignKey({
      name: 'purchases_member_coop_fk',
      columns: [t.memberId, t.coopId],
      foreignColumns: [members.id, members.coopId],
    }),
    foreignKey({
      name: 'purchases_entry_coop_fk',
      columns: [t.entryId, t.coopId],
      foreignColumns: [journalEntries.id, journalEntries.coopId],
    }),
  ],
);

export const purchaseLines = pgTable(
  'purchase_lines',
  {
    purchaseId: uuid('purchase_id')
      .notNull()
      .references(() => purchases.id),
    coopId: uuid('coop_id').notNull(),
    lineNumber: integer('line_number').notNull(),
    serviceType: text('service_type').notNull(),
    category: text('category').notNull(),
    description: text('description').notNull(),
    unit: text('unit'),
    units: numeric('units', { precision: 12, scale: 2 }).notNull(),
    unitRate: numeric('unit_rate', { precision: 12, scale: 2 }).notNull(),
    amount: numeric('amount', { precision: 14, scale: 2 }).notNull(),
    individualRate: numeric('individual_rate', { precision: 12, scale: 2 }).notNull(),
    individualAmount: numeric('individual_amount', { precision: 14, scale: 2 }).notNull(),
    memberId: uuid('member_id').references(() => members.id),
  },
  (t) => [
    primaryKey({ columns: [t.purchaseId, t.lineNumber] }),
    check('purchase_lines_category_known', oneOf(t.category, SPENDING_CATEGORIES)),
    foreignKey({
      name: 'purchase_lines_purchase_coop_fk',
      columns: [t.purchaseId, t.coopId],
      foreignColumns: [purchases.id, purchases.coopId],
    }),
    foreignKey({
      name: 'purchase_lines_member_coop_fk',
      columns: [t.memberId, t.coopId],
      foreignColumns: [members.id, members.coopId],
    }),
  ],
);

/** Each member's part of a purchase: what they were charged and what the same would have cost them alone. */
export const purchaseShares = pgTable(
  'purchase_shares',
  {
    purchaseId: uuid('purchase_id')
      .notNull()
      .references(() => purchases.id),
    coopId: uuid('coop_id').notNull(),
    memberId: uuid('member_id')
      .notNull()
      .references(() => members.id),
    amount: numeric('amount', { precision: 14, scale: 2 }).notNull(),
    individualAmount: numeric('individual_amount', { precision: 14, scale: 2 }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.purchaseId, t.memberId] }),
    index('purchase_shares_member_idx').on(t.memberId),
    foreignKey({
      name: 'purchase_shares_purchase_coop_fk',
      columns: [t.purchaseId, t.coopId],
      foreignColumns: [purchases.id, purchases.coopId],
    }),
    foreignKey({
      name: 'purchase_shares_member_coop_fk',
      columns: [t.memberId, t.coopId],
      foreignColumns: [members.id, members.coopId],
    }),
  ],
);

export const providerPayments = pgTable(
  'provider_payments',
  {
    id: uuid('id').primaryKey(),
    purchaseId: uuid('purchase_id')
      .notNull()
      .references(() => purchases.id),
    entryId: uuid('entry_id')
      .notNull()
      .unique()
      .references(() => journalEntries.id),
    amount: numeric('amount', { precision: 14, scale: 2 }).notNull(),
    paidOn: date('paid_on', { mode: 'string' }).notNull(),
    reference: text('reference').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('provider_payments_purchase_idx').on(t.purchaseId)],
);
