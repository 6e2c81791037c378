import { asc, eq } from 'drizzle-orm';
import { localAuthorities } from '../../db/schema/index';
import { newId } from '../db/ids';
import { DomainError, notFound } from '../domain/errors';
import { recordAudit } from './audit';
import type { UseCaseContext } from './context';
import { isUniqueViolation } from '../db/errors';

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
  try {
    return await database.transaction(async (tx) => {
      const [row] = await tx
        .insert(localAuthorities)
        .values({ id: newId(), ...input })
        .returning();
      if (!row) throw new Error('insert returned nothing');
      await recordAudit(tx, principal, {
        coopId: null,
        action: 'local_authority.create',
        targetType: 'local_authority',
        targetId: row.id,
      });
      return localAuthorityView(row);
    });
  } catch (error) {
    if (isUniqueViolation(error))
      throw new DomainError('duplicate', `A local authority with code ${input.code} exists.`);
    throw error;
  }
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
