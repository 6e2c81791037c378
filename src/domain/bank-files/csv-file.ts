import { CsvError, parse } from 'csv-parse/sync';
import { type Money, ZERO } from '../money';
import {
  BANK_TRANSACTION_ID_MAX_CHARS,
  type BankFileLine,
  type ReadBankFile,
  type SkippedLine,
  cleanDescription,
  invalidBankFile,
  parseBankAmount,
  parseBankDate,
} from './bank-file';
import { type AmountColumns, type ColumnRef, type CsvLayout, namedColumnsOf } from './csv-layouts';
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

/** How far down a file its header is looked for: banks write a handful of title and account lines above it. */
export const HEADER_SEARCH_LINES = 20;

/** A parsed CSV record and the file line it ends on (1-based). */
export interface CsvRecord {
  cells: string[];
  lineNumber: number;
}

/**
 * Reads a bank's CSV export with a layout; refuses the whole file, naming the line, at the first thing it cannot
 * read. Lines that are not transactions (blank, a balance brought forward, a total with no date) are left out and
 * listed with the reason.
 */
export function readCsvBankFile(text: string, layout: CsvLayout, openingBalance: Money | null = null): ReadBankFile {
  return readCsvRecords(text, parseCsvRecords(text), layout, openingBalance);
}

export function readCsvRecords(
  text: string,
  records: CsvRecord[],
  layout: CsvLayout,
  openingBalance: Money | null = null,
): ReadBankFile {
  if (records.length === 0) throw invalidBankFile(null, 'the file is empty');
  const headerAt = headerIndexOf(records, layout);
  const header = layout.headerRow ? records[headerAt]! : null;
  const columnOf = columnResolver(header?.cells ?? null, layout);
  const body = records.slice(layout.headerRow ? headerAt + 1 : headerAt);
  if (body.length > LINES_MAX) throw invalidBankFile(null, `it has more than ${LINES_MAX} transactions; split it`);

  const dateOf = dateReader(text, layout, columnOf);
  const description = layout.description.map(columnOf);
  const amountOf = amountReader(layout.amount, columnOf);
  const balance = layout.balance === undefined ? null : columnOf(layout.balance);
  const transactionId = layout.transactionId === undefined ? null : columnOf(layout.transactionId);
  const checkLine = lineChecks(layout, columnOf);
  const skipRow = layout.skipRows && {
    column: columnOf(layout.skipRows.column),
    values: new Set(layout.skipRows.values.map(normalised)),
  };

  const lines: BankFileLine[] = [];
  const skipped: SkippedLine[] = [];
  for (const { cells, lineNumber } of body) {
    const cell = (index: number) => cells[index] ?? '';
    const skip = (reason: string) => skipped.push({ lineNumber, reason });
    try {
      if (cells.every((value) => value === '')) {
        skip('it is blank');
        continue;
      }
      if (skipRow && skipRow.values.has(normalised(cell(skipRow.column)))) {
        skip(`it is "${cell(skipRow.column)}", not a transaction`);
        continue;
      }
      const signed = amountOf(cell);
      const runningBalance = balance === null ? null : parseBankAmount(cell(balance));
      if (signed === null || signed.isZero()) {
        const dated = typeof layout.date === 'object' || cell(columnOf(layout.date)) !== '';
        if (signed !== null || !dated) skip(dated ? 'it moves no money' : 'it has no date and no amount');
        else if (runningBalance !== null) skip('it gives a balance and moves no money');
        else throw new Error('it has no amount');
        continue;
      }
      checkLine(cell);
      lines.push({
        lineNumber,
        postedOn: dateOf(cell),
        description: cleanDescription(description.map(cell).join(' ')),
        amount: signed,
        runningBalance,
        bankTransactionId: transactionId === null ? null : transactionIdOf(cell(transactionId)),
      });
    } catch (error) {
      throw invalidBankFile(lineNumber, (error as Error).message);
    }
  }
  return { ...orderBankFile(lines, { openingBalance }), skipped };
}

export function parseCsvRecords(text: string): CsvRecord[] {
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
      throw invalidBankFile(line, shortParserReason(error));
    }
    throw error;
  }
}

