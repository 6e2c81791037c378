import { and, desc, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
import { invitations, members, people, supporterLinks } from '../../../db/schema/index';
import type { Principal } from '../../auth/principal';
import { hashToken, newTokenSecret } from '../../auth/token-secret';
import { type Database, type Tx, insertedRow } from '../../db/database';
import { newId } from '../../db/ids';
import { DomainError, invalidField, notFound } from '../../domain/errors';
import { type PasswordProblem, passwordProblem } from '../../domain/passwords';
import type { Language, SupportAccess } from '../../domain/vocabulary';
import { recordAudit } from '../audit';
import type { UseCaseContext } from '../context';
import { findCoop, findLocalAuthority } from '../lookups';
import { invitationEmail } from './invitation-email';
import { hashPassword } from './passwords';
import { visibleTo } from './people';
import { endSessionsOf, startSession } from './sessions';

/** A sign-up link works for 7 days. */
export const INVITATION_LIFETIME_MS = 7 * 86_400_000;

export type InvitedRole = 'treasurer' | 'holder' | 'supporter' | 'la_officer';

export interface NewInvitation {
  role: InvitedRole;
  name: string;
  email?: string | undefined;
  preferredLanguage?: Language | undefined;
  coopId?: string | undefined;
  memberId?: string | undefined;
  supports?: { memberId: string; access: SupportAccess }[] | undefined;
  localAuthorityId?: string | undefined;
}

/** Who may invite whom: admins appoint treasurers and LA officers; a treasurer invites their co-op's holders and their supporters. */
function requireMayInvite(principal: Principal, input: NewInvitation): void {
  const byAdmin = input.role === 'treasurer' || input.role === 'la_officer';
  if (byAdmin && principal.role !== 'admin') {
    throw new DomainError('forbidden', 'Only an admin invites treasurers and LA officers.');
  }
  if (!byAdmin && principal.role !== 'treasurer') {
    throw new DomainError('forbidden', 'Holders and their supporters are invited by their co-op’s treasurer.');
  }
}

/**
 * Invites a person for a role: creates them (or, for someone invited before, finds them) and a single-use sign-up
 * link. The secret is returned once; only its hash is kept. Inviting again is how a forgotten password is reset.
 * Raises `forbidden`, `not-found` (a co-op, LA or member not found or not the treasurer's), `unprocessable` (a field
 * that does not fit the role), `duplicate` (the email belongs to someone else).
 */
export async function createInvitation(context: UseCaseContext, input: NewInvitation) {
  const { database, principal, now } = context;
  requireMayInvite(principal, input);
  const secret = newTokenSecret();
  const created = await database.transaction(async (tx) => {
    const scope = await scopeOf(tx, principal, input);
    const person = await personFor(tx, principal, input, scope);
    if (input.role === 'supporter') await linkSupporter(tx, principal, person.id, input.supports ?? []);
    const id = newId();
    const expiresAt = new Date(now.getTime() + INVITATION_LIFETIME_MS);
    await tx.insert(invitations).values({
      id,
      personId: person.id,
      secretHash: hashToken(secret),
      createdByTokenId: principal.tokenId,
      createdAt: now,
      expiresAt,
    });
    await recordAudit(tx, principal, {
      coopId: scope.coopId ?? principal.coopId,
      action: 'invitation.create',
      targetType: 'person',
      targetId: person.id,
    });
    return {
      id,
      url: `${context.settings.publicUrl}/invitations/${secret}`,
      expiresAt,
      person: { id: person.id, name: person.name, email: person.email, language: person.preferredLanguage },
    };
  });
  return { ...created, emailed: await emailInvitation(context, created) };
}

/**
 * Emails the link when SMTP is configured and the person has an address. A failure is reported, never raised: the
 * invitation stands and the inviter still has the link to pass on.
 */
async function emailInvitation(
  { mailer }: UseCaseContext,
  invitation: { url: string; expiresAt: Date; person: { name: string; email: string | null; language: Language } },
): Promise<boolean> {
  const { person } = invitation;
  if (!mailer || !person.email) return false;
  try {
    await mailer.send(invitationEmail({ ...person, email: person.email }, invitation.url, invitation.expiresAt));
    return true;
  } catch {
    return false;
  }
}

type Scope = { coopId: string | null; memberId: string | null; localAuthorityId: string | null };

async function scopeOf(tx: Tx, principal: Principal, input: NewInvitation): Promise<Scope> {
  const none = { coopId: null, memberId: null, localAuthorityId: null };
  switch (input.role) {
    case 'treasurer':
      if (!input.coopId) throw invalidField('coopId', 'required for a treasurer');
      if (!(await findCoop(tx, input.coopId))) throw notFound('Co-op');
      return { ...none, coopId: input.coopId };
    case 'la_officer':
      if (!input.localAuthorityId) throw invalidField('localAuthorityId', 'required for an LA officer');
      if (!(await findLocalAuthority(tx, input.localAuthorityId))) throw notFound('Local authority');
      return { ...none, localAuthorityId: input.localAuthorityId };
    case 'holder': {
      if (!input.memberId) throw invalidField('memberId', 'required for a holder');
      const coopId = principal.coopId ?? '';
      await requireHolder(tx, coopId, input.memberId, 'memberId');
      return { ...none, coopId, memberId: input.memberId };
    }
    case 'supporter':
      if (!input.supports?.length) throw invalidField('supports', 'name at least one holder this person supports');
      return none;
  }
}

async function requireHolder(tx: Tx, coopId: string, memberId: string, field: string) {
  const [member] = await tx
    .select()
    .from(members)
    .where(and(eq(members.id, memberId), eq(members.coopId, coopId)));
  if (!member) throw notFound('Member');
  if (member.stakeholderClass !== 'holder') throw invalidField(field, 'not a Direct Payment holder');
  return member;
}

/** The person invited: new, or the one already invited for this holder or with this email (a fresh link). */
async function personFor(tx: Tx, principal: Principal, input: NewInvitation, scope: Scope) {
  const email = input.email?.trim() || null;
  const [byEmail] = email
    ? await tx
        .select()
        .from(people)
        .where(eq(sql`lower(${people.email})`, email.toLowerCase()))
    : [];
  const [byMember] = scope.memberId ? await tx.select().from(people).where(eq(people.memberId, scope.memberId)) : [];
  const existing = byMember ?? byEmail;
  if (existing) {
    const sameScope =
      existing.role === input.role &&
      existing.coopId === scope.coopId &&
      existing.memberId === scope.memberId &&
      existing.localAuthorityId === scope.localAuthorityId;
    if (!sameScope || (byEmail && byEmail.id !== existing.id)) {
      throw new DomainError('duplicate', 'This email address already belongs to another person in Cronfa.', {}, [
        { field: 'email', message: 'already used by another person' },
      ]);
    }
    return existing;
  }
  return insertedRow(
    await tx
      .insert(people)
      .values({
        id: newId(),
        name: input.name,
        email,
        role: input.role,
        ...scope,
        preferredLanguage: input.preferredLanguage ?? 'en',
        invitedByTokenId: principal.tokenId,
      })
      .returning(),
  );
}

async function linkSupporter(
  tx: Tx,
  principal: Principal,
  personId: string,
  supports: { memberId: string; access: SupportAccess }[],
): Promise<void> {
  for (const [index, support] of supports.entries()) {
    const coopId = principal.coopId ?? '';
    await requireHolder(tx, coopId, support.memberId, `supports.${index}.memberId`);
    await tx
      .insert(supporterLinks)
      .values({
        id: newId(),
        supporterPersonId: personId,
        coopId,
        memberId: support.memberId,
        access: support.access,
        grantedByTokenId: principal.tokenId,
      })
      .onConflictDoNothing();
  }
}

/** The invitation behind a sign-up link, if it is still open: the person it is for, for the page to greet. */
export async function openInvitation(database: Database, secret: string, now: Date) {
  const [row] = await database.read((db) =>
    db
      .select({ invitation: invitations, person: people })
      .from(invitations)
      .innerJoin(people, eq(people.id, invitations.personId))
      .where(
        and(
          eq(invitations.secretHash, hashToken(secret)),
          isNull(invitations.usedAt),
          isNull(invitations.withdrawnAt),
          gt(invitations.expiresAt, now),
          isNull(people.suspendedAt),
        ),
      ),
  );
  return row;
}

export type AcceptOutcome =
  | { kind: 'signed-in'; secret: string; expiresAt: Date }
  | { kind: 'gone' }
  | {
      kind: 'invalid';
      problems: { field: 'email' | 'password' | 'confirmation'; problem: PasswordProblem | 'email' | 'email-taken' }[];
    };

/**
 * Accepting a sign-up link: the person chooses a password (and gives an email if the inviter had none), the link is
 * used up, any earlier sessions end (the link also resets a forgotten password), and a session starts.
 */
export async function acceptInvitation(
  database: Database,
  secret: string,
  answers: { email?: string | undefined; password: string; confirmation: string },
  now: Date,
): Promise<AcceptOutcome> {
  const open = await openInvitation(database, secret, now);
  if (!open) return { kind: 'gone' };
  const email = open.person.email ?? answers.email?.trim() ?? '';
  const problems: Extract<AcceptOutcome, { kind: 'invalid' }>['problems'] = [];
  if (!open.person.email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))
    problems.push({ field: 'email', problem: 'email' });
  const problem = passwordProblem(answers.password, answers.confirmation, { email, name: open.person.name });
  if (problem) problems.push({ field: problem === 'mismatch' ? 'confirmation' : 'password', problem });
  if (problems.length) return { kind: 'invalid', problems };
  const passwordHash = await hashPassword(answers.password);
  try {
    return await database.transaction(async (tx) => {
      const used = await tx
        .update(invitations)
        .set({ usedAt: now })
        .where(and(eq(invitations.id, open.invitation.id), isNull(invitations.usedAt)))
        .returning({ id: invitations.id });
      if (used.length === 0) return { kind: 'gone' as const };
      const [person] = await tx
        .update(people)
        .set({ passwordHash, email })
        .where(eq(people.id, open.person.id))
        .returning();
      if (!person) return { kind: 'gone' as const };
      await endSessionsOf(tx, person.id, now);
      return { kind: 'signed-in' as const, ...(await startSession(tx, person, now)) };
    });
  } catch (error) {
    if (error instanceof DomainError && error.code === 'duplicate') {
      return { kind: 'invalid', problems: [{ field: 'email', problem: 'email-taken' }] };
    }
    throw error;
  }
}

