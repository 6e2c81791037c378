import { insertedRow } from '../db/database';
import { and, eq } from 'drizzle-orm';
import { accounts, members } from '../../db/schema/index';
import { canReadMember } from '../auth/permissions';
import { newId } from '../db/ids';
import { holderFundsCode } from '../domain/account-codes';
import { notFound, invalidInput, invalidField } from '../domain/errors';
import type { Language, StakeholderClass } from '../domain/vocabulary';
import { awardsOf, memberAwards } from './awards';
import { recordAudit } from './audit';
import type { UseCaseContext } from './context';
import { findLocalAuthority } from './lookups';
import { type PageRequest, keyset } from './pagination';

export interface NewMember {
  name: string;
  stakeholderClass: StakeholderClass;
  localAuthorityId?: string | undefined;
  laReference?: string | undefined;
  preferredLanguage: Language;
}

type MemberRow = typeof members.$inferSelect;

function memberView(row: MemberRow, awardRows: Parameters<typeof memberAwards>[0], today: string) {
  return {
    id: row.id,
    coopId: row.coopId,
    name: row.name,
    stakeholderClass: row.stakeholderClass,
    localAuthorityId: row.localAuthorityId,
    laReference: row.laReference,
    preferredLanguage: row.preferredLanguage,
    ...memberAwards(awardRows, today),
    createdAt: row.createdAt.toISOString(),
  };
}

/**
 * Adds a member; a holder also gets their funds account. Holders need their LA and LA reference; other
 * stakeholders have neither.
 * Raises: `unprocessable` (422), `not-found` (404) for an unknown LA, `duplicate` (409) for a reused LA reference.
 */
export async function createMember({ database, principal, today }: UseCaseContext, coopId: string, input: NewMember) {
  const isHolder = input.stakeholderClass === 'holder';
  if (isHolder && (!input.localAuthorityId || !input.laReference)) {
    throw invalidInput(
      [
        ...(input.localAuthorityId ? [] : [{ field: 'localAuthorityId', message: 'required for holders' }]),
        ...(input.laReference ? [] : [{ field: 'laReference', message: 'required for holders' }]),
      ],
      'A holder needs localAuthorityId and laReference.',
    );
  }
  if (!isHolder && (input.localAuthorityId || input.laReference)) {
    throw invalidField(
      input.localAuthorityId ? 'localAuthorityId' : 'laReference',
      'only for holders',
      'Only holders have a local authority and LA reference.',
    );
  }
  return database.transaction(async (tx) => {
    if (input.localAuthorityId && !(await findLocalAuthority(tx, input.localAuthorityId)))
      throw notFound('Local authority');
    const id = newId();
    const row = insertedRow(
      await tx
        .insert(members)
        .values({
          id,
          coopId,
          name: input.name,
          stakeholderClass: input.stakeholderClass,
          localAuthorityId: input.localAuthorityId ?? null,
          laReference: input.laReference ?? null,
          preferredLanguage: input.preferredLanguage,
        })
        .returning(),
    );
    if (isHolder && input.laReference) {
      await tx.insert(accounts).values({
        id: newId(),
        coopId,
        code: holderFundsCode(input.laReference),
        name: `Funds of ${input.laReference}`,
        kind: 'holder_funds',
        memberId: id,
        localAuthorityId: input.localAuthorityId ?? null,
      });
    }
    await recordAudit(tx, principal, { coopId, action: 'member.create', targetType: 'member', targetId: id });
    return memberView(row, [], today);
  });
}

/** Treasurers list the co-op; a holder sees only themselves; an LA officer only their LA's holders. */
export async function listMembers({ database, principal, today }: UseCaseContext, coopId: string, page: PageRequest) {
  return database.read(async (db) => {
    const keys = keyset(members.id, page);
    const rows = await db
      .select()
      .from(members)
      .where(
        and(
          eq(members.coopId, coopId),
          principal.role === 'holder' ? eq(members.id, principal.memberId ?? '') : undefined,
          principal.role === 'la_officer' ? eq(members.localAuthorityId, principal.localAuthorityId ?? '') : undefined,
          keys.after,
        ),
      )
      .orderBy(keys.orderBy)
      .limit(keys.limit);
    const awardRows = await awardsOf(
      db,
      keys.shown(rows).map((r) => r.id),
    );
    return keys.page(rows, (row) => memberView(row, awardRows.get(row.id) ?? [], today));
  });
}

export async function getMember({ database, principal, today }: UseCaseContext, coopId: string, memberId: string) {
  return database.read(async (db) => {
    const [row] = await db
      .select()
      .from(members)
      .where(and(eq(members.id, memberId), eq(members.coopId, coopId)));
    if (!row || !canReadMember(principal, row)) throw notFound('Member');
    return memberView(row, (await awardsOf(db, [row.id])).get(row.id) ?? [], today);
  });
}
