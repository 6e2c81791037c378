import { DomainError } from '../errors';
import { type Money, parseMoney } from '../money';

/** A transaction as read from a bank export: signed (paid in positive, paid out negative). */
export interface BankFileLine {
  /** Where it is in the file (1-based, counting the header), so a treasurer can find it. */
  lineNumber: number;
  postedOn: string;
  description: string;
  amount: Money;
  runningBalance: Money | null;
  /** The bank's own id for the transaction (OFX FITID or a CSV id column), when it gives one. */
  bankTransactionId: string | null;
}

export interface BankFile {
  /** Oldest first, whatever order the bank wrote them in. */
  lines: BankFileLine[];
  openingBalance: Money | null;
  closingBalance: Money | null;
}

/** A line of the file that is not a transaction (blank, a balance brought forward, a total), and why it was left. */
export interface SkippedLine {
  lineNumber: number;
  reason: string;
}

/** A file as read: its statement, and the lines that were left out, so a treasurer can check none was a payment. */
export interface ReadBankFile extends BankFile {
  skipped: SkippedLine[];
}

const DESCRIPTION_MAX = 500;
/** The longest transaction id a bank file may give (OFX's own limit): a longer one would not fit the dedupe index. */
export const BANK_TRANSACTION_ID_MAX_CHARS = 255;

/** A description as stored: control characters (a stray NUL, tabs) become spaces, runs of spaces collapse. */
export function cleanDescription(text: string): string {
  return text
    .replace(/\p{Cc}/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, DESCRIPTION_MAX);
}

/** A file that cannot be imported: nothing is imported, and the treasurer is told where and why. */
export function invalidBankFile(line: number | null, reason: string): DomainError {
  const where = line === null ? '' : `line ${line}: `;
  return new DomainError('invalid-bank-file', `The bank file was not imported (${where}${reason}).`, { line, reason });
}

/**
 * A bank's amount as money: "£1,234.50", "-12.00", "(12.00)", "12.00 DR" and "12.00 CR" are all understood.
 * Returns null for an empty cell; throws a reason for anything else that is not money to the penny.
 */
export function parseBankAmount(text: string): Money | null {
  let cleaned = text.trim().replace(/[£\s]/g, '').replace(/^GBP/i, '');
  if (cleaned === '') return null;
  const refuse = (): never => {
    throw new Error(`"${text.trim()}" is not an amount in pounds and pence`);
  };
  let signs = 0;
  let negative = false;
  if (/^\(.*\)$/.test(cleaned)) {
    signs += 1;
    negative = true;
    cleaned = cleaned.slice(1, -1);
  }
  const suffix = /^(.*?)(CR|DR)$/i.exec(cleaned);
  if (suffix) {
    signs += 1;
    cleaned = suffix[1] ?? '';
    negative = suffix[2]?.toUpperCase() === 'DR';
  }
  const sign = /^[-+]/.exec(cleaned);
  if (sign) {
    signs += 1;
    negative = sign[0] === '-';
    cleaned = cleaned.slice(1);
  }
  // One way of saying which way the money went, and commas only as thousands separators ("1,234.50", not "12,34").
  if (signs > 1) refuse();
  if (cleaned.includes(',')) {
    if (!/^\d{1,3}(,\d{3})+(\.\d{1,2})?$/.test(cleaned)) refuse();
    cleaned = cleaned.replace(/,/g, '');
  }
  if (!/^\d{1,12}(\.\d{1,2})?$/.test(cleaned)) refuse();
  const amount = parseMoney(cleaned);
  return negative ? amount.negated() : amount;
}

export const DATE_FORMATS = [
  'DD/MM/YYYY',
  'DD-MM-YYYY',
  'DD/MM/YY',
  'YYYY-MM-DD',
  'DD MMM YYYY',
  'MM/DD/YYYY',
  'YYYY/MM/DD',
  'YYYYMMDD',
  'DD.MM.YYYY',
] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * A bank's date as YYYY-MM-DD, refusing dates that do not exist (31/02/2026). A time after the date ("02/11/2026
 * 14:05", "2026-11-02T14:05:00Z"), as some banks write, is left aside: a bank line is dated by its day.
 */
export function parseBankDate(text: string, format: DateFormat): string {
  const value = text.trim().replace(/(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:?\d{2})?)$/, '');
  const parts = datePartsOf(value, format);
  if (!parts) throw new Error(`"${value}" is not a date in the form ${format}`);
  const [year, month, day] = parts;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    throw new Error(`"${value}" is not a real date`);
  }
  return date.toISOString().slice(0, 10);
}

function datePartsOf(value: string, format: DateFormat): [number, number, number] | null {
  const numbers = (match: RegExpExecArray | null, order: [number, number, number]) =>
    match ? (order.map((i) => Number(match[i])) as [number, number, number]) : null;
  switch (format) {
    case 'DD/MM/YYYY':
      return numbers(/^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value), [3, 2, 1]);
    case 'DD-MM-YYYY':
      return numbers(/^(\d{1,2})-(\d{1,2})-(\d{4})$/.exec(value), [3, 2, 1]);
    case 'DD/MM/YY': {
      const parts = numbers(/^(\d{1,2})\/(\d{1,2})\/(\d{2})$/.exec(value), [3, 2, 1]);
      return parts ? [2000 + parts[0], parts[1], parts[2]] : null;
    }
    case 'YYYY-MM-DD':
      return numbers(/^(\d{4})-(\d{2})-(\d{2})$/.exec(value), [1, 2, 3]);
    case 'MM/DD/YYYY':
      return numbers(/^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value), [3, 1, 2]);
    case 'YYYY/MM/DD':
      return numbers(/^(\d{4})\/(\d{1,2})\/(\d{1,2})$/.exec(value), [1, 2, 3]);
    case 'YYYYMMDD':
      return numbers(/^(\d{4})(\d{2})(\d{2})$/.exec(value), [1, 2, 3]);
    case 'DD.MM.YYYY':
      return numbers(/^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(value), [3, 2, 1]);
    case 'DD MMM YYYY': {
      const match = /^(\d{1,2})[ -]([A-Za-z]{3})[A-Za-z]*[ -](\d{4})$/.exec(value);
      const month = match ? MONTHS.indexOf((match[2] ?? '').toLowerCase()) + 1 : 0;
      return match && month > 0 ? [Number(match[3]), month, Number(match[1])] : null;
    }
  }
}
