import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  foreignKey,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { LANGUAGES, PERSON_ROLES, SUPPORT_ACCESS } from '../../src/domain/vocabulary';
import { coops, localAuthorities, members, tokens } from './tenancy';
import { oneOf } from './vocabulary-checks';

/**
 * People who sign in with a password: holders, their supporters, treasurers, LA officers and admins. A person is
 * bound like a token of their role (a holder to their member, a treasurer to a co-op, an officer to an LA); a
 * supporter's holders are in `supporter_links`. `password_hash` (argon2id) is null until the person accepts their
 * invitation; a suspended person cannot sign in and their sessions end.
 */
export const people = pgTable(
  'people',
  {
    id: uuid('id').primaryKey(),
    name: text('name').notNull(),
    /** Stored as given; unique without regard to case (the index below), and looked up in lower case. */
    email: text('email'),
    role: text('role', { enum: PERSON_ROLES }).notNull(),
    coopId: uuid('coop_id').references(() => coops.id),
    memberId: uuid('member_id'),
    localAuthorityId: uuid('local_authority_id').references(() => localAuthorities.id),
    preferredLanguage: text('preferred_language', { enum: LANGUAGES }).notNull(),
    passwordHash: text('password_hash'),
    /** Base32 TOTP secret once the person has added a second factor. */
    totpSecret: text('totp_secret'),
    /** The 30-second step of the last code accepted: a code is good once, so one seen over a shoulder cannot be reused. */
    totpLastStep: integer('totp_last_step'),
    invitedByTokenId: uuid('invited_by_token_id').references(() => tokens.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    suspendedAt: timestamp('suspended_at', { withTimezone: true }),
  },
  (t) => [
    foreignKey({
      name: 'people_member_coop_fk',
      columns: [t.memberId, t.coopId],
      foreignColumns: [members.id, members.coopId],
    }),
    uniqueIndex('people_email_key').on(sql`lower(${t.email})`),
    // A holder signs in as themselves: one person per holder member.
    uniqueIndex('people_holder_member_key').on(t.memberId),
    index('people_coop_idx').on(t.coopId),
    index('people_local_authority_idx').on(t.localAuthorityId),
    check('people_role_known', oneOf(t.role, PERSON_ROLES)),
    check('people_preferred_language_known', oneOf(t.preferredLanguage, LANGUAGES)),
    check(
      'people_scope_matches_role',
      sql`(${t.role} IN ('admin', 'supporter') AND ${t.coopId} IS NULL AND ${t.memberId} IS NULL AND ${t.localAuthorityId} IS NULL)
       OR (${t.role} = 'treasurer' AND ${t.coopId} IS NOT NULL AND ${t.memberId} IS NULL AND ${t.localAuthorityId} IS NULL)
       OR (${t.role} = 'holder' AND ${t.coopId} IS NOT NULL AND ${t.memberId} IS NOT NULL AND ${t.localAuthorityId} IS NULL)
       OR (${t.role} = 'la_officer' AND ${t.localAuthorityId} IS NOT NULL AND ${t.coopId} IS NULL AND ${t.memberId} IS NULL)`,
    ),
  ],
);

/**
 * Which holders a supporter may see (and, with `act`, act for). Granted by the holder or a treasurer; ended by
 * either, which also ends the supporter's sessions. A link is never deleted: `ended_at` says when it stopped.
 */
export const supporterLinks = pgTable(
  'supporter_links',
  {
    id: uuid('id').primaryKey(),
    supporterPersonId: uuid('supporter_person_id')
      .notNull()
      .references(() => people.id),
    coopId: uuid('coop_id').notNull(),
    memberId: uuid('member_id').notNull(),
    access: text('access', { enum: SUPPORT_ACCESS }).notNull(),
    grantedByTokenId: uuid('granted_by_token_id').references(() => tokens.id),
    grantedAt: timestamp('granted_at', { withTimezone: true }).notNull().defaultNow(),
    endedByTokenId: uuid('ended_by_token_id').references(() => tokens.id),
    endedAt: timestamp('ended_at', { withTimezone: true }),
  },
  (t) => [
    foreignKey({
      name: 'supporter_links_member_coop_fk',
      columns: [t.memberId, t.coopId],
      foreignColumns: [members.id, members.coopId],
    }),
    uniqueIndex('supporter_links_live_key')
      .on(t.supporterPersonId, t.memberId)
      .where(sql`${t.endedAt} IS NULL`),
    index('supporter_links_member_idx').on(t.memberId),
    check('supporter_links_access_known', oneOf(t.access, SUPPORT_ACCESS)),
  ],
);

/**
 * A single-use sign-up link for a person: the secret is shown once to the inviter (and emailed), stored hashed.
 * Used once (the person chooses a password), withdrawn, or lapsed after `expires_at`. The same link resets a
 * forgotten password.
 */
export const invitations = pgTable(
  'invitations',
  {
    id: uuid('id').primaryKey(),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id),
    secretHash: text('secret_hash').notNull().unique(),
    createdByTokenId: uuid('created_by_token_id').references(() => tokens.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    withdrawnAt: timestamp('withdrawn_at', { withTimezone: true }),
  },
  (t) => [
    index('invitations_person_idx').on(t.personId),
    check('invitations_expire_after_creation', sql`${t.expiresAt} > ${t.createdAt}`),
  ],
);

/**
 * A signed-in browser. Each session is a token (of the person's role and scope, so every use case and access rule
 * treats it as it treats a token, and every record it makes names it) plus what only sessions have: the person,
 * and the last request, for the idle limit. Ending a session revokes its token.
 */
export const sessions = pgTable(
  'sessions',
  {
    tokenId: uuid('token_id')
      .primaryKey()
      .references(() => tokens.id),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    /**
     * Set while a person with a second factor (or one their role must have) has given their password but not yet a
     * code: such a session opens only the page that asks for the code (or sets the factor up).
     */
    secondFactorPending: boolean('second_factor_pending').notNull().default(false),
  },
  (t) => [index('sessions_person_idx').on(t.personId)],
);
