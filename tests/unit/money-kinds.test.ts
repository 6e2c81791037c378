import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Weighted, allocate } from '../../src/domain/allocation';
import { NO_MEMBER_MONEY, memberFigure, memberMoney, memberMoneyOut } from '../../src/domain/ledger';
import {
  type MemberMoney,
  type Money,
  type Quantity,
  formatMoney,
  parseMoney,
  penniesOf,
  plus,
  quantity,
  sum,
} from '../../src/domain/money';

describe('money kinds', () => {
  it('flips a debit-positive balance into member money in one place, and back into a debit', () => {
    const held = memberMoney(parseMoney('-120.50'));
    expect(formatMoney(held)).toBe('120.50');
    expect(formatMoney(memberMoneyOut(held))).toBe('120.50');
    expect(formatMoney(memberFigure('-15.00'))).toBe('-15.00');
    expect(NO_MEMBER_MONEY.isNegative()).toBe(false);
    expect(formatMoney(sum([held, memberFigure('9.50')]))).toBe('130.00');
    expect(formatMoney(plus(held, memberFigure('-0.50')))).toBe('120.00');
  });

  it('keeps the kinds apart at compile time', () => {
    const ledger: Money = parseMoney('10.00');
    const held: MemberMoney = memberMoney(ledger);
    const weight: Quantity = quantity('2.5');
    // @ts-expect-error a ledger amount is not member money until memberMoney flips it
    const notFlipped: MemberMoney = ledger;
    // @ts-expect-error member money is not a ledger amount until memberMoneyOut says which way it goes
    const notADebit: Money = held;
    // @ts-expect-error a weight is not pounds
    allocate(weight, [{ memberId: 'a', weight }]);
    // @ts-expect-error pounds are not a weight
    const notAWeight: Weighted = { memberId: 'a', weight: ledger };
    expect([notFlipped, notADebit, notAWeight]).toHaveLength(3);
  });

  it('reads canonical money text as whole pennies', () => {
    expect(penniesOf('12.50')).toBe(1250n);
    expect(penniesOf('-3.07')).toBe(-307n);
    expect(penniesOf('-0.5')).toBe(-50n);
    expect(penniesOf('7')).toBe(700n);
    expect(penniesOf('0.00')).toBe(0n);
    expect(penniesOf('999999999999.99')).toBe(99999999999999n);
    // Every amount a NUMERIC(14,2) holds, written as the database writes it, reads back exactly.
    fc.assert(
      fc.property(fc.bigInt({ min: -99999999999999n, max: 99999999999999n }), (pennies) => {
        const magnitude = pennies < 0n ? -pennies : pennies;
        const text = `${pennies < 0n ? '-' : ''}${magnitude / 100n}.${String(magnitude % 100n).padStart(2, '0')}`;
        expect(penniesOf(text)).toBe(pennies);
      }),
      { numRuns: 2000 },
    );
    expect(() => penniesOf('1.234')).toThrow();
    expect(() => penniesOf('1e3')).toThrow();
  });
});