/** The parser's reason without the record it quotes (which can be the whole file). */
function shortParserReason(error: CsvError): string {
  const reason = error.message.split(/[:,] (?:got|at line)|\n/)[0] ?? error.message;
  return reason.length > 120 ? `${reason.slice(0, 120)}…` : reason;
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

/** A header name or cell value as compared: any case, any spacing. */
export const normalised = (text: string) => text.trim().replace(/\s+/g, ' ').toLowerCase();

/**
 * Where the header (or, without one, the first transaction) is: after `skipLines` records when the layout says so,
 * otherwise the first of the opening records that names every column the layout uses (so the title lines a bank
 * writes above it are passed over), otherwise the first record.
 */
export function headerIndexOf(records: readonly CsvRecord[], layout: CsvLayout): number {
  if (layout.skipLines !== undefined) {
    if (layout.skipLines >= records.length)
      throw invalidBankFile(null, `it has no more than ${layout.skipLines} lines to skip`);
    return layout.skipLines;
  }
  if (!layout.headerRow) return 0;
  const wanted = namedColumnsOf(layout).map(normalised);
  const found = records
    .slice(0, HEADER_SEARCH_LINES)
    .findIndex((record) => wanted.every((name) => record.cells.some((cell) => normalised(cell) === name)));
  return Math.max(found, 0);
}

function columnResolver(header: string[] | null, layout: CsvLayout) {
  const names = header?.map(normalised) ?? null;
  return (ref: ColumnRef): number => {
    if (typeof ref === 'number') {
      if (ref < 1) throw invalidBankFile(null, `column ${ref} does not exist`);
      return ref - 1;
    }
    const index = names?.indexOf(normalised(ref)) ?? -1;
    if (index < 0) {
      const expected = layout.name === 'generic' ? '' : ` as the ${layout.name} layout expects`;
      const shown = (header ?? []).slice(0, 20).join(', ').slice(0, 300);
      throw invalidBankFile(1, `there is no column "${ref}"${expected}; the header is: ${shown}`);
    }
    return index;
  };
}

/** Each line's date: from its own column, or the one date the file gives on its title line. */
function dateReader(text: string, layout: CsvLayout, columnOf: (ref: ColumnRef) => number) {
  if (typeof layout.date === 'object') {
    const lineNumber = layout.date.line;
    const line = text.split('\n', lineNumber)[lineNumber - 1] ?? '';
    const date = dateInText(line, layout);
    if (date === null)
      throw invalidBankFile(lineNumber, `there is no date in the form ${layout.dateFormats.join(' or ')} on it`);
    return () => date;
  }
  const column = columnOf(layout.date);
  return (cell: (index: number) => string) => pickDate(cell(column), layout);
}

/** The first date in a line of text ("Statement for 02/11/2026", "Date: 2 Nov 2026"), tried word by word. */
function dateInText(line: string, layout: CsvLayout): string | null {
  const words = line
    .replace(/["',;:]/g, ' ')
    .split(/\s+/)
    .filter((word) => word !== '')
    .slice(0, 50);
  for (let i = 0; i < words.length; i += 1) {
    for (const candidate of [words[i]!, words.slice(i, i + 3).join(' ')]) {
      try {
        return pickDate(candidate, layout);
      } catch {
        // not this word: try the next
      }
    }
  }
  return null;
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

function amountReader(amount: AmountColumns, columnOf: (ref: ColumnRef) => number) {
  if ('signed' in amount) {
    const signed = columnOf(amount.signed);
    return (cell: (index: number) => string) => parseBankAmount(cell(signed));
  }
  if ('paidIn' in amount) {
    const paidIn = columnOf(amount.paidIn);
    const paidOut = columnOf(amount.paidOut);
    return (cell: (index: number) => string) =>
      paidInOut(parseBankAmount(cell(paidIn)), parseBankAmount(cell(paidOut)));
  }
  const unsigned = columnOf(amount.unsigned);
  const direction = columnOf(amount.direction);
  const inValues = new Set(amount.paidInValues.map(normalised));
  const outValues = new Set(amount.paidOutValues.map(normalised));
  return (cell: (index: number) => string) => {
    const value = parseBankAmount(cell(unsigned));
    if (value === null || value.isZero()) return value;
    if (value.isNegative() || /^\s*[-+(]/.test(cell(unsigned)) || /(CR|DR)\s*$/i.test(cell(unsigned)))
      throw new Error(`its amount "${cell(unsigned)}" has a sign of its own and an in/out column too`);
    const way = normalised(cell(direction));
    if (inValues.has(way)) return value;
    if (outValues.has(way)) return value.negated();
    throw new Error(
      `its in/out column says "${cell(direction)}", which is neither ${[...amount.paidInValues, ...amount.paidOutValues].map((v) => `"${v}"`).join(' nor ')}`,
    );
  };
}

/** Paid-out columns are usually positive; a bank that writes them negative means the same thing. */
function paidInOut(paidIn: Money | null, paidOut: Money | null): Money | null {
  if (paidIn === null && paidOut === null) return null;
  if (paidIn !== null && paidOut !== null && !paidIn.isZero() && !paidOut.isZero())
    throw new Error('it has both a paid-in and a paid-out amount');
  return (paidIn ?? ZERO).minus(paidOut?.abs() ?? ZERO);
}

/** The currency and account columns: every line in pounds, and every line of one account. */
function lineChecks(layout: CsvLayout, columnOf: (ref: ColumnRef) => number) {
  const currency = layout.currency === undefined ? null : columnOf(layout.currency);
  const account = layout.account === undefined ? null : columnOf(layout.account);
  let firstAccount: string | null = null;
  return (cell: (index: number) => string) => {
    const code = currency === null ? '' : cell(currency).trim().toUpperCase();
    if (code !== '' && code !== 'GBP' && code !== '£')
      throw new Error(
        `it is in ${code.slice(0, 10)}, not GBP; only pounds can be imported: export the GBP account alone`,
      );
    if (account === null) return;
    const name = cell(account).trim();
    if (name === '') return;
    firstAccount ??= name;
    if (name !== firstAccount)
      throw new Error(
        `it is for account ${masked(name)}, but the lines before it are for ${masked(firstAccount)}; export one account at a time`,
      );
  };
}

/** An account number shown by its last four digits only. */
export function masked(account: string): string {
  const digits = account.replace(/\D/g, '');
  return digits.length >= 4 ? `ending ${digits.slice(-4)}` : `"${account.slice(0, 20)}"`;
}

function transactionIdOf(text: string): string | null {
  if (text === '') return null;
  if (text.length > BANK_TRANSACTION_ID_MAX_CHARS) {
    throw new Error(`its transaction id is longer than ${BANK_TRANSACTION_ID_MAX_CHARS} characters`);
  }
  return text;
}
