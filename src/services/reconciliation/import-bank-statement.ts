import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { bankStatements } from '../../../db/schema/index';
import { type Tx, rowShape, rowsOf } from '../../db/database';
import { newId } from '../../db/ids';
import type { CsvLayout } from '../../domain/bank-files/csv-layouts';
import { invalidBankFile } from '../../domain/bank-files/bank-file';
import { DomainError } from '../../domain/errors';
import { type Money, formatMoney } from '../../domain/money';
import type { BankFileRows, BankLineChunk, ReadBankFileTask } from '../../workers/read-bank-file';
import type { ReconciliationWorkers } from '../../workers/reconciliation-workers';
import { WorkerLimitError } from '../../workers/worker-pool';
import { recordAudit } from '../audit';
import { type MoneyWrite, runMoneyWrite } from '../money-writes';
import { lockReconciliation } from './locks';
import { yieldToEventLoop } from '../yield';

/** A bank file to import or preview; a CSV without a layout is recognised from its header. */
export type BankImportRequest =
  | { format: 'ofx'; bytes: Buffer }
  | { format: 'csv'; bytes: Buffer; layout: CsvLayout | null; openingBalance: Money | null };

const ROWS_PER_STATEMENT = 5000;

/**
 * Imports a bank export. The file is read whole, on a bank-file thread, before anything is written, so a malformed
 * file imports nothing; the lines are then written in one transaction, a chunk per statement. Lines already
 * imported from an overlapping export are skipped by their dedupe key and counted.
 */
export async function importBankStatement(
  write: MoneyWrite,
  request: BankImportRequest,
  workers: ReconciliationWorkers,
) {
  const file = await readBankFile(workers, request);
  return runMoneyWrite(write, async (tx) => {
    await lockReconciliation(tx, write.coopId);
    await refuseSameFileTwice(tx, write.coopId, file.fileSha256);
    const known = await knownLineCounts(tx, write.coopId, file.chunks);
    const duplicatesSkipped = known.reduce((total, n) => total + n, 0);
    const id = newId();
    const statement = {
      id,
      format: request.format,
      layout: file.layout,
      lineCount: file.lineCount,
      duplicatesSkipped,
      from: file.from,
      to: file.to,
      openingBalance: file.openingBalance,
      closingBalance: file.closingBalance,
    };
    await tx.insert(bankStatements).values({
      id,
      coopId: write.coopId,
      format: statement.format,
      layout: statement.layout,
      fileSha256: file.fileSha256,
      lineCount: statement.lineCount,
      duplicatesSkipped: statement.duplicatesSkipped,
      firstDate: statement.from,
      lastDate: statement.to,
      openingBalance: statement.openingBalance,
      closingBalance: statement.closingBalance,
      importedByTokenId: write.principal.tokenId,
    });
    for (const [i, chunk] of file.chunks.entries()) {
      if (known[i] === chunk.size) continue;
      await insertLines(tx, write.coopId, id, chunk, known[i]! > 0);
      await yieldToEventLoop();
    }
    await recordAudit(tx, write.principal, {
      coopId: write.coopId,
      action: 'bank_statement.import',
      targetType: 'bank_statement',
      targetId: id,
    });
    return {
      ...statement,
      importedCount: file.lineCount - duplicatesSkipped,
      encoding: file.encoding,
      skippedCount: file.skippedCount,
      skipped: file.skipped,
    };
  });
}

/**
 * How Cronfa reads a file, storing nothing: the layout it took, the first lines as read, the lines it would leave
 * out, and the problem that would refuse it (null when it would import).
 */
export async function previewBankStatement(request: BankImportRequest, workers: ReconciliationWorkers) {
  try {
    const file = await readBankFile(workers, request);
    return {
      format: request.format,
      layout: file.layout,
      encoding: file.encoding,
      lineCount: file.lineCount,
      from: file.from,
      to: file.to,
      openingBalance: file.openingBalance,
      closingBalance: file.closingBalance,
      lines: file.firstLines,
      skippedCount: file.skippedCount,
      skipped: file.skipped,
      problem: null,
    };
  } catch (error) {
    if (!(error instanceof DomainError) || error.code !== 'invalid-bank-file') throw error;
    const line = typeof error.extra['line'] === 'number' ? error.extra['line'] : null;
    const reason = typeof error.extra['reason'] === 'string' ? error.extra['reason'] : error.detail;
    return { format: request.format, problem: { line, reason, detail: error.detail } };
  }
}

