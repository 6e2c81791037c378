import { sql } from 'drizzle-orm';
import {
  check,
  date,
  foreignKey,
  index,
  numeric,
  pgTable,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { AWARD_FREQUENCIES } from '../../src/domain/vocabulary';
import { coops, members } from './tenancy';
import { oneOf } from './vocabulary-checks';

export const pools = pgTable(
  'pools',
  {
    id: uuid('id').primaryKey(),
    coopId: uuid('coop_id')
      .notNull()
      .references(() => coops.id),
    code: text('code').notNull(),
    name: text('name').notNull(),
    nameCy: text('name_cy'),
    purpose: text('purpose').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('pools_coop_code_key').on(t.coopId, t.code), unique('pools_id_coop_key').on(t.id, t.coopId)],
);

/**
 * Who is in a pool, and when: joined on a date, left on a date (dated history, so a statement for a past period shows
 * who was in it then). Rejoining adds a new row. `joinedAt`/`leftAt` are when the treasurer recorded it.
 */
export const poolMemberships = pgTable(
  'pool_memberships',
  {
    id: uuid('id').primaryKey(),
    coopId: uuid('coop_id').notNull(),
    poolId: uuid('pool_id')
      .notNull()
      .references(() => pools.id),
    memberId: uuid('member_id')
      .notNull()
      .references(() => members.id),
    agreedContributionAmount: numeric('agreed_contribution_amount', { precision: 14, scale: 2 }),
    agreedContributionFrequency: text('agreed_contribution_frequency', { enum: AWARD_FREQUENCIES }),
    joinedOn: date('joined_on', { mode: 'string' }).notNull(),
    leftOn: date('left_on', { mode: 'string' }),
    joinedAt: timestamp('joined_at', { withTimezone: true }).notNull().defaultNow(),
    leftAt: timestamp('left_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('pool_memberships_current_key')
      .on(t.poolId, t.memberId)
      .where(sql`${t.leftAt} IS NULL`),
    index('pool_memberships_member_idx').on(t.memberId),
    foreignKey({
      name: 'pool_memberships_pool_coop_fk',
      columns: [t.poolId, t.coopId],
      foreignColumns: [pools.id, pools.coopId],
    }),
    foreignKey({
      name: 'pool_memberships_member_coop_fk',
      columns: [t.memberId, t.coopId],
      foreignColumns: [members.id, members.coopId],
    }),
    check('pool_memberships_left_after_joining', sql`${t.leftOn} IS NULL OR ${t.leftOn} >= ${t.joinedOn}`),
    check('pool_memberships_left_together', sql`(${t.leftOn} IS NULL) = (${t.leftAt} IS NULL)`),
    check(
      'pool_memberships_frequency_known',
      sql`${t.agreedContributionFrequency} IS NULL OR ${oneOf(t.agreedContributionFrequency, AWARD_FREQUENCIES)}`,
    ),
  ],
);
