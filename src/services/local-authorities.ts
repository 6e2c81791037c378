import { asc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { localAuthorities } from '../../db/schema/index';
import { type Queryable, rowShape, rowsOf, insertedRow } from '../db/database';
import { newId } from '../db/ids';
import { notFound } from '../domain/errors';
import { recordAudit } from './audit';
import type { UseCaseContext } from './context';
import { findLocalAuthority } from './lookups';
import { reconciledThroughOf } from './reconciliation/queries';

export interface NewLocalAuthority {
  name: string;
  nameCy: string;
  code: string;
  surplusThresholdWeeks: number;
}

type LocalAuthorityRow = typeof localAuthorities.$inferSelect;

export function localAuthorityView(row: LocalAuthorityRow) {
  return {
    id: row.id,
    name: row.name,
    nameCy: row.nameCy,
    code: row.code,
    surplusThresholdWeeks: row.surplusThresholdWeeks,
    createdAt: row.createdAt.toISOString(),
  };
}

/** Raises: `duplicate` (409) when the code is taken. */
export async function createLocalAuthority({ database, principal }: UseCaseContext, input: NewLocalAuthority) {
  return database.transaction(async (tx) => {
    const row = insertedRow(
      await tx
        .insert(localAuthorities)
        .values({ id: newId(), ...input })
        .returning(),
    );
    await recordAudit(tx, principal, {
      coopId: null,
      action: 'local_authority.create',
      targetType: 'local_authority',
      targetId: row.id,
    });
    return localAuthorityView(row);
  });
}

/** Admins see every LA; an officer sees only their own. */
export async function listLocalAuthorities({ database, principal }: UseCaseContext) {
  const rows = await database.read((db) =>
    db
      .select()
      .from(localAuthorities)
      .where(principal.role === 'la_officer' ? eq(localAuthorities.id, principal.localAuthorityId ?? '') : undefined)
      .orderBy(asc(localAuthorities.code)),
  );
  return { items: rows.map(localAuthorityView), nextCursor: null };
}

export async function getLocalAuthority({ database }: UseCaseContext, laId: string) {
  const [row] = await database.read((db) => db.select().from(localAuthorities).where(eq(localAuthorities.id, laId)));
  if (!row) throw notFound('Local authority');
  return localAuthorityView(row);
}

/**
 * The co-ops where the LA has holders, for its officer: how they find the co-ops to ask statements of (a co-op itself
 * is not theirs to read). Raises `not-found`.
 */
export async function listCoopsOfLocalAuthority({ database }: UseCaseContext, laId: string) {
  const coops = await database.read(async (db) => {
    if (!(await findLocalAuthority(db, laId))) throw notFound('Local authority');
    return coopsOfLocalAuthority(db, laId);
  });
  return { items: coops, nextCursor: null };
}

/**
 * The co-ops where the LA has holders (just the one, if `coopId` is given and has some), with their holder counts
 * and how far each one's bank is reconciled (the latest close that was not forced), in name order.
 */
export async function coopsOfLocalAuthority(db: Queryable, laId: string, coopId: string | null = null) {
  const coops = rowsOf(
    rowShape('co-op of a local authority', {
      id: z.string(),
      name: z.string(),
      nameCy: z.string().nullable(),
      holderCount: z.number().int(),
    }),
    await db.execute(sql`
      select c.id, c.name, c.name_cy as "nameCy", count(m.id)::int as "holderCount"
        from coops c join members m on m.coop_id = c.id
       where m.local_authority_id = ${laId}::uuid and m.stakeholder_class = 'holder'
             ${coopId === null ? sql`` : sql`and c.id = ${coopId}::uuid`}
       group by c.id
       order by c.name, c.id`),
  );
  const reconciled: (string | null)[] = [];
  for (const coop of coops) reconciled.push(await reconciledThroughOf(db, coop.id));
  return coops.map((coop, i) => ({
    ...coop,
    holderCount: Number(coop.holderCount),
    reconciledThrough: reconciled[i]!,
  }));
}
