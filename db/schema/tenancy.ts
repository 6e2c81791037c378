import { sql } from 'drizzle-orm';
import { check, date, index, integer, numeric, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

export const localAuthorities = pgTable('local_authorities', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull(),
  nameCy: text('name_cy').notNull(),
  code: text('code').notNull().unique(),
  surplusThresholdWeeks: integer('surplus_threshold_weeks').notNull().default(8),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const coops = pgTable('coops', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull(),
  nameCy: text('name_cy'),
  registrationNumber: text('registration_number'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const members = pgTable(
  'members',
  {
    id: uuid('id').primaryKey(),
    coopId: uuid('coop_id')
      .notNull()
      .references(() => coops.id),
    name: text('name').notNull(),
    stakeholderClass: text('stakeholder_class').notNull(),
    localAuthorityId: uuid('local_authority_id').references(() => localAuthorities.id),
    laReference: text('la_reference'),
    preferredLanguage: text('preferred_language').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('members_coop_la_reference_key').on(t.coopId, t.laReference),
    index('members_local_authority_idx').on(t.localAuthorityId),
    check(
      'members_holder_has_la',
      sql`${t.stakeholderClass} <> 'holder' OR (${t.localAuthorityId} IS NOT NULL AND ${t.laReference} IS NOT NULL)`,
    ),
  ],
);

/** The current Direct Payment award of a holder; replaced by PUT, history kept in the audit log. */
export const awards = pgTable('awards', {
  memberId: uuid('member_id')
    .primaryKey()
    .references(() => members.id),
  amount: numeric('amount', { precision: 14, scale: 2 }).notNull(),
  frequency: text('frequency').notNull(),
  startsOn: date('starts_on', { mode: 'string' }).notNull(),
  endsOn: date('ends_on', { mode: 'string' }),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const tokens = pgTable(
  'tokens',
  {
    id: uuid('id').primaryKey(),
    tokenHash: text('token_hash').notNull().unique(),
    role: text('role').notNull(),
    label: text('label').notNull(),
    coopId: uuid('coop_id').references(() => coops.id),
    memberId: uuid('member_id').references(() => members.id),
    localAuthorityId: uuid('local_authority_id').references(() => localAuthorities.id),
    createdByTokenId: uuid('created_by_token_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [
    check(
      'tokens_scope_matches_role',
      sql`(${t.role} = 'admin' AND ${t.coopId} IS NULL AND ${t.memberId} IS NULL AND ${t.localAuthorityId} IS NULL)
       OR (${t.role} = 'treasurer' AND ${t.coopId} IS NOT NULL AND ${t.memberId} IS NULL)
       OR (${t.role} = 'holder' AND ${t.coopId} IS NOT NULL AND ${t.memberId} IS NOT NULL)
       OR (${t.role} = 'la_officer' AND ${t.localAuthorityId} IS NOT NULL AND ${t.coopId} IS NULL)`,
    ),
  ],
);

export const auditLog = pgTable(
  'audit_log',
  {
    id: uuid('id').primaryKey(),
    coopId: uuid('coop_id'),
    actorTokenId: uuid('actor_token_id'),
    action: text('action').notNull(),
    targetType: text('target_type').notNull(),
    targetId: uuid('target_id'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('audit_log_coop_at_idx').on(t.coopId, t.at)],
);
