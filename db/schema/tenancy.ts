import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  check,
  date,
  foreignKey,
  index,
  integer,
  numeric,
  pgTable,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { AWARD_FREQUENCIES, LANGUAGES, PERSON_ROLES, STAKEHOLDER_CLASSES } from '../../src/domain/vocabulary';
import { oneOf } from './vocabulary-checks';

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
    stakeholderClass: text('stakeholder_class', { enum: STAKEHOLDER_CLASSES }).notNull(),
    localAuthorityId: uuid('local_authority_id').references(() => localAuthorities.id),
    laReference: text('la_reference'),
    preferredLanguage: text('preferred_language', { enum: LANGUAGES }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('members_coop_la_reference_key').on(t.coopId, t.laReference),
    // What rows in other tables reference with their co-op, so the database refuses a link across co-ops.
    unique('members_id_coop_key').on(t.id, t.coopId),
    index('members_local_authority_idx').on(t.localAuthorityId),
    check(
      'members_holder_has_la',
      sql`${t.stakeholderClass} <> 'holder' OR (${t.localAuthorityId} IS NOT NULL AND ${t.laReference} IS NOT NULL)`,
    ),
    check(
      'members_only_holders_have_la',
      sql`${t.stakeholderClass} = 'holder' OR (${t.localAuthorityId} IS NULL AND ${t.laReference} IS NULL)`,
    ),
    check('members_stakeholder_class_known', oneOf(t.stakeholderClass, STAKEHOLDER_CLASSES)),
    check('members_preferred_language_known', oneOf(t.preferredLanguage, LANGUAGES)),
  ],
);

/**
 * A holder's Direct Payment awards as dated history: each from a date until a date (open-ended while in force), never
 * overlapping (an exclusion constraint, migration 0011). A change adds an award and ends the one before it; an award
 * recorded for dates not yet closed may be corrected, which marks it replaced. Statements use the award in force at
 * the end of their period, so a past period's figures never change.
 */
export const awards = pgTable(
  'awards',
  {
    id: uuid('id').primaryKey(),
    coopId: uuid('coop_id').notNull(),
    memberId: uuid('member_id').notNull(),
    amount: numeric('amount', { precision: 14, scale: 2 }).notNull(),
    frequency: text('frequency', { enum: AWARD_FREQUENCIES }).notNull(),
    startsOn: date('starts_on', { mode: 'string' }).notNull(),
    endsOn: date('ends_on', { mode: 'string' }),
    /** Set when a correction recorded for the same dates took this award's place. */
    replacedByAwardId: uuid('replaced_by_award_id').references((): AnyPgColumn => awards.id),
    createdByTokenId: uuid('created_by_token_id').references((): AnyPgColumn => tokens.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    foreignKey({
      name: 'awards_member_coop_fk',
      columns: [t.memberId, t.coopId],
      foreignColumns: [members.id, members.coopId],
    }),
    index('awards_member_idx').on(t.memberId, t.startsOn),
    check('awards_frequency_known', oneOf(t.frequency, AWARD_FREQUENCIES)),
    check('awards_amount_positive', sql`${t.amount} > 0`),
    check('awards_ends_after_start', sql`${t.endsOn} IS NULL OR ${t.endsOn} >= ${t.startsOn}`),
  ],
);

/**
 * Bearer tokens for systems. Each expires; each records which token created it (a token never creates one that
 * outlives it or has more power); a revocation, once made, is final (migration 0011's trigger).
 */
export const tokens = pgTable(
  'tokens',
  {
    id: uuid('id').primaryKey(),
    tokenHash: text('token_hash').notNull().unique(),
    role: text('role', { enum: PERSON_ROLES }).notNull(),
    label: text('label').notNull(),
    coopId: uuid('coop_id').references(() => coops.id),
    memberId: uuid('member_id').references(() => members.id),
    localAuthorityId: uuid('local_authority_id').references(() => localAuthorities.id),
    createdByTokenId: uuid('created_by_token_id').references((): AnyPgColumn => tokens.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [
    foreignKey({
      name: 'tokens_member_coop_fk',
      columns: [t.memberId, t.coopId],
      foreignColumns: [members.id, members.coopId],
    }),
    index('tokens_created_by_idx').on(t.createdByTokenId),
    index('tokens_coop_idx').on(t.coopId),
    check('tokens_role_known', oneOf(t.role, PERSON_ROLES)),
    check(
      'tokens_scope_matches_role',
      sql`(${t.role} IN ('admin', 'supporter') AND ${t.coopId} IS NULL AND ${t.memberId} IS NULL AND ${t.localAuthorityId} IS NULL)
       OR (${t.role} = 'treasurer' AND ${t.coopId} IS NOT NULL AND ${t.memberId} IS NULL AND ${t.localAuthorityId} IS NULL)
       OR (${t.role} = 'holder' AND ${t.coopId} IS NOT NULL AND ${t.memberId} IS NOT NULL AND ${t.localAuthorityId} IS NULL)
       OR (${t.role} = 'la_officer' AND ${t.localAuthorityId} IS NOT NULL AND ${t.coopId} IS NULL AND ${t.memberId} IS NULL)`,
    ),
    check('tokens_expire_after_creation', sql`${t.expiresAt} > ${t.createdAt}`),
  ],
);

/** Who did what, when: ids only. Append-only (migration 0011). */
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
