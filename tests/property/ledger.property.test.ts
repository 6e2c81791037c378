import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvariantError } from '../../src/domain/errors';
import {
  ACCOUNT_KINDS,
  type AccountKind,
  type AccountState,
  MEMBER_MONEY_KINDS,
  type PostingDraft,
  assertBalanced,
  findShortfalls,
  reversalPostings,
} from '../../src/domain/ledger';
import { Decimal, type Money, formatMoney, parseMoney } from '../../src/domain/money';

const MAX_PENCE = 99_999_999_999_999; // 999999999999.99, the NUMERIC(14,2) limit
const fromPence = (pence: number | bigint): Money => parseMoney(formatPence(BigInt(pence)));
function formatPence(pence: bigint): string {
  const sign = pence < 0n ? '-' : '';
  const abs = pence < 0n ? -pence : pence;
  return `${sign}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
}

const accountIds = ['bank', 'funds-a', 'funds-b', 'share-a', 'share-b', 'payable'];
const nonZeroPence = fc.integer({ min: -1_000_000_00, max: 1_000_000_00 }).filter((n) => n !== 0);

/** 2..40 postings whose amounts sum to exactly zero, none of them zero. */
const balancedPostings: fc.Arbitrary<PostingDraft[]> = fc
  .tuple(
    fc.array(fc.tuple(fc.constantFrom(...accountIds), nonZeroPence), { minLength: 1, maxLength: 39 }),
    fc.constantFrom(...accountIds),
  )
  .filter(([head]) => head.reduce((acc, [, pence]) => acc + pence, 0) !== 0)
  .map(([head, lastAccount]) => {
    const total = head.reduce((acc, [, pence]) => acc + pence, 0);
    return [...head, [lastAccount, -total] as const].map(([accountId, pence]) => ({
      accountId,
      memberId: null,
      amount: fromPence(pence),
    }));
  });

function apply(balances: Map<string, Money>, postings: readonly PostingDraft[]): Map<string, Money> {
  const next = new Map(balances);
  for (const posting of postings)
    next.set(posting.accountId, (next.get(posting.accountId) ?? new Decimal(0)).plus(posting.amount));
  return next;
}

describe('double entry', () => {
  it('assertBalanced accepts every balanced entry', () => {
    fc.assert(
      fc.property(balancedPostings, (postings) => {
        assertBalanced(postings);
      }),
      { numRuns: 500 },
    );
  });

  it('assertBalanced refuses every entry that is off by any amount', () => {
    fc.assert(
      fc.property(balancedPostings, fc.nat(), nonZeroPence, (postings, index, delta) => {
        const i = index % postings.length;
        const target = postings[i]!;
        const changed = target.amount.plus(fromPence(delta));
        fc.pre(!changed.isZero());
        const unbalanced = postings.map((posting, j) => (j === i ? { ...posting, amount: changed } : posting));
        expect(() => assertBalanced(unbalanced)).toThrow(InvariantError);
      }),
      { numRuns: 500 },
    );
  });

  it('assertBalanced refuses one penny extra as a separate posting', () => {
    fc.assert(
      fc.property(balancedPostings, fc.constantFrom('0.01', '-0.01'), (postings, extra) => {
        expect(() =>
          assertBalanced([...postings, { accountId: 'bank', memberId: null, amount: parseMoney(extra) }]),
        ).toThrow(/does not balance/);
      }),
    );
  });

  it('a reversal balances, and entry plus reversal leaves every account where it was', () => {
    fc.assert(
      fc.property(
        balancedPostings,
        fc.array(fc.integer({ min: -MAX_PENCE, max: MAX_PENCE }), {
          minLength: accountIds.length,
          maxLength: accountIds.length,
        }),
        (postings, opening) => {
          const reversal = reversalPostings(postings);
          assertBalanced(reversal);
          expect(reversal.map((r) => r.accountId)).toEqual(postings.map((q) => q.accountId));
          reversal.forEach((r, i) => expect(r.amount.plus(postings[i]!.amount).isZero()).toBe(true));
          const before = new Map(accountIds.map((id, i) => [id, fromPence(opening[i]!)]));
          const after = apply(apply(before, postings), reversal);
          for (const id of accountIds) expect(formatMoney(after.get(id)!)).toBe(formatMoney(before.get(id)!));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('findShortfalls', () => {
  const kindFor = (id: string): AccountKind =>
    id === 'bank'
      ? 'bank'
      : id.startsWith('funds')
        ? 'holder_funds'
        : id.startsWith('share')
          ? 'pool_share'
          : 'provider_payable';

  it('reports an account exactly when a member-money account would end below zero', () => {
    // Liability accounts hold members' money as negative balances: a member has -balance. A balance above zero
    // after the postings means the member would owe money, which is a shortfall.
    const accounts = fc
      .array(fc.integer({ min: -1_000_000, max: 1_000_000 }), {
        minLength: accountIds.length,
        maxLength: accountIds.length,
      })
      .map((balances) =>
        accountIds.map(
          (id, i): AccountState => ({
            id,
            kind: kindFor(id),
            memberId: id.endsWith('-a') ? 'member-a' : id.endsWith('-b') ? 'member-b' : null,
            balance: fromPence(balances[i]!),
          }),
        ),
      );
    const postings = fc
      .array(fc.tuple(fc.constantFrom(...accountIds), nonZeroPence), { maxLength: 12 })
      .map((list) => list.map(([accountId, pence]) => ({ accountId, memberId: null, amount: fromPence(pence) })));
    fc.assert(
      fc.property(accounts, postings, (states, drafts) => {
        const shortfalls = findShortfalls(states, drafts);
        const expected = states
          .map((account) => {
            const change = drafts
              .filter((d) => d.accountId === account.id)
              .reduce<Money>((acc, d) => acc.plus(d.amount), new Decimal(0));
            return { account, change, after: account.balance.plus(change) };
          })
          .filter(({ account, after }) => MEMBER_MONEY_KINDS.includes(account.kind) && after.gt(0));
        expect(shortfalls.map((s) => s.accountId)).toEqual(expected.map((e) => e.account.id));
        shortfalls.forEach((s, i) => {
          const e = expected[i]!;
          expect(s.kind).toBe(e.account.kind);
          expect(s.memberId).toBe(e.account.memberId);
          expect(formatMoney(s.available)).toBe(formatMoney(e.account.balance.negated()));
          expect(formatMoney(s.required)).toBe(formatMoney(e.change));
          expect(formatMoney(s.shortBy)).toBe(formatMoney(e.after));
          expect(s.shortBy.gt(0)).toBe(true);
        });
      }),
      { numRuns: 500 },
    );
  });

  it('only member-money kinds are ever reported', () => {
    expect([...MEMBER_MONEY_KINDS].sort()).toEqual(['holder_funds', 'pool_share']);
    fc.assert(
      fc.property(fc.constantFrom(...ACCOUNT_KINDS), nonZeroPence, nonZeroPence, (kind, balance, change) => {
        const account: AccountState = { id: 'x', kind, memberId: null, balance: fromPence(balance) };
        const reported =
          findShortfalls([account], [{ accountId: 'x', memberId: null, amount: fromPence(change) }]).length > 0;
        expect(reported).toBe(MEMBER_MONEY_KINDS.includes(kind) && balance + change > 0);
      }),
      { numRuns: 500 },
    );
  });
});

describe('money text', () => {
  it('parse(format(x)) is x for every amount in pence', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: BigInt(-MAX_PENCE), max: BigInt(MAX_PENCE) }), (pence) => {
        const money = new Decimal(pence.toString()).div(100);
        const text = formatMoney(money);
        expect(text).toMatch(/^-?\d+\.\d{2}$/);
        expect(text).toBe(formatPence(pence) === '-0.00' ? '0.00' : formatPence(pence));
        expect(parseMoney(text).eq(money)).toBe(true);
        expect(formatMoney(parseMoney(text))).toBe(text);
      }),
      { numRuns: 2000 },
    );
  });

  it('format(parse(s)) normalises any accepted string to two decimals of the same value', () => {
    const accepted = fc
      .tuple(
        fc.boolean(),
        fc.stringMatching(/^\d{1,12}$/),
        fc.option(fc.stringMatching(/^\d{1,2}$/), { nil: undefined }),
      )
      .map(([neg, whole, frac]) => `${neg ? '-' : ''}${whole}${frac === undefined ? '' : `.${frac}`}`);
    fc.assert(
      fc.property(accepted, (text) => {
        const formatted = formatMoney(parseMoney(text));
        expect(formatted).toMatch(/^-?\d+\.\d{2}$/);
        expect(new Decimal(formatted).eq(new Decimal(text))).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('refuses any amount with three or more decimals', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^-?\d{1,6}\.\d{3,6}$/), (text) => {
        expect(() => parseMoney(text)).toThrow();
      }),
    );
  });
});
