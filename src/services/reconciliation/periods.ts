import { asc, eq } from 'drizzle-orm';
import { periodCloses } from '../../../db/schema/index';
import { newId } from '../../db/ids';
import { DomainError } from '../../domain/errors';
import { formatMoney } from '../../domain/money';
import { recordAudit } from '../audit';
import type { UseCaseContext } from '../context';
import { type MoneyWrite, assertNotFuture, runMoneyWrite } from '../money-writes';
import { lockPeriodsExclusively } from './locks';
import { closedThroughOf } from './queries';
import { balancesAt } from './summary';

export interface CloseInput {
  through: string;
  force: boolean;
  reason?: string | undefined;
}

/**
 * Closes the books through a date: from then on the database refuses any entry, reversal or match change dated on
 * or before it. The ledger must agree with the bank at that date, unless the treasurer forces the close with a
 * reason (recorded and audited). Waits for postings in flight, so none can land inside the period after the check.
 */
export function closePeriod(write: MoneyWrite, input: CloseInput) {
  assertNotFuture(input.through, write.today, 'through');
  return runMoneyWrite(write, async (tx) => {
    await lockPeriodsExclusively(tx, write.coopId);
    const closedThrough = await closedThroughOf(tx, write.coopId);
    if (closedThrough !== null && input.through <= closedThrough) {
      throw new DomainError(
        'invalid-state',
        `The books are already closed through ${closedThrough}; a close must be later.`,
        { closedThrough },
      );
    }
    const { ledgerBankBalance, statementBalance } = await balancesAt(tx, write.coopId, input.through);
    const difference = statementBalance ? ledgerBankBalance.minus(statementBalance) : null;
    const figures = {
      ledgerBankBalance: formatMoney(ledgerBankBalance),
      statementBalance: statementBalance ? formatMoney(statementBalance) : null,
      difference: difference ? formatMoney(difference) : null,
    };
    if (!input.force && (difference === null || !difference.isZero())) {
      const why =
        difference === null
          ? 'no imported bank statement gives the balance'
          : `the ledger says ${figures.ledgerBankBalance} and the bank says ${figures.statementBalance}, a difference of ${figures.difference}`;
      throw new DomainError(
        'not-reconciled',
        `The bank is not reconciled at ${input.through}: ${why}. Match or book what is unmatched, or force the close with a reason.`,
        figures,
      );
    }
    const id = newId();
    const [row] = await tx
      .insert(periodCloses)
      .values({
        id,
        coopId: write.coopId,
        through: input.through,
        ...figures,
        forced: input.force,
        reason: input.force ? (input.reason ?? null) : null,
        closedByTokenId: write.principal.tokenId,
      })
      .returning();
    await recordAudit(tx, write.principal, {
      coopId: write.coopId,
      action: input.force ? 'period.close_forced' : 'period.close',
      targetType: 'period_close',
      targetId: id,
    });
    return periodView(row!);
  });
}

export function listPeriods({ database }: UseCaseContext, coopId: string) {
  return database.read(async (db) => {
    const rows = await db
      .select()
      .from(periodCloses)
      .where(eq(periodCloses.coopId, coopId))
      .orderBy(asc(periodCloses.through));
    return { items: rows.map(periodView) };
  });
}

function periodView(row: typeof periodCloses.$inferSelect) {
  return {
    id: row.id,
    through: row.through,
    ledgerBankBalance: row.ledgerBankBalance,
    statementBalance: row.statementBalance,
    difference: row.difference,
    forced: row.forced,
    reason: row.reason,
    closedBy: row.closedByTokenId,
    closedAt: row.closedAt.toISOString(),
  };
}
