import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/database';

/**
 * Per-co-op transaction locks. Reconciliation work (imports, matching, closing) runs one at a time per co-op so its
 * counts are exact. The period lock is taken shared by every entry and match change (in the database's own
 * triggers) and exclusively by a close, so nothing can slip into a period while it is being closed.
 */
export async function lockReconciliation(tx: Tx, coopId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(7306, hashtext(${coopId}::text))`);
}

export async function lockPeriodsExclusively(tx: Tx, coopId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(7305, hashtext(${coopId}::text))`);
}
