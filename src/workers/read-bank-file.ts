import { createHash } from 'node:crypto';
import { newId } from '../db/ids';
import type { ReadBankFile, SkippedLine } from '../domain/bank-files/bank-file';
import { parseCsvRecords, readCsvRecords } from '../domain/bank-files/csv-file';
import { detectCsvPreset } from '../domain/bank-files/csv-detect';
import type { CsvLayout } from '../domain/bank-files/csv-layouts';
import { type BankFileEncoding, decodeBankFileWithEncoding, refuseNotText } from '../domain/bank-files/decode';
import { readOfxBankFile } from '../domain/bank-files/ofx-file';
import { dedupeKeysOf } from '../domain/bank-files/statement-order';
import { DomainError, type ErrorCode } from '../domain/errors';
import { formatMoney, parseMoney } from '../domain/money';

/**
 * An uploaded bank file as sent to a thread: plain data (money as two-decimal text), so it can be posted there. A
 * CSV without a layout is recognised from its header.
 */
export type ReadBankFileTask = (
  | { format: 'ofx' }
  | { format: 'csv'; layout: CsvLayout | null; openingBalance: string | null }
) & { bytes: Uint8Array; rowsPerChunk: number };

/** How many lines a preview shows. */
const PREVIEW_LINES = 10;
/** The most skipped lines an answer lists (all are counted). */
const SKIPPED_SHOWN_MAX = 50;

/**
 * A file read and ready to store: the statement's figures and its lines oldest first, in chunks of at most
 * `rowsPerChunk`. Each chunk is JSON text, ready to be a query's one parameter, so the serving thread handles a
 * few strings rather than hundreds of thousands of objects: `keys` the lines' dedupe keys, `rows` the lines as
 * bank_lines rows (snake_case, money as text) with their new ids.
 */
export interface BankFileRows {
  fileSha256: string;
  /** The layout the file was read with: the preset named or recognised, `generic`, or `ofx`. */
  layout: string;
  encoding: BankFileEncoding;
  skippedCount: number;
  skipped: SkippedLine[];
  /** The first lines as read, oldest first, for a preview. */
  firstLines: { lineNumber: number; postedOn: string; amount: string; description: string; balance: string | null }[];
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
  let file: ReadBankFile;
  let layout = 'ofx';
  let encoding: BankFileEncoding = 'utf-8';
  try {
    refuseNotText(task.bytes);
    const decoded = decodeBankFileWithEncoding(task.bytes);
    encoding = decoded.encoding;
    if (task.format === 'ofx') {
      // `await` whether the OFX reader answers now or later.
      file = { ...(await readOfxBankFile(decoded.text)), skipped: [] };
    } else {
      const records = parseCsvRecords(decoded.text);
      const csvLayout = task.layout ?? detectCsvPreset(records).layout;
      layout = csvLayout.name;
      const opening = task.openingBalance === null ? null : parseMoney(task.openingBalance);
      file = readCsvRecords(decoded.text, records, csvLayout, opening);
    }
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
      layout,
      encoding,
      skippedCount: file.skipped.length,
      skipped: file.skipped.slice(0, SKIPPED_SHOWN_MAX),
      firstLines: file.lines.slice(0, PREVIEW_LINES).map((line) => ({
        lineNumber: line.lineNumber,
        postedOn: line.postedOn,
        amount: formatMoney(line.amount),
        description: line.description,
        balance: line.runningBalance ? formatMoney(line.runningBalance) : null,
      })),
      lineCount: file.lines.length,
      from: file.lines[0]!.postedOn,
      to: file.lines[file.lines.length - 1]!.postedOn,
      openingBalance: file.openingBalance ? formatMoney(file.openingBalance) : null,
      closingBalance: file.closingBalance ? formatMoney(file.closingBalance) : null,
      chunks,
    },
  };
}
