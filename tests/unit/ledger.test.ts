import { describe, expect, it } from 'vitest';
import {
  BANK_CODE,
  LA_REFERENCE_PATTERN,
  holderFundsCode,
  poolShareCode,
  providerPayableCode,
  slugOf,
} from '../../src/domain/account-codes';
import { InvariantError } from '../../src/domain/errors';
import {
  type AccountState,
  POSTINGS_PER_ENTRY_MAX,
  type PostingDraft,
  assertBalanced,
  findShortfalls,
  memberMoney,
  reversalPostings,
} from '../../src/domain/ledger';
import { formatMoney, parseMoney } from '../../src/domain/money';

const p = (accountId: string, amount: string, memberId: string | null = null): PostingDraft => ({
  accountId,
  memberId,
  amount: parseMoney(amount),
});
const view = (postings: readonly PostingDraft[]) =>
  postings.map((x) => ({ accountId: x.accountId, memberId: x.memberId, amount: formatMoney(x.amount) }));

describe('assertBalanced', () => {
  it('accepts postings that sum to zero', () => {
    expect(() => assertBalanced([p('bank', '100.00'), p('funds', '-100.00', 'm1')])).not.toThrow();
    expect(() => assertBalanced([p('a', '0.01'), p('b', '0.02'), p('c', '-0.03')])).not.toThrow();
    expect(() => assertBalanced([p('a', '999999999999.99'), p('b', '-999999999999.99')])).not.toThrow();
  });

  it('refuses postings off by a single penny', () => {
    expect(() => assertBalanced([p('bank', '100.00'), p('funds', '-99.99')])).toThrow(InvariantError);
    expect(() => assertBalanced([p('bank', '100.00'), p('funds', '-99.99')])).toThrow(/0\.01/);
    expect(() => assertBalanced([p('a', '-0.01'), p('b', '-0.01'), p('c', '0.01')])).toThrow(/-0\.01/);
  });

  it('refuses fewer than two postings', () => {
    expect(() => assertBalanced([])).toThrow(InvariantError);
    expect(() => assertBalanced([p('a', '1.00')])).toThrow(/at least two/);
  });

  it('refuses a zero posting even when the rest balances', () => {
    expect(() => assertBalanced([p('a', '1.00'), p('b', '-1.00'), p('c', '0.00')])).toThrow(/zero/);
    expect(() => assertBalanced([p('a', '-0.00'), p('b', '0.00')])).toThrow(InvariantError);
  });

  it(`refuses more than ${POSTINGS_PER_ENTRY_MAX} postings`, () => {
    const many = (n: number) => [
      ...Array.from({ length: n - 1 }, (_, i) => p(`a${i}`, '0.01')),
      p(
        'bank',
        formatMoney(
          parseMoney('0.01')
            .mul(n - 1)
            .negated(),
        ),
      ),
    ];
    expect(() => assertBalanced(many(POSTINGS_PER_ENTRY_MAX))).not.toThrow();
    expect(() => assertBalanced(many(POSTINGS_PER_ENTRY_MAX + 1))).toThrow(/too many/);
  });
});

describe('reversalPostings', () => {
  it('negates every amount on the same account and member, leaving the original untouched', () => {
    const original = [p('bank', '150.50'), p('funds', '-100.25', 'm1'), p('share', '-50.25', 'm2')];
    const reversal = reversalPostings(original);
    expect(view(reversal)).toEqual([
      { accountId: 'bank', memberId: null, amount: '-150.50' },
      { accountId: 'funds', memberId: 'm1', amount: '100.25' },
      { accountId: 'share', memberId: 'm2', amount: '50.25' },
    ]);
    expect(view(original)[0]?.amount).toBe('150.50');
    expect(() => assertBalanced(reversal)).not.toThrow();
    expect(view(reversalPostings(reversal))).toEqual(view(original));
  });
});

