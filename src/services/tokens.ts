import { and, eq, gt, inArray, isNull, notExists, sql } from 'drizzle-orm';
import { z } from 'zod';
import { members, sessions, tokens } from '../../db/schema/index';
import type { Principal } from '../auth/principal';
import { hashToken, newTokenSecret } from '../auth/token-secret';
import { type Database, type Tx, rowShape, rowsOf, insertedRow } from '../db/database';
import { newId } from '../db/ids';
import { DomainError, notFound, invalidInput } from '../domain/errors';
import { DEFAULT_TOKEN_POLICY, type TokenPolicy, tokenExpiry } from '../domain/token-lifetime';
import type { Role, TokenRole } from '../domain/vocabulary';
import { recordAudit } from './audit';
import type { UseCaseContext } from './context';
import { findCoop, findLocalAuthority } from './lookups';
import { type PageRequest, keyset } from './pagination';

export interface NewToken {
  role: TokenRole;
  label: string;
  coopId?: string | undefined;
  memberId?: string | undefined;
  localAuthorityId?: string | undefined;
  /** Sooner than the role's lifetime, if wanted. */
  expiresAt?: Date | undefined;
}

/** How often a token's last use is written: often enough to tell a live token from a forgotten one. */
const LAST_USED_RESOLUTION_MS = 5 * 60_000;

/** Returns the caller behind a token secret, or null if it is unknown, revoked or expired. */
export async function authenticate(database: Database, secret: string, now: Date): Promise<Principal | null> {
  const [row] = await database.read((db) =>
    db
      .select()
      .from(tokens)
      .where(
        and(
          eq(tokens.tokenHash, hashToken(secret)),
          isNull(tokens.revokedAt),
          gt(tokens.expiresAt, now),
          // A browser's session works on the pages only: a person is not an API token.
          notExists(db.select().from(sessions).where(eq(sessions.tokenId, tokens.id))),
        ),
      ),
  );
  if (!row) return null;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await database.autocommit((db) => db.update(tokens).set({ lastUsedAt: now }).where(eq(tokens.id, row.id)));
  }
  return {
    tokenId: row.id,
    role: row.role,
    coopId: row.coopId,
    memberId: row.memberId,
    localAuthorityId: row.localAuthorityId,
    expiresAt: row.expiresAt,
  };
}

/**
 * Issues a token; the secret is returned once and only its hash is kept. Admins issue any token. A treasurer issues
 * holder tokens for holders of their own co-op, and nothing more: a treasurer token that could mint treasurer tokens
 * could keep a co-op's books open to someone after their own token was revoked, so treasurers are appointed by an
 * admin. A new token never outlives the token that creates it.
 * Raises: `forbidden` (403), `not-found` (404) for an unknown co-op, member or LA, `unprocessable` (422) for a
 * scope that does not fit the role or an expiry it may not have.
 */
export async function createToken({ database, principal, settings, now }: UseCaseContext, input: NewToken) {
  if (principal.role === 'treasurer') {
    if (input.role !== 'holder') {
      throw new DomainError('forbidden', 'A treasurer can issue only holder tokens; an admin appoints treasurers.');
    }
    if (input.coopId !== principal.coopId) {
      throw new DomainError('forbidden', 'A treasurer can issue tokens only for their own co-op.');
    }
  } else if (principal.role !== 'admin') {
    throw new DomainError('forbidden', 'Your token cannot issue tokens.');
  }
  const scope = normaliseScope(input);
  const expiresAt = tokenExpiry(input.role, now, principal.expiresAt, input.expiresAt, settings.tokens);
  const secret = newTokenSecret();
  return database.transaction(async (tx) => {
    if (scope.coopId && !(await findCoop(tx, scope.coopId))) throw notFound('Co-op');
    if (scope.localAuthorityId && !(await findLocalAuthority(tx, scope.localAuthorityId))) {
      throw notFound('Local authority');
    }
    if (scope.memberId) await requireHolderOf(tx, scope.coopId ?? '', scope.memberId);
    const id = newId();
    const row = insertedRow(
      await tx
        .insert(tokens)
        .values({
          id,
          tokenHash: hashToken(secret),
          role: input.role,
          label: input.label,
          ...scope,
          createdByTokenId: principal.tokenId,
          createdAt: now,
          expiresAt,
        })
        .returning(),
    );
    await recordAudit(tx, principal, {
      coopId: scope.coopId,
      action: 'token.create',
      targetType: 'token',
      targetId: id,
    });
    return { ...tokenView(row), token: secret };
  });
}

/** A holder token is for a member who is a holder, in the token's co-op. */
async function requireHolderOf(tx: Tx, coopId: string, memberId: string): Promise<void> {
  const [member] = await tx
    .select({ stakeholderClass: members.stakeholderClass })
    .from(members)
    .where(and(eq(members.id, memberId), eq(members.coopId, coopId)));
  if (!member) throw notFound('Member');
  if (member.stakeholderClass !== 'holder') {
    throw invalidInput(
      { field: 'memberId', message: 'not a holder' },
      'A holder token is for a member who holds a Direct Payment.',
    );
  }
}

