import { and, eq, isNull } from 'drizzle-orm';
import { accounts, coops, localAuthorities, members, poolMemberships, pools } from '../../db/schema/index';
import type { Queryable } from '../db/database';
import { notFound } from '../domain/errors';

/** Small reads shared by use cases; each returns undefined (find*) or raises not-found (require*). */
export async function findCoop(db: Queryable, coopId: string) {
  const [row] = await db.select().from(coops).where(eq(coops.id, coopId));
  return row;
}

export async function findLocalAuthority(db: Queryable, laId: string) {
  const [row] = await db.select().from(localAuthorities).where(eq(localAuthorities.id, laId));
  return row;
}

export async function requireMember(db: Queryable, coopId: string, memberId: string) {
  const [row] = await db
    .select()
    .from(members)
    .where(and(eq(members.id, memberId), eq(members.coopId, coopId)));
  if (!row) throw notFound('Member');
  return row;
}

export async function requirePool(db: Queryable, coopId: string, poolId: string) {
  const [row] = await db
    .select()
    .from(pools)
    .where(and(eq(pools.id, poolId), eq(pools.coopId, coopId)));
  if (!row) throw notFound('Pool');
  return row;
}

export async function findCurrentMembership(db: Queryable, poolId: string, memberId: string) {
  const [row] = await db
    .select()
    .from(poolMemberships)
    .where(
      and(eq(poolMemberships.poolId, poolId), eq(poolMemberships.memberId, memberId), isNull(poolMemberships.leftAt)),
    );
  return row;
}

export async function requireBankAccountId(db: Queryable, coopId: string): Promise<string> {
  const [row] = await db
    .select({ id: accounts.id })
    .from(accounts)
    .where(and(eq(accounts.coopId, coopId), eq(accounts.kind, 'bank')));
  if (!row) throw notFound('Bank account');
  return row.id;
}

export async function requireHolderFundsAccountId(db: Queryable, memberId: string): Promise<string> {
  const [row] = await db
    .select({ id: accounts.id })
    .from(accounts)
    .where(and(eq(accounts.memberId, memberId), eq(accounts.kind, 'holder_funds')));
  if (!row) throw notFound('Holder funds');
  return row.id;
}

export async function findPoolShareAccountId(
  db: Queryable,
  poolId: string,
  memberId: string,
): Promise<string | undefined> {
  const [row] = await db
    .select({ id: accounts.id })
    .from(accounts)
    .where(and(eq(accounts.poolId, poolId), eq(accounts.memberId, memberId), eq(accounts.kind, 'pool_share')));
  return row?.id;
}

/** Every share account of a pool (members past and present) with the member's name, in member id order. */
export async function poolShareAccounts(db: Queryable, poolId: string) {
  return db
    .select({ accountId: accounts.id, memberId: members.id, name: members.name })
    .from(accounts)
    .innerJoin(members, eq(members.id, accounts.memberId))
    .where(and(eq(accounts.poolId, poolId), eq(accounts.kind, 'pool_share')))
    .orderBy(members.id);
}
