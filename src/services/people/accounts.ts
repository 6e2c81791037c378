import { and, asc, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { members, people, supporterLinks } from '../../../db/schema/index';
import type { Principal } from '../../auth/principal';
import { type Database, type Queryable, rowShape, rowsOf } from '../../db/database';
import { notFound } from '../../domain/errors';
import { memberMoney } from '../../domain/ledger';
import { moneyFromDb } from '../../domain/money';
import type { SupportAccess } from '../../domain/vocabulary';
import { recordAudit } from '../audit';
import type { UseCaseContext } from '../context';
import type { SignedIn } from './sessions';
import { endSessionsOf } from './sessions';

/** A holder's account as a signed-in person sees it: the holder, and the principal their pages are read with. */
export interface AccountView {
  holder: { id: string; coopId: string; name: string };
  /** The holder's own principal, carrying the session's token (so what is issued names the session that asked). */
  principal: Principal;
  /** Whose eyes: the holder themselves, or a supporter with this access. */
  viewer: 'holder' | SupportAccess;
}

/**
 * Whether a signed-in person may see this holder's account, and as whom: a holder sees their own; a supporter sees
 * the holders whose live links name them. Anyone else is told the account does not exist.
 */
export async function accountViewFor(
  database: Database,
  signedIn: SignedIn,
  memberId: string,
): Promise<AccountView | null> {
  const { principal } = signedIn;
  if (principal.role === 'holder') {
    // A holder's session is bound to their member and co-op (and only a holder member gets one): nothing to look up.
    if (principal.memberId !== memberId || !principal.coopId) return null;
    return {
      holder: { id: memberId, coopId: principal.coopId, name: signedIn.person.name },
      principal,
      viewer: 'holder',
    };
  }
  if (principal.role !== 'supporter') return null;
  const [link] = await database.read((db) =>
    db
      .select({ access: supporterLinks.access })
      .from(supporterLinks)
      .where(
        and(
          eq(supporterLinks.supporterPersonId, signedIn.person.id),
          eq(supporterLinks.memberId, memberId),
          isNull(supporterLinks.endedAt),
        ),
      ),
  );
  if (!link) return null;
  const holder = await holderOf(database, memberId);
  if (!holder) return null;
  return {
    holder,
    principal: { ...principal, role: 'holder', coopId: holder.coopId, memberId: holder.id },
    viewer: link.access,
  };
}

async function holderOf(database: Database, memberId: string) {
  const [row] = await database.read((db) =>
    db
      .select({ id: members.id, coopId: members.coopId, name: members.name })
      .from(members)
      .where(and(eq(members.id, memberId), eq(members.stakeholderClass, 'holder'))),
  );
  return row;
}

/** The holders a supporter may see, by name. */
export async function holdersSupportedBy(database: Database, personId: string) {
  return database.read((db) =>
    db
      .select({ id: members.id, name: members.name, access: supporterLinks.access })
      .from(supporterLinks)
      .innerJoin(members, eq(members.id, supporterLinks.memberId))
      .where(and(eq(supporterLinks.supporterPersonId, personId), isNull(supporterLinks.endedAt)))
      .orderBy(asc(members.name), asc(members.id)),
  );
}

/** The people who can see a holder's account (their live supporters), for the holder's page. */
export async function supportersOf(db: Queryable, memberId: string) {
  return db
    .select({
      linkId: supporterLinks.id,
      personId: people.id,
      name: people.name,
      access: supporterLinks.access,
      since: supporterLinks.grantedAt,
    })
    .from(supporterLinks)
    .innerJoin(people, eq(people.id, supporterLinks.supporterPersonId))
    .where(and(eq(supporterLinks.memberId, memberId), isNull(supporterLinks.endedAt)))
    .orderBy(asc(people.name), asc(supporterLinks.id));
}

/**
 * Ends a supporter's access to a holder's account (by the holder, or the co-op's treasurer), and every session of
 * that supporter, so the next request they make is refused. Returns the supporter's name for the confirmation.
 * Raises `not-found` if no live link with this id is the holder's.
 */
export async function removeSupporter(
  { database, principal, now }: UseCaseContext,
  memberId: string,
  linkId: string,
): Promise<{ name: string }> {
  return database.transaction(async (tx) => {
    const [ended] = await tx
      .update(supporterLinks)
      .set({ endedAt: now, endedByTokenId: principal.tokenId })
      .where(and(eq(supporterLinks.id, linkId), eq(supporterLinks.memberId, memberId), isNull(supporterLinks.endedAt)))
      .returning();
    if (!ended) throw notFound('Supporter');
    await endSessionsOf(tx, ended.supporterPersonId, now);
    await recordAudit(tx, principal, {
      coopId: ended.coopId,
      action: 'supporter.remove',
      targetType: 'person',
      targetId: ended.supporterPersonId,
    });
    const [person] = await tx.select({ name: people.name }).from(people).where(eq(people.id, ended.supporterPersonId));
    return { name: person?.name ?? '' };
  });
}

/** The name of a supporter whose link to this holder has ended (for the confirmation after removing them). */
export async function endedSupporterName(db: Queryable, memberId: string, linkId: string): Promise<string | null> {
  const [row] = await db
    .select({ name: people.name })
    .from(supporterLinks)
    .innerJoin(people, eq(people.id, supporterLinks.supporterPersonId))
    .where(
      and(eq(supporterLinks.id, linkId), eq(supporterLinks.memberId, memberId), isNotNull(supporterLinks.endedAt)),
    );
  return row?.name ?? null;
}

const LastReceipt = rowShape('the last Direct Payment', {
  memberId: z.string(),
  valueDate: z.string(),
  amount: z.string(),
});

/**
 * The last Direct Payment received that still counts (not reversed), per holder: of one holder, or of every holder of
 * an LA. Amounts are the ledger's (a credit to the holder's funds: negative); `lastReceiptOf` gives member money.
 */
export async function lastReceipts(db: Queryable, of: { memberId: string } | { localAuthorityId: string }) {
  const whose =
    'memberId' in of
      ? sql`a.member_id = ${of.memberId}::uuid`
      : sql`a.local_authority_id = ${of.localAuthorityId}::uuid`;
  return rowsOf(
    LastReceipt,
    await db.execute(sql`
      select distinct on (a.member_id) a.member_id as "memberId", e.value_date::text as "valueDate", p.amount::text as amount
        from accounts a
        join postings p on p.account_id = a.id
        join counted_entries e on e.id = p.entry_id
       where ${whose} and a.kind = 'holder_funds' and e.kind = 'dp_receipt' and not e.reversed
       order by a.member_id, e.value_date desc, e.id desc`),
  );
}

/** The last Direct Payment received for a holder that still counts (not reversed): its date and amount. */
export async function lastReceiptOf(db: Queryable, memberId: string) {
  const [row] = await lastReceipts(db, { memberId });
  return row ? { valueDate: row.valueDate, amount: memberMoney(moneyFromDb(row.amount)) } : null;
}
