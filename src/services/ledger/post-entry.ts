import { asc, inArray, sql } from 'drizzle-orm';
import { accounts } from '../../../db/schema/index';
import type { Tx } from '../../db/database';
import { newId } from '../../db/ids';
import { DomainError, InvariantError } from '../../domain/errors';
import { type AccountKind, type EntryDraft, assertBalanced, findShortfalls } from '../../domain/ledger';
import { formatMoney, moneyFromDb } from '../../domain/money';

export interface PostingContext {
  coopId: string;
  actorTokenId: string;
  idempotencyKey: string | null;
  /** The audit record written with the entry; its target is the entry unless another is named. */
  audit: { action: string; targetType?: string; targetId?: string };
}

/**
 * The one way money moves. Locks every account the entry touches in id order (so concurrent entries never
 * deadlock), refuses the whole entry if any member's money would go below zero, then writes the entry, its
 * postings and the audit record in one statement; triggers keep cached balances and the database re-checks
 * balance and non-negativity.
 *
 * Raises: `insufficient-funds` (422) listing each short account.
 */
export async function postEntry(tx: Tx, context: PostingContext, draft: EntryDraft): Promise<string> {
  assertBalanced(draft.postings);
  const accountIds = [...new Set(draft.postings.map((p) => p.accountId))].sort();
  const locked = await tx
    .select({
      id: accounts.id,
      coopId: accounts.coopId,
      kind: accounts.kind,
      memberId: accounts.memberId,
      balance: accounts.balance,
    })
    .from(accounts)
    .where(inArray(accounts.id, accountIds))
    .orderBy(asc(accounts.id))
    .for('update');
  if (locked.length !== accountIds.length || locked.some((a) => a.coopId !== context.coopId)) {
    throw new InvariantError('an entry names an account outside its co-op');
  }
  const shortfalls = findShortfalls(
    locked.map((a) => ({
      id: a.id,
      kind: a.kind as AccountKind,
      memberId: a.memberId,
      balance: moneyFromDb(a.balance),
    })),
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
  // A closed period, or a balance past NUMERIC's range, is refused by the database; the storage boundary says so.
  await tx.execute(insertEntrySql(entryId, context, draft));
  return entryId;
}

/** Entry, postings and audit record as one statement: one round trip on the hottest path of the service. */
function insertEntrySql(entryId: string, context: PostingContext, draft: EntryDraft) {
  const postingRows = draft.postings.map(
    (p) =>
      sql`(${entryId}::uuid, ${p.accountId}::uuid, ${p.memberId}::uuid, ${formatMoney(p.amount)}::numeric, ${p.category ?? null})`,
  );
  const audit = context.audit;
  return sql`
    with entry as (
      insert into journal_entries (id, coop_id, kind, value_date, memo, reference, created_by_token_id, idempotency_key, reverses_entry_id)
      values (${entryId}::uuid, ${context.coopId}::uuid, ${draft.kind}, ${draft.valueDate}::date, ${draft.memo}, ${draft.reference ?? null},
              ${context.actorTokenId}::uuid, ${context.idempotencyKey}, ${draft.reversesEntryId ?? null}::uuid)
    ), audit as (
      insert into audit_log (id, coop_id, actor_token_id, action, target_type, target_id)
      values (${newId()}::uuid, ${context.coopId}::uuid, ${context.actorTokenId}::uuid, ${audit.action},
              ${audit.targetType ?? 'entry'}, ${audit.targetId ?? entryId}::uuid)
    )
    insert into postings (entry_id, account_id, member_id, amount, category)
    values ${sql.join(postingRows, sql`, `)}`;
}
