import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { accounts, members, poolMemberships, pools } from '../../db/schema/index';
import { type Queryable, type Tx, rowShape, rowsOf, insertedRow } from '../db/database';
import { newId } from '../db/ids';
import { slugOf, poolShareCode } from '../domain/account-codes';
import { DomainError, notFound, invalidInput } from '../domain/errors';
import { memberMoney, memberMoneyOut } from '../domain/ledger';
import { type Money, formatMoney, moneyFromDb } from '../domain/money';
import { recordAudit } from './audit';
import { holderHasShareIn } from './balances';
import type { UseCaseContext } from './context';
import { postEntry } from './ledger/post-entry';
import {
  findCurrentMembership,
  findPoolShareAccountId,
  requireHolderFundsAccountId,
  requireMember,
  requirePool,
} from './lookups';
import { type MoneyWrite, assertNotFuture, postingContextOf, runMoneyWrite } from './money-writes';
import { type PageRequest, keyset } from './pagination';

export interface NewPool {
  name: string;
  nameCy?: string | undefined;
  purpose: string;
}

export interface AgreedContribution {
  amount: Money;
  frequency: 'weekly' | 'four_weekly' | 'monthly';
}

type PoolRow = typeof pools.$inferSelect;

function poolView(row: PoolRow) {
  return {
    id: row.id,
    coopId: row.coopId,
    code: row.code,
    name: row.name,
    nameCy: row.nameCy,
    purpose: row.purpose,
    createdAt: row.createdAt.toISOString(),
  };
}

/** Raises: `duplicate` (409) when another pool's name gives the same code. */
export async function createPool({ database, principal }: UseCaseContext, coopId: string, input: NewPool) {
  const code = slugOf(input.name);
  return database.transaction(async (tx) => {
    const row = insertedRow(
      await tx
        .insert(pools)
        .values({ id: newId(), coopId, code, name: input.name, nameCy: input.nameCy ?? null, purpose: input.purpose })
        .returning(),
    );
    await recordAudit(tx, principal, { coopId, action: 'pool.create', targetType: 'pool', targetId: row.id });
    return { ...poolView(row), members: [] };
  });
}

/** Treasurers list all pools; a holder only the pools they belong to (without other members). */
export async function listPools({ database, principal }: UseCaseContext, coopId: string, page: PageRequest) {
  return database.read(async (db) => {
    const holderPoolIds =
      principal.role === 'holder'
        ? (
            await db
              .select({ poolId: accounts.poolId })
              .from(accounts)
              .where(and(eq(accounts.memberId, principal.memberId ?? ''), eq(accounts.kind, 'pool_share')))
          ).map((r) => r.poolId ?? '')
        : null;
    if (holderPoolIds && holderPoolIds.length === 0) return { items: [], nextCursor: null };
    const keys = keyset(pools.id, page);
    const rows = await db
      .select()
      .from(pools)
      .where(and(eq(pools.coopId, coopId), holderPoolIds ? inArray(pools.id, holderPoolIds) : undefined, keys.after))
      .orderBy(keys.orderBy)
      .limit(keys.limit);
    return keys.page(rows, poolView);
  });
}

export async function getPool({ database, principal }: UseCaseContext, coopId: string, poolId: string) {
  return database.read(async (db) => {
    const pool = await requirePool(db, coopId, poolId);
    if (principal.role === 'holder') {
      if (!(await holderHasShareIn(db, poolId, principal.memberId ?? ''))) throw notFound('Pool');
      return poolView(pool);
    }
    return { ...poolView(pool), members: await currentMembers(db, poolId) };
  });
}

async function currentMembers(db: Queryable, poolId: string) {
  const rows = await db
    .select({ membership: poolMemberships, name: members.name })
    .from(poolMemberships)
    .innerJoin(members, eq(members.id, poolMemberships.memberId))
    .where(and(eq(poolMemberships.poolId, poolId), isNull(poolMemberships.leftAt)))
    .orderBy(asc(poolMemberships.memberId));
  return rows.map((r) => membershipView(r.membership, r.name));
}

function membershipView(m: typeof poolMemberships.$inferSelect, name: string) {
  return {
    memberId: m.memberId,
    name,
    joinedOn: m.joinedOn,
    leftOn: m.leftOn,
    joinedAt: m.joinedAt.toISOString(),
    agreedContribution:
      m.agreedContributionAmount && m.agreedContributionFrequency
        ? { amount: formatMoney(moneyFromDb(m.agreedContributionAmount)), frequency: m.agreedContributionFrequency }
        : null,
  };
}

export interface JoinRequest {
  memberId: string;
  agreedContribution?: AgreedContribution | undefined;
  /** The day the member joins (default today): contributions before it are refused. */
  joinedOn?: string | undefined;
}

