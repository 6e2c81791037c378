import { stringify } from 'csv-stringify/sync';

/**
 * Every CSV Cronfa writes goes through here. A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` (or a
 * tab or carriage return before one) as a formula, so text a treasurer typed (a member named `=HYPERLINK(…)`, a memo
 * `@SUM(…)`) could run in the reader's spreadsheet. As OWASP's CSV-injection guidance says, such a cell is prefixed
 * with a single quote, which makes the spreadsheet show it as text. A plain number (`-12.00`) is left alone, so
 * money columns stay numbers.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;

export function neutralisedCell(cell: string): string {
  if (PLAIN_NUMBER.test(cell)) return cell;
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}

/** A CSV document: a header row, then the rows; every cell neutralised, quoted where CSV needs it. */
export function renderCsv(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return stringify([header.map(neutralisedCell), ...rows.map((row) => row.map(neutralisedCell))]);
}

/** More rows of a CSV document whose header is already written (a long export, a page at a time). */
export function renderCsvRows(rows: readonly (readonly string[])[]): string {
  return rows.length === 0 ? '' : stringify(rows.map((row) => row.map(neutralisedCell)));
}