describe('findShortfalls', () => {
  // Debit-positive: a holder's funds account holding £100.00 has balance -100.00.
  const funds: AccountState = { id: 'funds-1', kind: 'holder_funds', memberId: 'm1', balance: parseMoney('-100.00') };
  const share: AccountState = { id: 'share-1', kind: 'pool_share', memberId: 'm1', balance: parseMoney('-40.00') };
  const bank: AccountState = { id: 'bank', kind: 'bank', memberId: null, balance: parseMoney('140.00') };
  const payable: AccountState = {
    id: 'payable',
    kind: 'provider_payable',
    memberId: null,
    balance: parseMoney('0.00'),
  };

  it('memberMoney turns a debit-positive balance into what the member has', () => {
    expect(formatMoney(memberMoney(funds.balance))).toBe('100.00');
    expect(formatMoney(memberMoney(parseMoney('0.00')))).toBe('0.00');
  });

  it('allows spending exactly everything', () => {
    expect(findShortfalls([funds, share, bank], [p('funds-1', '100.00', 'm1'), p('share-1', '-100.00', 'm1')])).toEqual(
      [],
    );
    expect(findShortfalls([funds, bank], [p('funds-1', '100.00', 'm1'), p('bank', '-100.00')])).toEqual([]);
  });

  it('reports a penny short with available, required and shortBy', () => {
    const shortfalls = findShortfalls(
      [funds, share, bank],
      [p('funds-1', '100.01', 'm1'), p('share-1', '-100.01', 'm1')],
    );
    expect(
      shortfalls.map((s) => ({
        ...s,
        available: formatMoney(s.available),
        required: formatMoney(s.required),
        shortBy: formatMoney(s.shortBy),
      })),
    ).toEqual([
      {
        accountId: 'funds-1',
        memberId: 'm1',
        kind: 'holder_funds',
        available: '100.00',
        required: '100.01',
        shortBy: '0.01',
      },
    ]);
  });

  it('sums several postings on one account and reports every short account', () => {
    const m2: AccountState = { id: 'funds-2', kind: 'holder_funds', memberId: 'm2', balance: parseMoney('-10.00') };
    const shortfalls = findShortfalls(
      [funds, share, m2, payable],
      [
        p('funds-1', '60.00', 'm1'),
        p('funds-1', '40.00', 'm1'),
        p('share-1', '45.50', 'm1'),
        p('funds-2', '12.34', 'm2'),
        p('payable', '-157.84'),
      ],
    );
    expect(
      shortfalls.map((s) => [
        s.accountId,
        s.kind,
        formatMoney(s.available),
        formatMoney(s.required),
        formatMoney(s.shortBy),
      ]),
    ).toEqual([
      ['share-1', 'pool_share', '40.00', '45.50', '5.50'],
      ['funds-2', 'holder_funds', '10.00', '12.34', '2.34'],
    ]);
  });

  it('never reports the bank or a provider payable, however far they move', () => {
    expect(findShortfalls([bank, payable], [p('bank', '-1000000.00'), p('payable', '1000000.00')])).toEqual([]);
  });

  it('never reports money coming in', () => {
    expect(findShortfalls([funds, bank], [p('bank', '5.00'), p('funds-1', '-5.00', 'm1')])).toEqual([]);
  });
});

describe('account codes', () => {
  // A pool's code is slugOf(its name) (src/services/pools.ts, createPool); formerly poolCodeFromName.
  it('derives a pool code from a Welsh name', () => {
    expect(slugOf('Cronfa Tŷ Gwyn')).toBe('cronfa-ty-gwyn');
    expect(slugOf('Gŵyl  Haf!! 2026')).toBe('gwyl-haf-2026');
    expect(slugOf('  --Café Ffrindiau--  ')).toBe('cafe-ffrindiau');
    expect(slugOf('ÂÊÎÔÛŴŶ âêîôûŵŷ ÄËÏÖÜẄŸ')).toBe('aeiouwy-aeiouwy-aeiouwy');
  });

  it("falls back to 'pool' when nothing readable is left", () => {
    expect(slugOf('!!!')).toBe('pool');
    expect(slugOf('日本語')).toBe('pool');
    expect(slugOf('')).toBe('pool');
  });

  it('keeps a code to 40 characters with no trailing hyphen', () => {
    const code = slugOf('Cronfa Gofal Cymunedol Ardal Caerdydd a Bro Morgannwg');
    expect(code.length).toBeLessThanOrEqual(40);
    expect(code).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(code).toBe('cronfa-gofal-cymunedol-ardal-caerdydd-a');
    expect(slugOf(`${'a'.repeat(39)} b`)).toBe('a'.repeat(39));
  });

  it('builds hledger account codes', () => {
    expect(BANK_CODE).toBe('assets:bank');
    expect(holderFundsCode('DP-1000')).toBe('liabilities:holders:DP-1000:funds');
    expect(poolShareCode('cronfa-ty-gwyn', 'DP-1000')).toBe('liabilities:pools:cronfa-ty-gwyn:DP-1000');
    expect(providerPayableCode('gofal-cymru')).toBe('liabilities:providers:gofal-cymru');
  });

  it('limits LA references to plain characters', () => {
    for (const ok of ['DP-1000', 'a', 'CDF/2026/001', 'x.y_z', 'A'.repeat(40)])
      expect(LA_REFERENCE_PATTERN.test(ok)).toBe(true);
    for (const bad of ['', '-DP', 'DP 1000', 'DP:1000', 'Tŷ', 'A'.repeat(41), 'a;b'])
      expect(LA_REFERENCE_PATTERN.test(bad)).toBe(false);
  });
});
