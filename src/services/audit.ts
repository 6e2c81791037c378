import type { UseCaseContext } from './context';
import { and, eq, sql } from 'drizzle-orm';
import { auditLog } from '../../db/schema/index';
import type { Tx } from '../db/database';
import { newId } from '../db/ids';
import type { Principal } from '../auth/principal';
import type { PageRequest } from './pagination';
import { keyset } from './pagination';

export interface AuditRecord {
  coopId: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
}

/** Records a write in the same transaction as the write itself: IDs only, never names or amounts. */
export async function recordAudit(tx: Tx, principal: Principal, record: AuditRecord): Promise<void> {
  await tx.insert(auditLog).values({ id: newId(), actorTokenId: principal.tokenId, ...record });
}

export interface AuditQuery extends PageRequest {
  coopId: string;
  from?: string;
  to?: string;
}

/** The co-op's audit trail, oldest first, a page at a time (treasurers only: the route's access rule says so). */
export async function listAudit({ database }: UseCaseContext, query: AuditQuery) {
  const keys = keyset(auditLog.id, query);
  const rows = await database.read((db) =>
    db
      .select()
      .from(auditLog)
      .where(
        and(
          eq(auditLog.coopId, query.coopId),
          // Days are compared in SQL: the day after 9999-12-31 is a date PostgreSQL has and JavaScript cannot write.
          query.from ? sql`${auditLog.at} >= (${query.from}::date)::timestamp at time zone 'UTC'` : undefined,
          query.to ? sql`${auditLog.at} < (${query.to}::date + 1)::timestamp at time zone 'UTC'` : undefined,
          keys.after,
        ),
      )
      .orderBy(keys.orderBy)
      .limit(keys.limit),
  );
  return keys.page(rows, (row) => ({
    id: row.id,
    at: row.at.toISOString(),
    actorTokenId: row.actorTokenId,
    action: row.action,
    targetType: row.targetType,
    targetId: row.targetId,
  }));
}