const SameFileRow = rowShape('same bank file', { id: z.string() });

/** The same bytes twice are one export uploaded twice, whatever mapping came with them: refused, naming the first. */
async function refuseSameFileTwice(tx: Tx, coopId: string, fileSha256: string): Promise<void> {
  const [earlier] = rowsOf(
    SameFileRow,
    await tx.execute(sql`
      select id::text from bank_statements where coop_id = ${coopId}::uuid and file_sha256 = ${fileSha256}
       order by imported_at limit 1`),
  );
  if (earlier)
    throw new DomainError('duplicate', 'This file has already been imported; nothing was imported again.', {
      statementId: earlier.id,
    });
}

/** The file read on a bank-file thread; a refusal there, or a file over the thread's limits, is a 422. */
async function readBankFile(workers: ReconciliationWorkers, request: BankImportRequest): Promise<BankFileRows> {
  const task: ReadBankFileTask =
    request.format === 'ofx'
      ? { format: 'ofx', bytes: request.bytes, rowsPerChunk: ROWS_PER_STATEMENT }
      : {
          format: 'csv',
          layout: request.layout,
          openingBalance: request.openingBalance ? formatMoney(request.openingBalance) : null,
          bytes: request.bytes,
          rowsPerChunk: ROWS_PER_STATEMENT,
        };
  try {
    const result = await workers.readBankFile(task);
    if ('refused' in result) throw new DomainError(result.refused.code, result.refused.detail, result.refused.extra);
    return result.rows;
  } catch (error) {
    if (error instanceof WorkerLimitError) throw overLimit(error);
    throw error;
  }
}

function overLimit(error: WorkerLimitError): DomainError {
  const reason =
    error.limit === 'time'
      ? `reading it took longer than the ${error.timeoutMs / 1000} s a bank file may take`
      : `reading it needed more than the ${error.memoryMb} MB of memory a bank file may use`;
  const refusal = invalidBankFile(null, `${reason}; export fewer months at a time`);
  return new DomainError(refusal.code, refusal.detail, {
    ...refusal.extra,
    limit: error.limit,
    ...(error.limit === 'time' ? { timeoutMs: error.timeoutMs } : { memoryMb: error.memoryMb }),
  });
}

const KnownRow = rowShape('known bank lines', { known: z.number().int() });

/** For each chunk, how many of its lines the co-op already has: a query per chunk, each with the chunk's keys. */
async function knownLineCounts(tx: Tx, coopId: string, chunks: readonly BankLineChunk[]): Promise<number[]> {
  const counts: number[] = [];
  for (const chunk of chunks) {
    const [row] = rowsOf(
      KnownRow,
      await tx.execute(sql`
        select count(*)::int as known from bank_lines
         where coop_id = ${coopId}::uuid and dedupe_key in (select jsonb_array_elements_text(${chunk.keys}::jsonb))`),
    );
    counts.push(row!.known);
    if (chunks.length > 1) await yieldToEventLoop();
  }
  return counts;
}

/** Writes a chunk's lines; with `skipKnown`, only those whose dedupe key the co-op does not have yet. */
async function insertLines(tx: Tx, coopId: string, statementId: string, chunk: BankLineChunk, skipKnown: boolean) {
  const fresh = skipKnown
    ? sql`where not exists (select 1 from bank_lines b where b.coop_id = ${coopId}::uuid and b.dedupe_key = r.dedupe_key)`
    : sql``;
  await tx.execute(sql`
    insert into bank_lines (id, coop_id, statement_id, line_number, posted_on, description, amount, running_balance, bank_transaction_id, dedupe_key)
    select r.id, ${coopId}::uuid, ${statementId}::uuid, r.line_number, r.posted_on, r.description, r.amount, r.running_balance, r.bank_transaction_id, r.dedupe_key
      from jsonb_to_recordset(${chunk.rows}::jsonb)
        as r(id uuid, line_number integer, posted_on date, description text, amount numeric, running_balance numeric, bank_transaction_id text, dedupe_key text)
     ${fresh}`);
}
