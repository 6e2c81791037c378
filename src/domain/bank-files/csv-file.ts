import { CsvError, parse } from 'csv-parse/sync';
import { type Money, ZERO } from '../money';
import {
  BANK_TRANSACTION_ID_MAX_CHARS,
  type BankFile,
  type BankFileLine,
  cleanDescription,
  invalidBankFile,
  parseBankAmount,
  parseBankDate,
} from './bank-file';
import type { ColumnRef, CsvLayout } from './csv-layouts';
import { orderBankFile } from './statement-order';

/**
 * The most transactions one file may hold: about two years of a busy co-op's bank account. The largest file allowed
 * must read well within a bank-file thread's time and memory limits (src/workers/limits.ts).
 */
export const LINES_MAX = 200_000;

/**
 * A year of a busy co-op's bank lines is a few megabytes; larger uploads are refused with 413. The limit goes with
 * LINES_MAX (200,000 lines of a Lloyds export are about 17 MB): what it allows must read comfortably within a
 * bank-file thread's limits (src/workers/limits.ts).
 */
export const BANK_FILE_LIMIT_BYTES = 20 * 1024 * 1024;

/** Reads a bank's CSV export with a layout; refuses the whole file, naming the line, at the first thing it cannot read. */
export function readCsvBankFile(text: string, layout: CsvLayout, openingBalance: Money | null = null): BankFile {
  const records = parseRecords(text);
  if (records.length === 0) throw invalidBankFile(null, 'the file is empty');
  const header = layout.headerRow ? records[0]! : null;
  const columnOf = columnResolver(header?.cells ?? null, layout);
  const body = layout.headerRow ? records.slice(1) : records;
  if (body.length > LINES_MAX) throw invalidBankFile(null, `it has more than ${LINES_MAX} transactions; split it`);

  const date = columnOf(layout.date);
  const description = layout.description.map(columnOf);
  const amountOf = amountReader(layout.amount, columnOf);
  const balance = layout.balance === undefined ? null : columnOf(layout.balance);
  const transactionId = layout.transactionId === undefined ? null : columnOf(layout.transactionId);

  const lines = body.map(({ cells, lineNumber }): BankFileLine => {
    const cell = (index: number) => cells[index] ?? '';
    try {
      const signed = amountOf(cell);
      if (signed === null) throw new Error('it has no amount');
      if (signed.isZero()) throw new Error('its amount is zero');
      return {
        lineNumber,
        postedOn: pickDate(cell(date), layout),
        description: cleanDescription(description.map(cell).join(' ')),
        amount: signed,
        runningBalance: balance === null ? null : parseBankAmount(cell(balance)),
        bankTransactionId: transactionId === null ? null : transactionIdOf(cell(transactionId)),
      };
    } catch (error) {
      throw invalidBankFile(lineNumber, (error as Error).message);
    }
  });
  return orderBankFile(lines, { openingBalance });
}

interface CsvRecord {
  cells: string[];
  lineNumber: number;
}

function parseRecords(text: string): CsvRecord[] {
  try {
    const parsed = parse(text, {
      bom: true,
      skip_empty_lines: true,
      trim: true,
      info: true,
      relax_column_count: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
    return parsed.map(({ record, info }) => ({ cells: record, lineNumber: info.lines }));
  } catch (error) {
    if (error instanceof CsvError) {
      if (error.code === 'CSV_QUOTE_NOT_CLOSED')
        throw invalidBankFile(unclosedQuoteLine(text), 'a quoted field is never closed');
      const line = (error as CsvError & { lines?: number }).lines ?? null;
      throw invalidBankFile(line, error.message);
    }
    throw error;
  }
}

/** The line where the quoted field left open at the end of the file starts (the parser only knows where it gave up). */
function unclosedQuoteLine(text: string): number {
  let line = 1;
  let openedOn = 1;
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    if (char === '\n') line += 1;
    else if (char === '"') {
      quoted = !quoted;
      if (quoted) openedOn = line;
    }
  }
  return openedOn;
}

function columnResolver(header: string[] | null, layout: CsvLayout) {
  const names = header?.map((name) => name.trim().toLowerCase()) ?? null;
  return (ref: ColumnRef): number => {
    if (typeof ref === 'number') {
      if (ref < 1) throw invalidBankFile(null, `column ${ref} does not exist`);
      return ref - 1;
    }
    const index = names?.indexOf(ref.trim().toLowerCase()) ?? -1;
    if (index < 0) {
      const expected = layout.name === 'generic' ? '' : ` as the ${layout.name} layout expects`;
      throw invalidBankFile(1, `there is no column "${ref}"${expected}; the header is: ${(header ?? []).join(', ')}`);
    }
    return index;
  };
}

function pickDate(text: string, layout: CsvLayout): string {
  let failure: Error | null = null;
  for (const format of layout.dateFormats) {
    try {
      return parseBankDate(text, format);
    } catch (error) {
      failure ??= error as Error;
    }
  }
  throw failure ?? new Error('no date format');
}

function amountReader(amount: CsvLayout['amount'], columnOf: (ref: ColumnRef) => number) {
  if ('signed' in amount) {
    const signed = columnOf(amount.signed);
    return (cell: (index: number) => string) => parseBankAmount(cell(signed));
  }
  const paidIn = columnOf(amount.paidIn);
  const paidOut = columnOf(amount.paidOut);
  return (cell: (index: number) => string) => paidInOut(parseBankAmount(cell(paidIn)), parseBankAmount(cell(paidOut)));
}

/** Paid-out columns are usually positive; a bank that writes them negative means the same thing. */
function paidInOut(paidIn: Money | null, paidOut: Money | null): Money | null {
  if (paidIn === null && paidOut === null) return null;
  if (paidIn !== null && paidOut !== null && !paidIn.isZero() && !paidOut.isZero())
    throw new Error('it has both a paid-in and a paid-out amount');
  return (paidIn ?? ZERO).minus(paidOut?.abs() ?? ZERO);
}

function transactionIdOf(text: string): string | null {
  if (text === '') return null;
  if (text.length > BANK_TRANSACTION_ID_MAX_CHARS) {
    throw new Error(`its transaction id is longer than ${BANK_TRANSACTION_ID_MAX_CHARS} characters`);
  }
  return text;
}
