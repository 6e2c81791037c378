import { describe, expect, it } from 'vitest';
import {
  Decimal,
  MONEY_ABS_MAX,
  MoneyFormatError,
  decimal,
  formatMoney,
  parseMoney,
  sum,
  toPennies,
} from '../../src/domain/money';

describe('parseMoney', () => {
  it.each([
    ['0', '0.00'],
    ['1', '1.00'],
    ['1.5', '1.50'],
    ['12.50', '12.50'],
    ['-3.07', '-3.07'],
    ['0001.10', '1.10'],
    ['999999999999.99', '999999999999.99'],
    ['-999999999999.99', '-999999999999.99'],
  ])('reads %j exactly as %s', (text, formatted) => {
    const value = parseMoney(text);
    expect(Decimal.isDecimal(value)).toBe(true);
    expect(formatMoney(value)).toBe(formatted);
  });

  it('keeps every penny of a large amount (no float rounding)', () => {
    expect(parseMoney('999999999999.99').minus(parseMoney('999999999999.98')).toString()).toBe('0.01');
    expect(sum([parseMoney('0.10'), parseMoney('0.20')]).eq(parseMoney('0.30'))).toBe(true);
  });

  it.each([12.5, 0, 1, Number.NaN, null, undefined, {}, ['1.00'], true])('refuses the non-string %j', (value) => {
    expect(() => parseMoney(value as unknown as string)).toThrow(MoneyFormatError);
  });

  it.each([
    '1.005',
    '0.001',
    '-1.999',
    '1e3',
    '1E3',
    '1e-2',
    '-1e2',
    '1.',
    '.5',
    '+1.00',
    ' 1.00',
    '1.00 ',
    '1,000.00',
    '£1.00',
    '',
    '-',
    'NaN',
    'Infinity',
    '0x10',
    '1000000000000.00', // 13 integer digits: beyond NUMERIC(14,2)
    '--1',
    '1.0.0',
  ])('refuses %j', (text) => {
    expect(() => parseMoney(text)).toThrow(MoneyFormatError);
  });
});

describe('formatMoney', () => {
  it('always writes exactly two decimals', () => {
    expect(formatMoney(parseMoney('7'))).toBe('7.00');
    expect(formatMoney(parseMoney('7.1'))).toBe('7.10');
    expect(formatMoney(parseMoney('-0.5'))).toBe('-0.50');
    expect(formatMoney(decimal(42))).toBe('42.00');
  });

  it("writes negative zero as '0.00'", () => {
    expect(formatMoney(parseMoney('-0.00'))).toBe('0.00');
    expect(formatMoney(parseMoney('-0'))).toBe('0.00');
    expect(formatMoney(new Decimal('-0'))).toBe('0.00');
    expect(formatMoney(parseMoney('1.00').minus(parseMoney('1.00')).negated())).toBe('0.00');
  });

  it('never switches to exponent notation, however big or small', () => {
    expect(formatMoney(MONEY_ABS_MAX)).toBe('999999999999.99');
    expect(formatMoney(new Decimal('123456789012345678901234567890.12'))).toBe('123456789012345678901234567890.12');
    expect(formatMoney(new Decimal('-1e21'))).toBe('-1000000000000000000000.00');
    expect(formatMoney(new Decimal('0.01'))).toBe('0.01');
    expect(formatMoney(new Decimal('1e-2'))).toBe('0.01');
  });

  it('refuses fractions of a penny rather than rounding them away', () => {
    expect(() => formatMoney(new Decimal('1.005'))).toThrow(MoneyFormatError);
    expect(() => formatMoney(new Decimal('0.001'))).toThrow(MoneyFormatError);
    expect(() => formatMoney(new Decimal('1').div(3))).toThrow(MoneyFormatError);
  });
});

describe('decimal and toPennies', () => {
  it('refuses a fractional JS number but takes integers and strings', () => {
    expect(() => decimal(0.1)).toThrow(MoneyFormatError);
    expect(decimal(3).toString()).toBe('3');
    expect(decimal('0.125').toString()).toBe('0.125');
  });

  it('rounds to pennies with the rounding mode given', () => {
    expect(formatMoney(toPennies(new Decimal('0.125'), Decimal.ROUND_HALF_UP))).toBe('0.13');
    expect(formatMoney(toPennies(new Decimal('0.125'), Decimal.ROUND_DOWN))).toBe('0.12');
    expect(formatMoney(toPennies(new Decimal('-0.125'), Decimal.ROUND_HALF_UP))).toBe('-0.13');
  });
});
