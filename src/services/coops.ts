import { insertedRow } from '../db/database';
import { and, eq } from 'drizzle-orm';
import { accounts, coops } from '../../db/schema/index';
import { newId } from '../db/ids';
import { BANK_CODE } from '../domain/account-codes';
import { notFound } from '../domain/errors';
import { recordAudit } from './audit';
import type { UseCaseContext } from './context';

export interface NewCoop {
  name: string;
  nameCy?: string | undefined;
  registrationNumber?: string | undefined;
}

type CoopRow = typeof coops.$inferSelect;

function coopView(row: CoopRow, bankAccountId: string) {
  return {
    id: row.id,
    name: row.name,
    nameCy: row.nameCy,
    registrationNumber: row.registrationNumber,
    bankAccountId,
    createdAt: row.createdAt.toISOString(),
  };
}

/** Creates the co-op and its bank account together. */
export async function createCoop({ database, principal }: UseCaseContext, input: NewCoop) {
  return database.transaction(async (tx) => {
    const row = insertedRow(
      await tx
        .insert(coops)
        .values({
          id: newId(),
          name: input.name,
          nameCy: input.nameCy ?? null,
          registrationNumber: input.registrationNumber ?? null,
        })
        .returning(),
    );
    const bankAccountId = newId();
    await tx
      .insert(accounts)
      .values({ id: bankAccountId, coopId: row.id, code: BANK_CODE, name: 'Co-op bank account', kind: 'bank' });
    await recordAudit(tx, principal, { coopId: row.id, action: 'coop.create', targetType: 'coop', targetId: row.id });
    return coopView(row, bankAccountId);
  });
}

export async function getCoop({ database }: UseCaseContext, coopId: string) {
  const [found] = await database.read((db) =>
    db
      .select({ coop: coops, bankAccountId: accounts.id })
      .from(coops)
      .innerJoin(accounts, and(eq(accounts.coopId, coops.id), eq(accounts.kind, 'bank')))
      .where(eq(coops.id, coopId))
      .limit(1),
  );
  if (!found) throw notFound('Co-op');
  return coopView(found.coop, found.bankAccountId);
}