function normaliseScope(input: NewToken) {
  const missing = (field: string) =>
    invalidInput({ field: `${field}`, message: 'required for this role' }, `A ${input.role} token needs ${field}.`);
  const extra = (field: string) =>
    invalidInput(
      { field: `${field}`, message: 'not allowed for this role' },
      `A ${input.role} token cannot have ${field}.`,
    );
  switch (input.role) {
    case 'admin':
      if (input.coopId) throw extra('coopId');
      if (input.memberId) throw extra('memberId');
      if (input.localAuthorityId) throw extra('localAuthorityId');
      return { coopId: null, memberId: null, localAuthorityId: null };
    case 'treasurer':
      if (!input.coopId) throw missing('coopId');
      if (input.memberId) throw extra('memberId');
      if (input.localAuthorityId) throw extra('localAuthorityId');
      return { coopId: input.coopId, memberId: null, localAuthorityId: null };
    case 'holder':
      if (!input.coopId) throw missing('coopId');
      if (!input.memberId) throw missing('memberId');
      if (input.localAuthorityId) throw extra('localAuthorityId');
      return { coopId: input.coopId, memberId: input.memberId, localAuthorityId: null };
    case 'la_officer':
      if (!input.localAuthorityId) throw missing('localAuthorityId');
      if (input.coopId) throw extra('coopId');
      if (input.memberId) throw extra('memberId');
      return { coopId: null, memberId: null, localAuthorityId: input.localAuthorityId };
  }
}

type TokenRow = typeof tokens.$inferSelect;

/** A token as listed: everything about it but its secret (never stored) and its hash. */
function tokenView(row: TokenRow) {
  return {
    id: row.id,
    role: row.role,
    label: row.label,
    coopId: row.coopId,
    memberId: row.memberId,
    localAuthorityId: row.localAuthorityId,
    createdBy: row.createdByTokenId,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

export interface TokenQuery extends PageRequest {
  coopId?: string | undefined;
  role?: Role | undefined;
  /** Revoked and expired tokens too (default: only those that still work). */
  all: boolean;
}

/** Admins list every token (by co-op if asked); a treasurer lists the holder tokens of their own co-op. */
export async function listTokens({ database, principal, now }: UseCaseContext, query: TokenQuery) {
  const treasurer = principal.role === 'treasurer';
  const keys = keyset(tokens.id, query);
  const rows = await database.read((db) =>
    db
      .select()
      .from(tokens)
      .where(
        and(
          treasurer ? eq(tokens.coopId, principal.coopId ?? '') : undefined,
          treasurer ? eq(tokens.role, 'holder') : undefined,
          query.coopId ? eq(tokens.coopId, query.coopId) : undefined,
          query.role ? eq(tokens.role, query.role) : undefined,
          query.all ? undefined : and(isNull(tokens.revokedAt), gt(tokens.expiresAt, now)),
          // A person's sign-in session is not an API token: people manage their sessions by signing out.
          notExists(db.select().from(sessions).where(eq(sessions.tokenId, tokens.id))),
          keys.after,
        ),
      )
      .orderBy(keys.orderBy)
      .limit(keys.limit),
  );
  return keys.page(rows, tokenView);
}

/**
 * Revokes a token at once, and with `cascade` every token it created, and theirs, all the way down. Admins revoke any
 * token, a treasurer the holder tokens of their own co-op, anyone their own; anyone else is told it does not exist.
 * Revoking an already revoked token succeeds (idempotent). Returns how many tokens stopped working.
 */
export async function revokeToken({ database, principal, now }: UseCaseContext, tokenId: string, cascade: boolean) {
  return database.transaction(async (tx) => {
    const [row] = await tx.select().from(tokens).where(eq(tokens.id, tokenId)).for('update');
    if (!row || !mayRevoke(principal, row)) throw notFound('Token');
    const ids = cascade ? await descendantsAndSelf(tx, tokenId) : [tokenId];
    const revoked = await tx
      .update(tokens)
      .set({ revokedAt: now })
      .where(and(inArray(tokens.id, ids), isNull(tokens.revokedAt)))
      .returning({ id: tokens.id, coopId: tokens.coopId });
    for (const token of revoked) {
      await recordAudit(tx, principal, {
        coopId: token.coopId,
        action: 'token.revoke',
        targetType: 'token',
        targetId: token.id,
      });
    }
    return { revoked: revoked.length };
  });
}

function mayRevoke(principal: Principal, row: TokenRow): boolean {
  if (principal.role === 'admin' || principal.tokenId === row.id) return true;
  return principal.role === 'treasurer' && row.coopId === principal.coopId && row.role === 'holder';
}

/** A token and every token created from it, transitively (created_by_token_id links each to its creator). */
async function descendantsAndSelf(tx: Tx, tokenId: string): Promise<string[]> {
  const rows = rowsOf(
    rowShape('token in a tree', { id: z.string() }),
    await tx.execute(sql`
      with recursive tree(id) as (
        select ${tokenId}::uuid
        union
        select t.id from tokens t join tree on t.created_by_token_id = tree.id)
      select id from tree`),
  );
  return rows.map((r) => r.id);
}

/** Used by the CLI to create the first admin token, before any caller exists; `now` is the command's moment. */
export async function createBootstrapAdminToken(
  database: Database,
  label: string,
  now: Date,
  policy: TokenPolicy = DEFAULT_TOKEN_POLICY,
): Promise<string> {
  const secret = newTokenSecret();
  const expiresAt = tokenExpiry('admin', now, null, undefined, policy);
  await database.transaction(async (tx) => {
    const id = newId();
    await tx
      .insert(tokens)
      .values({ id, tokenHash: hashToken(secret), role: 'admin', label, createdAt: now, expiresAt });
    const self: Principal = {
      tokenId: id,
      role: 'admin',
      coopId: null,
      memberId: null,
      localAuthorityId: null,
      expiresAt,
    };
    await recordAudit(tx, self, { coopId: null, action: 'token.create', targetType: 'token', targetId: id });
  });
  return secret;
}