/** Pending invitations an admin (all) or a treasurer (their co-op's people and its holders' supporters) can see, newest first. */
export async function listInvitations({ database, principal, now }: UseCaseContext) {
  const rows = await database.read((db) =>
    db
      .select({ invitation: invitations, person: people })
      .from(invitations)
      .innerJoin(people, eq(people.id, invitations.personId))
      .where(
        and(
          isNull(invitations.usedAt),
          isNull(invitations.withdrawnAt),
          gt(invitations.expiresAt, now),
          visibleTo(principal),
        ),
      )
      .orderBy(desc(invitations.createdAt)),
  );
  return rows.map(({ invitation, person }) => ({
    id: invitation.id,
    personId: person.id,
    role: person.role,
    name: person.name,
    email: person.email,
    createdAt: invitation.createdAt.toISOString(),
    expiresAt: invitation.expiresAt.toISOString(),
  }));
}

/** Withdraws a pending invitation (its link stops working). Raises `not-found` if it is not the caller's to withdraw. */
export async function withdrawInvitation({ database, principal, now }: UseCaseContext, invitationId: string) {
  await database.transaction(async (tx) => {
    const [row] = await tx
      .update(invitations)
      .set({ withdrawnAt: now })
      .where(
        and(
          eq(invitations.id, invitationId),
          isNull(invitations.usedAt),
          isNull(invitations.withdrawnAt),
          inArray(invitations.personId, tx.select({ id: people.id }).from(people).where(visibleTo(principal))),
        ),
      )
      .returning();
    if (!row) throw notFound('Invitation');
    await recordAudit(tx, principal, {
      coopId: principal.coopId,
      action: 'invitation.withdraw',
      targetType: 'invitation',
      targetId: invitationId,
    });
  });
}