/**
 * A holder joins a pool on a date; their share account is created on first joining and kept if they leave and
 * return. Raises: `not-found`, `unprocessable` (not a holder, a future date, a date before they last left),
 * `duplicate` (409, already a member), `period-closed` (409, a date in a closed period).
 */
export async function joinPool(
  { database, principal, today }: UseCaseContext,
  coopId: string,
  poolId: string,
  join: JoinRequest,
) {
  const { memberId, agreedContribution: agreed } = join;
  const joinedOn = join.joinedOn ?? today;
  assertNotFuture(joinedOn, today, 'joinedOn');
  return database.transaction(async (tx) => {
    const pool = await requirePool(tx, coopId, poolId);
    const member = await requireMember(tx, coopId, memberId);
    if (member.stakeholderClass !== 'holder' || !member.laReference) {
      throw invalidInput({ field: 'memberId', message: 'not a holder' }, 'Only holders hold shares in a pool.');
    }
    if (await findCurrentMembership(tx, poolId, memberId))
      throw new DomainError('duplicate', 'The member is already in this pool.');
    const lastLeftOn = await lastLeftOnOf(tx, poolId, memberId);
    if (lastLeftOn !== null && joinedOn < lastLeftOn) {
      throw invalidInput(
        { field: 'joinedOn', message: `must not be before ${lastLeftOn}` },
        `The member left this pool on ${lastLeftOn}; they can rejoin from then.`,
      );
    }
    if (!(await findPoolShareAccountId(tx, poolId, memberId))) {
      await tx.insert(accounts).values({
        id: newId(),
        coopId,
        code: poolShareCode(pool.code, member.laReference),
        name: `${pool.name}: share of ${member.laReference}`,
        kind: 'pool_share',
        memberId,
        poolId,
        localAuthorityId: member.localAuthorityId,
      });
    }
    const row = insertedRow(
      await tx
        .insert(poolMemberships)
        .values({
          id: newId(),
          coopId,
          poolId,
          memberId,
          joinedOn,
          agreedContributionAmount: agreed ? formatMoney(agreed.amount) : null,
          agreedContributionFrequency: agreed?.frequency ?? null,
        })
        .returning(),
    );
    await recordAudit(tx, principal, { coopId, action: 'pool.member.join', targetType: 'pool', targetId: poolId });
    return { poolId, ...membershipView(row, member.name) };
  });
}

/**
 * The member leaves on a date (default today); whatever share remains goes back to their funds in one entry dated
 * then. Two leaves at once queue on the membership row; the second finds it already ended (404).
 * Raises: `not-found`, `unprocessable` (a date before joining, in the future, or before the share last moved).
 */
export function leavePool(write: MoneyWrite, poolId: string, memberId: string, requestedLeftOn?: string) {
  const leftOn = requestedLeftOn ?? write.today;
  assertNotFuture(leftOn, write.today, 'leftOn');
  return runMoneyWrite(write, async (tx) => {
    await requirePool(tx, write.coopId, poolId);
    const membership = await lockCurrentMembership(tx, poolId, memberId);
    if (!membership) throw notFound('Pool membership');
    if (leftOn < membership.joinedOn) {
      throw invalidInput(
        { field: 'leftOn', message: `must not be before ${membership.joinedOn}` },
        `The member joined this pool on ${membership.joinedOn}.`,
      );
    }
    const shareAccountId = await findPoolShareAccountId(tx, poolId, memberId);
    const fundsAccountId = await requireHolderFundsAccountId(tx, memberId);
    if (!shareAccountId) throw notFound('Pool share');
    const [share] = await tx
      .select({ balance: accounts.balance })
      .from(accounts)
      .where(eq(accounts.id, shareAccountId))
      .for('update');
    const remaining = memberMoney(moneyFromDb(share?.balance));
    const lastMoved = await lastValueDateOf(tx, shareAccountId);
    if (lastMoved !== null && lastMoved > leftOn) {
      throw invalidInput(
        { field: 'leftOn', message: `must not be before ${lastMoved}` },
        `The member's share last moved on ${lastMoved}, after ${leftOn}.`,
      );
    }
    let entryId: string | null = null;
    if (!remaining.isZero()) {
      entryId = await postEntry(
        tx,
        postingContextOf(write, 'pool.member.leave', { targetType: 'pool', targetId: poolId }),
        {
          kind: 'pool_withdrawal',
          valueDate: leftOn,
          memo: 'Left the pool: remaining share returned to funds',
          postings: [
            { accountId: shareAccountId, memberId, amount: memberMoneyOut(remaining) },
            { accountId: fundsAccountId, memberId, amount: memberMoneyOut(remaining).negated() },
          ],
        },
      );
    }
    await tx.update(poolMemberships).set({ leftOn, leftAt: write.now }).where(eq(poolMemberships.id, membership.id));
    if (entryId === null) {
      await recordAudit(tx, write.principal, {
        coopId: write.coopId,
        action: 'pool.member.leave',
        targetType: 'pool',
        targetId: poolId,
      });
    }
    return { poolId, memberId, leftOn, entryId, returned: formatMoney(remaining) };
  });
}

