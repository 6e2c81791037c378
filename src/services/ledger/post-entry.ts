import { asc, inArray } from 'drizzle-orm';
import { accounts, journalEntries, postings } from '../../../db/schema/index';
import type { Tx } from '../../db/database';
import { newId } from '../../db/ids';
import { DomainError, InvariantError } from '../../domain/errors';
import { type AccountKind, type EntryDraft, assertBalanced, findShortfalls } from '../../domain/ledger';
import { formatMoney, moneyFromDb } from '../../domain/money';

export interface PostingContext {
  coopId: string;
  actorTokenId: string;
  idempotencyKey: string | null;
}

/**
 * The one way money moves. Locks every account the entry touches in id order (so concurrent entries never
 * deadlock), refuses the whole entry if any member's money would go below zero, then writes the entry and its
 * postings; triggers keep cached balances and the database re-checks balance and non-negativity at commit.
 *
 * Raises: `insufficient-funds` (422) listing each short account.
 */
export async function postEntry(tx: Tx, context: PostingContext, draft: EntryDraft): Promise<string> {
  assertBalanced(draft.postings);
  const accountIds = [...new Set(draft.postings.map((p) => p.accountId))].sort();
  const locked = await tx
    .select({ id: accounts.id, coopId: accounts.coopId, kind: accounts.kind, memberId: accounts.memberId, balance: accounts.balance })
    .from(accounts)
    .where(inArray(accounts.id, accountIds))
    .orderBy(asc(accounts.id))
    .for('update');
  if (locked.length !== accountIds.length || locked.some((a) => a.coopId !== context.coopId)) {
    throw new InvariantError('an entry names an account outside its co-op');
  }
  const shortfalls = findShortfalls(
    locked.map((a) => ({ id: a.id, kind: a.kind as AccountKind, memberId: a.memberId, balance: moneyFromDb(a.balance) })),
    draft.postings,
  );
  if (shortfalls.length > 0) {
    throw new DomainError('insufficient-funds', 'Not enough money: nothing was posted.', {
      shortfalls: shortfalls.map((s) => ({
        memberId: s.memberId,
        account: s.kind === 'holder_funds' ? 'funds' : 'pool share',
        available: formatMoney(s.available),
        shortBy: formatMoney(s.shortBy),
      })),
    });
  }
  const entryId = newId();
  await tx.insert(journalEntries).values({
    id: entryId,
    coopId: context.coopId,
    kind: draft.kind,
    valueDate: draft.valueDate,
    memo: draft.memo,
    reference: draft.reference ?? null,
    createdByTokenId: context.actorTokenId,
    idempotencyKey: context.idempotencyKey,
    reversesEntryId: draft.reversesEntryId ?? null,
  });
  await tx.insert(postings).values(
    draft.postings.map((p) => ({ entryId, accountId: p.accountId, memberId: p.memberId, amount: formatMoney(p.amount) })),
  );
  return entryId;
}
