import { and, eq, inArray, isNull, ne, sql } from 'drizzle-orm';
import { z } from 'zod';
import { people, sessions, tokens } from '../../../db/schema/index';
import type { Principal } from '../../auth/principal';
import { hashToken, newTokenSecret } from '../../auth/token-secret';
import { type Database, type Tx, rowShape, rowsOf } from '../../db/database';
import { newId } from '../../db/ids';
import { LANGUAGES, type Language, PERSON_ROLES, type Role } from '../../domain/vocabulary';

/** A session ends after 30 minutes without a request, and 12 hours after sign-in whatever happens. */
export const SESSION_IDLE_MS = 30 * 60_000;
export const SESSION_MAX_MS = 12 * 3_600_000;
/** How often a session's last request is written: the idle limit is kept to within this. */
const LAST_SEEN_RESOLUTION_MS = 60_000;

/** Who is signed in, as a page needs them: the principal the use cases take, and the person's own details. */
export interface SignedIn {
  principal: Principal;
  person: {
    id: string;
    name: string;
    email: string | null;
    role: Role;
    preferredLanguage: Language;
    hasSecondFactor: boolean;
  };
  /** `done`, or what the session waits for before it opens anything: a code, or the factor to be set up. */
  secondFactor: 'done' | 'code' | 'setup';
}

/**
 * Starts a session for a person: a new token of their role and scope (so every access rule and record treats the
 * browser as it treats a token) and its session row. The secret goes in the cookie; only its hash is kept.
 */
export async function startSession(
  tx: Tx,
  person: Pick<typeof people.$inferSelect, 'id' | 'role' | 'coopId' | 'memberId' | 'localAuthorityId' | 'name'>,
  now: Date,
  secondFactorPending = false,
): Promise<{ secret: string; expiresAt: Date }> {
  const secret = newTokenSecret();
  const tokenId = newId();
  const expiresAt = new Date(now.getTime() + SESSION_MAX_MS);
  await tx.insert(tokens).values({
    id: tokenId,
    tokenHash: hashToken(secret),
    role: person.role,
    label: `sign-in session`,
    coopId: person.coopId,
    memberId: person.memberId,
    localAuthorityId: person.localAuthorityId,
    createdAt: now,
    expiresAt,
  });
  await tx
    .insert(sessions)
    .values({ tokenId, personId: person.id, createdAt: now, lastSeenAt: now, secondFactorPending });
  return { secret, expiresAt };
}

const SessionRow = rowShape('a live session', {
  tokenId: z.string(),
  role: z.enum(PERSON_ROLES),
  coopId: z.string().nullable(),
  memberId: z.string().nullable(),
  localAuthorityId: z.string().nullable(),
  expiresAtMs: z.number(),
  lastSeenAtMs: z.number(),
  secondFactorPending: z.boolean(),
  personId: z.string(),
  name: z.string(),
  email: z.string().nullable(),
  personRole: z.enum(PERSON_ROLES),
  preferredLanguage: z.enum(LANGUAGES),
  hasSecondFactor: z.boolean(),
});

/**
 * The person behind a session cookie, or null if the session ended, lapsed (idle or too old), or the person was
 * suspended. Keeps the session alive by writing the last request (at most once a minute). One short statement,
 * written as SQL: it runs before every page.
 */
export async function authenticateSession(database: Database, secret: string, now: Date): Promise<SignedIn | null> {
  const [row] = rowsOf(
    SessionRow,
    await database.read((db) =>
      db.execute(sql`
        select t.id as "tokenId", t.role, t.coop_id as "coopId", t.member_id as "memberId",
               t.local_authority_id as "localAuthorityId",
               (extract(epoch from t.expires_at) * 1000)::float8 as "expiresAtMs",
               (extract(epoch from s.last_seen_at) * 1000)::float8 as "lastSeenAtMs",
               s.second_factor_pending as "secondFactorPending",
               p.id as "personId", p.name, p.email, p.role as "personRole",
               p.preferred_language as "preferredLanguage", p.totp_secret is not null as "hasSecondFactor"
          from tokens t
          join sessions s on s.token_id = t.id
          join people p on p.id = s.person_id
         where t.token_hash = ${hashToken(secret)} and t.revoked_at is null and t.expires_at > ${now.toISOString()}::timestamptz
           and s.last_seen_at > ${new Date(now.getTime() - SESSION_IDLE_MS).toISOString()}::timestamptz and p.suspended_at is null`),
    ),
  );
  if (!row) return null;
  if (now.getTime() - row.lastSeenAtMs > LAST_SEEN_RESOLUTION_MS) {
    await database.autocommit((db) =>
      db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.tokenId, row.tokenId)),
    );
  }
  return {
    principal: {
      tokenId: row.tokenId,
      role: row.role,
      coopId: row.coopId,
      memberId: row.memberId,
      localAuthorityId: row.localAuthorityId,
      expiresAt: new Date(row.expiresAtMs),
      personId: row.personId,
    },
    person: {
      id: row.personId,
      name: row.name,
      email: row.email,
      role: row.personRole,
      preferredLanguage: row.preferredLanguage,
      hasSecondFactor: row.hasSecondFactor,
    },
    secondFactor: !row.secondFactorPending ? 'done' : row.hasSecondFactor ? 'code' : 'setup',
  };
}

/** Ends one session (signing out): its token is revoked, so it stops working at once. */
export async function endSession(database: Database, tokenId: string, now: Date): Promise<void> {
  await database.autocommit((db) =>
    db
      .update(tokens)
      .set({ revokedAt: now })
      .where(and(eq(tokens.id, tokenId), isNull(tokens.revokedAt))),
  );
}

/** Ends every session of a person (sign out everywhere, a supporter removed, a person suspended), or all but one. */
export async function endSessionsOf(tx: Tx, personId: string, now: Date, keepTokenId?: string): Promise<void> {
  const live = tx
    .select({ id: sessions.tokenId })
    .from(sessions)
    .where(and(eq(sessions.personId, personId), keepTokenId ? ne(sessions.tokenId, keepTokenId) : undefined));
  await tx
    .update(tokens)
    .set({ revokedAt: now })
    .where(and(inArray(tokens.id, live), isNull(tokens.revokedAt)));
}

/** Remembers the language a person chose with the switch, for their next visit and their emails. */
export async function rememberLanguage(database: Database, personId: string, language: Language): Promise<void> {
  await database.autocommit((db) =>
    db.update(people).set({ preferredLanguage: language }).where(eq(people.id, personId)),
  );
}
