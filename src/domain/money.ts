import Decimal from 'decimal.js';

/**
 * Money in Cronfa, and its only representations:
 * - `Money` (a decimal.js Decimal) in code: exact, never a JS number;
 * - NUMERIC(14,2) in the database, read and written as strings;
 * - a string with exactly two decimals on the wire (`"1234.50"`, `"-3.07"`).
 * Anything else (a JS number, more than two decimals, exponent notation) is refused with a MoneyFormatError.
 */
export type Money = Decimal;

/** A private Decimal constructor so no other code can change global precision or rounding under us. */
const D = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP, toExpNeg: -40, toExpPos: 40 });

export const MONEY_PATTERN = /^-?\d{1,12}(\.\d{1,2})?$/;
/** The largest amount any single figure may hold: NUMERIC(14,2). */
export const MONEY_ABS_MAX = new D('999999999999.99');

export class MoneyFormatError extends Error {}

export function parseMoney(text: string): Money {
  if (typeof text !== 'string' || !MONEY_PATTERN.test(text)) {
    throw new MoneyFormatError(`not a money amount: ${JSON.stringify(text)}`);
  }
  return new D(text);
}

/** Reads a NUMERIC value as returned by either database driver (always a string). */
export function moneyFromDb(value: string | null | undefined): Money {
  if (value === null || value === undefined) return ZERO;
  if (typeof value !== 'string') throw new MoneyFormatError('database returned a non-string NUMERIC');
  return new D(value);
}

export const ZERO: Money = new D(0);

export function formatMoney(value: Money): string {
  assertPennies(value);
  const text = value.toFixed(2);
  return text === '-0.00' ? '0.00' : text;
}

export function assertPennies(value: Money): void {
  if (!value.mul(100).isInteger()) throw new MoneyFormatError(`amount has fractions of a penny: ${value.toString()}`);
}

export function sum(values: readonly Money[]): Money {
  return values.reduce<Money>((acc, value) => acc.plus(value), ZERO);
}

export function decimal(value: string | number | Decimal): Decimal {
  if (typeof value === 'number' && !Number.isInteger(value)) {
    throw new MoneyFormatError('refusing a non-integer JS number');
  }
  return new D(value);
}

/** Rounds a non-money decimal (e.g. units × rate) to pennies, with the rounding mode spelled out at the call. */
export function toPennies(value: Decimal, rounding: Decimal.Rounding): Money {
  return value.toDecimalPlaces(2, rounding);
}

export { Decimal };
