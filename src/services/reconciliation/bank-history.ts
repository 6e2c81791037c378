import { and, eq, gte, lte, sql } from 'drizzle-orm';
import { bankLines, bankStatements } from '../../../db/schema/index';
import { formatMoney, moneyFromDb } from '../../domain/money';
import type { UseCaseContext } from '../context';
import { type PageRequest, keyset } from '../pagination';

/** The co-op's imports, oldest first: what each file held, how much was new, how much is matched, and who sent it. */
export async function listBankStatements({ database }: UseCaseContext, coopId: string, page: PageRequest) {
  const keys = keyset(bankStatements.id, page);
  // Written out in full: drizzle leaves a column of the one table in a query unqualified, which inside this
  // subquery would name the bank line's own id.
  const matchedCount = sql<number>`(
    select count(*)::int from bank_lines b join match_bank_lines m on m.bank_line_id = b.id
     where b.statement_id = bank_statements.id)`;
  const rows = await database.read((db) =>
    db
      .select({ statement: bankStatements, matchedCount })
      .from(bankStatements)
      .where(and(eq(bankStatements.coopId, coopId), keys.after))
      .orderBy(keys.orderBy)
      .limit(keys.limit),
  );
  return keys.page(
    rows.map((row) => ({ ...row, id: row.statement.id })),
    ({ statement, matchedCount }) => ({
      id: statement.id,
      format: statement.format,
      layout: statement.layout,
      from: statement.firstDate,
      to: statement.lastDate,
      lineCount: statement.lineCount,
      // What the import stored: every line it read but those the co-op already had.
      importedCount: statement.lineCount - statement.duplicatesSkipped,
      duplicatesSkipped: statement.duplicatesSkipped,
      matchedCount: Number(matchedCount),
      openingBalance: statement.openingBalance === null ? null : formatMoney(moneyFromDb(statement.openingBalance)),
      closingBalance: statement.closingBalance === null ? null : formatMoney(moneyFromDb(statement.closingBalance)),
      importedBy: statement.importedByTokenId,
      importedAt: statement.importedAt.toISOString(),
    }),
  );
}

export interface BankLineFilter {
  statementId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  /** true: only lines in a match; false: only lines in none; undefined: every line. */
  matched?: boolean | undefined;
}

/** Every bank line the co-op has, matched or not, in the order they were stored (oldest import first). */
export async function listBankLines(
  { database }: UseCaseContext,
  coopId: string,
  filter: BankLineFilter,
  page: PageRequest,
) {
  const keys = keyset(bankLines.id, page);
  const matchOf = sql`(select m.match_id from match_bank_lines m where m.bank_line_id = bank_lines.id)`;
  const rows = await database.read((db) =>
    db
      .select({ line: bankLines, matchId: sql<string | null>`${matchOf}` })
      .from(bankLines)
      .where(
        and(
          eq(bankLines.coopId, coopId),
          filter.statementId ? eq(bankLines.statementId, filter.statementId) : undefined,
          filter.from ? gte(bankLines.postedOn, filter.from) : undefined,
          filter.to ? lte(bankLines.postedOn, filter.to) : undefined,
          filter.matched === undefined
            ? undefined
            : filter.matched
              ? sql`${matchOf} is not null`
              : sql`${matchOf} is null`,
          keys.after,
        ),
      )
      .orderBy(keys.orderBy)
      .limit(keys.limit),
  );
  return keys.page(
    rows.map((row) => ({ ...row, id: row.line.id })),
    ({ line, matchId }) => ({
      id: line.id,
      statementId: line.statementId,
      lineNumber: line.lineNumber,
      postedOn: line.postedOn,
      description: line.description,
      amount: formatMoney(moneyFromDb(line.amount)),
      balance: line.runningBalance === null ? null : formatMoney(moneyFromDb(line.runningBalance)),
      bankTransactionId: line.bankTransactionId,
      matchId,
    }),
  );
}
