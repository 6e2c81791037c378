import Decimal from 'decimal.js';

/**
 * Money in Cronfa, and its only representations:
 * - `Money` (a decimal.js Decimal) in code: exact, never a JS number;
 * - NUMERIC(14,2) in the database, read and written as strings;
 * - a string with exactly two decimals on the wire (`"1234.50"`, `"-3.07"`).
 * Anything else (a JS number, more than two decimals, exponent notation) is refused with a MoneyFormatError.
 *
 * `Money` is pounds as the ledger holds them: debit-positive (assets positive, money held for others negative). Two
 * other decimals are kept apart from it by their types, so mixing them up does not compile:
 * - `MemberMoney`: pounds as a member sees them (positive: held for them), made only by `memberMoney` in ledger.ts;
 * - `Quantity`: a number of something that is not money (a weight, hours, units of care).
 * Any plain Decimal is `Money` (its unit brand is optional); a `MemberMoney` or `Quantity` is not.
 */
export type Money = Decimal & { readonly __unit?: 'ledger pounds' };
export type MemberMoney = Decimal & { readonly __unit: 'member pounds' };
export type Quantity = Decimal & { readonly __unit: 'quantity' };
/** A whole number of pennies, for comparing amounts exactly and quickly (as Map keys, say). */
export type Pennies = bigint & { readonly __unit: 'pennies' };

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

export function formatMoney(value: Money | MemberMoney): string {
  assertPennies(value);
  const text = value.toFixed(2);
  return text === '-0.00' ? '0.00' : text;
}

export function assertPennies(value: Money | MemberMoney): void {
  if (!value.mul(100).isInteger()) throw new MoneyFormatError(`amount has fractions of a penny: ${value.toString()}`);
}

/** The sum of decimals of one kind, of that kind: pounds add up to pounds, weights to a weight. */
export function sum<T extends Decimal = Money>(values: readonly T[]): T {
  return values.reduce<Decimal>((acc, value) => acc.plus(value), ZERO) as T;
}

/** `a + b`, of their kind. */
export function plus<T extends Decimal>(a: T, b: T): T {
  return a.plus(b) as T;
}

/** A decimal that counts something other than money: a weight, hours, units of care. */
export function quantity(value: Decimal | string | number): Quantity {
  return decimal(value) as Quantity;
}

/**
 * An amount as whole pennies, from canonical money text ("12.50", "-3.07", "7") as the database writes it, without
 * making a Decimal, so matching hundreds of thousands of amounts stays quick. Integer arithmetic only: the pounds and
 * the pence are read as whole numbers, never through a float.
 */
export function penniesOf(text: string): Pennies {
  if (!MONEY_PATTERN.test(text)) throw new MoneyFormatError(`not a money amount: ${JSON.stringify(text)}`);
  const negative = text.startsWith('-');
  const [pounds = '0', pence = ''] = (negative ? text.slice(1) : text).split('.');
  const pennies = BigInt(pounds) * 100n + BigInt(pence.padEnd(2, '0'));
  return (negative ? -pennies : pennies) as Pennies;
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
