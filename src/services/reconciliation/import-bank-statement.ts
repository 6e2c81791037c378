import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { bankStatements } from '../../../db/schema/index';
import { rowsOf } from '../../db/database';
import { newId } from '../../db/ids';
import type { BankFile } from '../../domain/bank-files/bank-file';
import { readCsvBankFile } from '../../domain/bank-files/csv-file';
import type { CsvLayout } from '../../domain/bank-files/csv-layouts';
import { decodeBankFile } from '../../domain/bank-files/decode';
import { readOfxBankFile } from '../../domain/bank-files/ofx-file';
import { dedupeKeysOf } from '../../domain/bank-files/statement-order';
import { type Money, formatMoney } from '../../domain/money';
import { recordAudit } from '../audit';
import { type MoneyWrite, runMoneyWrite } from '../money-writes';
import { lockReconciliation } from './locks';

export type BankImportRequest =
  | { format: 'ofx'; bytes: Buffer }
  | { format: 'csv'; bytes: Buffer; layout: CsvLayout; openingBalance: Money | null };

const ROWS_PER_STATEMENT = 5000;

/**
 * Imports a bank export. The file is read whole before anything is written, so a malformed file imports nothing.
 * Lines already imported from an overlapping export are skipped by their dedupe key and counted.
 */
export async function importBankStatement(write: MoneyWrite, request: BankImportRequest) {
  const text = decodeBankFile(request.bytes);
  const file: BankFile =
    request.format === 'ofx'
      ? await readOfxBankFile(text)
      : readCsvBankFile(text, request.layout, request.openingBalance);
  const keys = dedupeKeysOf(file.lines);
  return runMoneyWrite(write, 201, async (tx) => {
    await lockReconciliation(tx, write.coopId);
    const known = new Set(
      rowsOf<{ key: string }>(
        await tx.execute(sql`
          select dedupe_key as key from bank_lines
           where coop_id = ${write.coopId}::uuid and dedupe_key in (select jsonb_array_elements_text(${JSON.stringify(keys)}::jsonb))`),
      ).map((r) => r.key),
    );
    const id = newId();
    const first = file.lines[0]!;
    const last = file.lines[file.lines.length - 1]!;
    const statement = {
      id,
      format: request.format,
      layout: request.format === 'csv' ? request.layout.name : 'ofx',
      lineCount: file.lines.length,
      duplicatesSkipped: known.size,
      from: first.postedOn,
      to: last.postedOn,
      openingBalance: file.openingBalance ? formatMoney(file.openingBalance) : null,
      closingBalance: file.closingBalance ? formatMoney(file.closingBalance) : null,
    };
    await tx.insert(bankStatements).values({
      id,
      coopId: write.coopId,
      format: statement.format,
      layout: statement.layout,
      fileSha256: createHash('sha256').update(request.bytes).digest('hex'),
      lineCount: statement.lineCount,
      duplicatesSkipped: statement.duplicatesSkipped,
      firstDate: statement.from,
      lastDate: statement.to,
      openingBalance: statement.openingBalance,
      closingBalance: statement.closingBalance,
      importedByTokenId: write.principal.tokenId,
    });
    const fresh = file.lines
      .map((line, i) => ({
        id: newId(),
        line_number: line.lineNumber,
        posted_on: line.postedOn,
        description: line.description,
        amount: formatMoney(line.amount),
        running_balance: line.runningBalance ? formatMoney(line.runningBalance) : null,
        bank_transaction_id: line.bankTransactionId,
        dedupe_key: keys[i]!,
      }))
      .filter((row) => !known.has(row.dedupe_key));
    for (let start = 0; start < fresh.length; start += ROWS_PER_STATEMENT) {
      const chunk = fresh.slice(start, start + ROWS_PER_STATEMENT);
      await tx.execute(sql`
        insert into bank_lines (id, coop_id, statement_id, line_number, posted_on, description, amount, running_balance, bank_transaction_id, dedupe_key)
        select r.id, ${write.coopId}::uuid, ${id}::uuid, r.line_number, r.posted_on, r.description, r.amount, r.running_balance, r.bank_transaction_id, r.dedupe_key
          from jsonb_to_recordset(${JSON.stringify(chunk)}::jsonb)
            as r(id uuid, line_number integer, posted_on date, description text, amount numeric, running_balance numeric, bank_transaction_id text, dedupe_key text)`);
    }
    await recordAudit(tx, write.principal, {
      coopId: write.coopId,
      action: 'bank_statement.import',
      targetType: 'bank_statement',
      targetId: id,
    });
    return { ...statement, importedCount: fresh.length };
  });
}