export interface NewContribution {
  memberId: string;
  amount: Money;
  date: string;
  memo?: string | undefined;
}

/**
 * Moves money from a holder's funds into their share of a pool.
 * Raises: `not-found`, `unprocessable` (not in the pool, future date), `insufficient-funds` (422).
 */
export function contributeToPool(write: MoneyWrite, poolId: string, input: NewContribution) {
  assertNotFuture(input.date, write.today, 'date');
  return runMoneyWrite(write, async (tx) => {
    const target = await contributionAccounts(tx, write.coopId, poolId, input.memberId);
    if (!target.shareAccountId || !target.fundsAccountId) {
      throw invalidInput({ field: 'memberId', message: 'not a member of the pool' }, 'The member is not in this pool.');
    }
    if (target.joinedOn !== null && input.date < target.joinedOn) {
      throw invalidInput(
        { field: 'date', message: `must not be before the member joined (${target.joinedOn})` },
        `The member joined this pool on ${target.joinedOn}.`,
      );
    }
    const entryId = await postEntry(tx, postingContextOf(write, 'pool.contribution.create'), {
      kind: 'pool_contribution',
      valueDate: input.date,
      memo: input.memo ?? `Contribution to ${target.poolName}`,
      postings: [
        { accountId: target.fundsAccountId, memberId: input.memberId, amount: input.amount },
        { accountId: target.shareAccountId, memberId: input.memberId, amount: input.amount.negated() },
      ],
    });
    return { entryId, poolId, memberId: input.memberId, amount: formatMoney(input.amount), date: input.date };
  });
}

/**
 * Everything a contribution needs in one query (it is the busiest write): the pool's name, and the member's share
 * and funds accounts when the member is currently in the pool. Raises `not-found` for an unknown pool or member.
 */
async function contributionAccounts(tx: Tx, coopId: string, poolId: string, memberId: string) {
  const rows = rowsOf(
    rowShape('pool membership target', {
      poolName: z.string(),
      memberExists: z.boolean(),
      shareAccountId: z.string().nullable(),
      fundsAccountId: z.string().nullable(),
      joinedOn: z.string().nullable(),
    }),
    await tx.execute(sql`
      select p.name as "poolName",
             exists (select 1 from members m where m.id = ${memberId}::uuid and m.coop_id = p.coop_id) as "memberExists",
             s.id as "shareAccountId", f.id as "fundsAccountId", pm.joined_on::text as "joinedOn"
        from pools p
        left join pool_memberships pm on pm.pool_id = p.id and pm.member_id = ${memberId}::uuid and pm.left_at is null
        left join accounts s on pm.id is not null and s.pool_id = p.id and s.member_id = ${memberId}::uuid and s.kind = 'pool_share'
        left join accounts f on pm.id is not null and f.member_id = ${memberId}::uuid and f.kind = 'holder_funds'
       where p.id = ${poolId}::uuid and p.coop_id = ${coopId}::uuid`),
  );
  const row = rows[0];
  if (!row) throw notFound('Pool');
  if (!row.memberExists) throw notFound('Member');
  return row;
}

/**
 * The member's current membership, locked and read again under the lock: of two leaves at once, the second waits
 * here and then finds no current membership.
 */
async function lockCurrentMembership(tx: Tx, poolId: string, memberId: string) {
  const [row] = await tx
    .select()
    .from(poolMemberships)
    .where(
      and(eq(poolMemberships.poolId, poolId), eq(poolMemberships.memberId, memberId), isNull(poolMemberships.leftAt)),
    )
    .for('update');
  return row;
}

async function lastLeftOnOf(db: Queryable, poolId: string, memberId: string): Promise<string | null> {
  const [row] = rowsOf(
    rowShape('last left on', { leftOn: z.string().nullable() }),
    await db.execute(sql`
      select max(left_on)::text as "leftOn" from pool_memberships
       where pool_id = ${poolId}::uuid and member_id = ${memberId}::uuid`),
  );
  return row?.leftOn ?? null;
}

async function lastValueDateOf(db: Queryable, accountId: string): Promise<string | null> {
  const [row] = rowsOf(
    rowShape('last value date', { valueDate: z.string().nullable() }),
    await db.execute(sql`
      select max(e.value_date)::text as "valueDate" from postings p join journal_entries e on e.id = p.entry_id
       where p.account_id = ${accountId}::uuid`),
  );
  return row?.valueDate ?? null;
}
