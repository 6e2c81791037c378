import { sql } from 'drizzle-orm';
import { index, numeric, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { coops, members } from './tenancy';

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
  (t) => [uniqueIndex('pools_coop_code_key').on(t.coopId, t.code)],
);

/** Who is in a pool, and when; leaving sets left_at, rejoining adds a new row. */
export const poolMemberships = pgTable(
  'pool_memberships',
  {
    id: uuid('id').primaryKey(),
    poolId: uuid('pool_id')
      .notNull()
      .references(() => pools.id),
    memberId: uuid('member_id')
      .notNull()
      .references(() => members.id),
    agreedContributionAmount: numeric('agreed_contribution_amount', { precision: 14, scale: 2 }),
    agreedContributionFrequency: text('agreed_contribution_frequency'),
    joinedAt: timestamp('joined_at', { withTimezone: true }).notNull().defaultNow(),
    leftAt: timestamp('left_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('pool_memberships_current_key')
      .on(t.poolId, t.memberId)
      .where(sql`${t.leftAt} IS NULL`),
    index('pool_memberships_member_idx').on(t.memberId),
  ],
);
