import { and, eq, isNull } from 'drizzle-orm';
import { members, tokens } from '../../db/schema/index';
import type { Principal, Role } from '../auth/principal';
import { hashToken, newTokenSecret } from '../auth/token-secret';
import type { Database } from '../db/database';
import { newId } from '../db/ids';
import { DomainError, notFound } from '../domain/errors';
import { recordAudit } from './audit';
import type { UseCaseContext } from './context';
import { findLocalAuthority, findCoop } from './lookups';

export interface NewToken {
  role: Role;
  label: string;
  coopId?: string | undefined;
  memberId?: string | undefined;
  localAuthorityId?: string | undefined;
}

/** Returns the caller behind a token secret, or null if it is unknown or revoked. */
export async function authenticate(database: Database, secret: string): Promise<Principal | null> {
  const [row] = await database.read((db) =>
    db
      .select()
      .from(tokens)
      .where(and(eq(tokens.tokenHash, hashToken(secret)), isNull(tokens.revokedAt))),
  );
  if (!row) return null;
  return {
    tokenId: row.id,
    role: row.role as Role,
    coopId: row.coopId,
    memberId: row.memberId,
    localAuthorityId: row.localAuthorityId,
  };
}

/**
 * Issues a token; the secret is returned once and only its hash is kept.
 * Admins issue any token; treasurers issue holder and treasurer tokens of their own co-op.
 * Raises: `forbidden` (403), `not-found` (404) for an unknown co-op, member or LA, `unprocessable` (422) for a
 * scope that does not fit the role.
 */
export async function createToken({ database, principal }: UseCaseContext, input: NewToken) {
  if (principal.role === 'treasurer') {
    if (input.role !== 'holder' && input.role !== 'treasurer') {
      throw new DomainError('forbidden', 'A treasurer can issue only holder and treasurer tokens.');
    }
    if (input.coopId !== principal.coopId)
      throw new DomainError('forbidden', 'A treasurer can issue tokens only for their own co-op.');
  }
  const scope = normaliseScope(input);
  const secret = newTokenSecret();
  return database.transaction(async (tx) => {
    if (scope.coopId && !(await findCoop(tx, scope.coopId))) throw notFound('Co-op');
    if (scope.localAuthorityId && !(await findLocalAuthority(tx, scope.localAuthorityId)))
      throw notFound('Local authority');
    if (scope.memberId) {
      const [member] = await tx
        .select({ id: members.id, stakeholderClass: members.stakeholderClass })
        .from(members)
        .where(and(eq(members.id, scope.memberId), eq(members.coopId, scope.coopId ?? '')));
      if (!member) throw notFound('Member');
    }
    const id = newId();
    const [row] = await tx
      .insert(tokens)
      .values({
        id,
        tokenHash: hashToken(secret),
        role: input.role,
        label: input.label,
        ...scope,
        createdByTokenId: principal.tokenId,
      })
      .returning();
    if (!row) throw new Error('insert returned nothing');
    await recordAudit(tx, principal, {
      coopId: scope.coopId,
      action: 'token.create',
      targetType: 'token',
      targetId: id,
    });
    return {
      id,
      token: secret,
      role: row.role,
      label: row.label,
      coopId: row.coopId,
      memberId: row.memberId,
      localAuthorityId: row.localAuthorityId,
      createdAt: row.createdAt.toISOString(),
    };
  });
}

function normaliseScope(input: NewToken) {
  const missing = (field: string) =>
    new DomainError('unprocessable', `A ${input.role} token needs ${field}.`, {
      errors: [{ path: `body.${field}`, message: 'required for this role' }],
    });
  const extra = (field: string) =>
    new DomainError('unprocessable', `A ${input.role} token cannot have ${field}.`, {
      errors: [{ path: `body.${field}`, message: 'not allowed for this role' }],
    });
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

/**
 * Revokes a token at once. Whoever could create it may revoke it; anyone else is told it does not exist.
 * Revoking an already revoked token succeeds (idempotent).
 */
export async function revokeToken({ database, principal }: UseCaseContext, tokenId: string) {
  return database.transaction(async (tx) => {
    const [row] = await tx.select().from(tokens).where(eq(tokens.id, tokenId)).for('update');
    const mayRevoke =
      row &&
      (principal.role === 'admin' ||
        (principal.role === 'treasurer' &&
          row.coopId === principal.coopId &&
          (row.role === 'holder' || row.role === 'treasurer')));
    if (!row || !mayRevoke) throw notFound('Token');
    if (!row.revokedAt) {
      await tx.update(tokens).set({ revokedAt: new Date() }).where(eq(tokens.id, tokenId));
      await recordAudit(tx, principal, {
        coopId: row.coopId,
        action: 'token.revoke',
        targetType: 'token',
        targetId: tokenId,
      });
    }
  });
}

/** Used by the CLI to create the first admin token, before any caller exists. */
export async function createBootstrapAdminToken(database: Database, label: string): Promise<string> {
  const secret = newTokenSecret();
  await database.transaction(async (tx) => {
    const id = newId();
    await tx.insert(tokens).values({ id, tokenHash: hashToken(secret), role: 'admin', label });
    const self: Principal = { tokenId: id, role: 'admin', coopId: null, memberId: null, localAuthorityId: null };
    await recordAudit(tx, self, { coopId: null, action: 'token.create', targetType: 'token', targetId: id });
  });
  return secret;
}
