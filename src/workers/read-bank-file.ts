import { createHash } from 'node:crypto';
import { newId } from '../db/ids';
import type { BankFile } from '../domain/bank-files/bank-file';
import { readCsvBankFile } from '../domain/bank-files/csv-file';
import type { CsvLayout } from '../domain/bank-files/csv-layouts';
import { decodeBankFile } from '../domain/bank-files/decode';
import { readOfxBankFile } from '../domain/bank-files/ofx-file';
import { dedupeKeysOf } from '../domain/bank-files/statement-order';
import { DomainError, type ErrorCode } from '../domain/errors';
import { formatMoney, parseMoney } from '../domain/money';

/** An uploaded bank file as sent to a thread: plain data (money as two-decimal text), so it can be posted there. */
export type ReadBankFileTask = (
  | { format: 'ofx' }
  | { format: 'csv'; layout: CsvLayout; openingBalance: string | null }
) & { bytes: Uint8Array; rowsPerChunk: number };

/**
 * A file read and ready to store: the statement's figures and its lines oldest first, in chunks of at most
 * `rowsPerChunk`. Each chunk is JSON text, ready to be a query's one parameter, so the serving thread handles a
 * few strings rather than hundreds of thousands of objects: `keys` the lines' dedupe keys, `rows` the lines as
 * bank_lines rows (snake_case, money as text) with their new ids.
 */
export interface BankFileRows {
  fileSha256: string;
  lineCount: number;
  from: string;
  to: string;
  openingBalance: string | null;
  closingBalance: string | null;
  chunks: BankLineChunk[];
}

export interface BankLineChunk {
  size: number;
  keys: string;
  rows: string;
}

/** A file the domain refused, as plain data (a DomainError does not survive the trip between threads). */
export interface BankFileRefusal {
  code: ErrorCode;
  detail: string;
  extra: Record<string, unknown>;
}

export type ReadBankFileResult = { rows: BankFileRows } | { refused: BankFileRefusal };

/** Decodes, parses, orders and keys a bank file, as the import would on the serving thread; runs on a thread. */
export async function readBankFileRows(task: ReadBankFileTask): Promise<ReadBankFileResult> {
  let file: BankFile;
  try {
    const text = decodeBankFile(task.bytes);
    // `await` whether the OFX reader answers now or later.
    file =
      task.format === 'ofx'
        ? await readOfxBankFile(text)
        : readCsvBankFile(text, task.layout, task.openingBalance === null ? null : parseMoney(task.openingBalance));
  } catch (error) {
    if (error instanceof DomainError)
      return { refused: { code: error.code, detail: error.detail, extra: error.extra } };
    throw error;
  }
  const keys = dedupeKeysOf(file.lines);
  const chunks: BankLineChunk[] = [];
  for (let start = 0; start < file.lines.length; start += task.rowsPerChunk) {
    const lines = file.lines.slice(start, start + task.rowsPerChunk);
    const chunkKeys = keys.slice(start, start + task.rowsPerChunk);
    const rows = lines.map((line, i) => ({
      id: newId(),
      line_number: line.lineNumber,
      posted_on: line.postedOn,
      description: line.description,
      amount: formatMoney(line.amount),
      running_balance: line.runningBalance ? formatMoney(line.runningBalance) : null,
      bank_transaction_id: line.bankTransactionId,
      dedupe_key: chunkKeys[i]!,
    }));
    chunks.push({ size: lines.length, keys: JSON.stringify(chunkKeys), rows: JSON.stringify(rows) });
  }
  return {
    rows: {
      fileSha256: createHash('sha256').update(task.bytes).digest('hex'),
      lineCount: file.lines.length,
      from: file.lines[0]!.postedOn,
      to: file.lines[file.lines.length - 1]!.postedOn,
      openingBalance: file.openingBalance ? formatMoney(file.openingBalance) : null,
      closingBalance: file.closingBalance ? formatMoney(file.closingBalance) : null,
      chunks,
    },
  };
}
