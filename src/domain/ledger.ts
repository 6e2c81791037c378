import { InvariantError } from './errors';
import { type MemberMoney, type Money, ZERO, decimal, formatMoney, parseMoney, sum } from './money';

/** What each kind of account holds. Debit-positive: assets are positive, money held for others negative. */
export const ACCOUNT_KINDS = [
  'bank',
  'holder_funds',
  'pool_share',
  'provider_payable',
  'la_refund_due',
  'coop_own',
  'suspense',
] as const;
export type AccountKind = (typeof ACCOUNT_KINDS)[number];

/** Accounts that hold a member's money and so may never be overdrawn (balance above zero). */
export const MEMBER_MONEY_KINDS: readonly AccountKind[] = ['holder_funds', 'pool_share'];

export const ENTRY_KINDS = [
  'dp_receipt',
  'pool_contribution',
  'pool_withdrawal',
  'reversal',
  'shared_cost',
  'purchase',
  'provider_payment',
  'bank_charge',
  'bank_interest',
  'suspense',
  'la_recovery',
] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

/** Postings per entry are bounded: the largest real entry splits one cost across a pool's members. */
export const POSTINGS_PER_ENTRY_MAX = 1000;

export interface PostingDraft {
  accountId: string;
  memberId: string | null;
  amount: Money;
  /** What a charge to a member was for (a spending category); null for movements that are not spending. */
  category?: string | null;
}

export interface EntryDraft {
  kind: EntryKind;
  valueDate: string;
  memo: string;
  reference?: string | null;
  postings: PostingDraft[];
  reversesEntryId?: string;
}

export interface AccountState {
  id: string;
  kind: AccountKind;
  memberId: string | null;
  balance: Money;
}

export interface Shortfall {
  accountId: string;
  memberId: string | null;
  kind: AccountKind;
  available: MemberMoney;
  required: Money;
  shortBy: Money;
}

export function assertBalanced(postings: readonly PostingDraft[]): void {
  if (postings.length < 2) throw new InvariantError(`an entry needs at least two postings, got ${postings.length}`);
  if (postings.length > POSTINGS_PER_ENTRY_MAX) throw new InvariantError('too many postings in one entry');
  if (postings.some((p) => p.amount.isZero())) throw new InvariantError('a posting of zero');
  const total = sum(postings.map((p) => p.amount));
  if (!total.isZero()) throw new InvariantError(`entry does not balance: postings sum to ${formatMoney(total)}`);
}

/** The postings that undo `original`: same accounts, opposite signs. */
export function reversalPostings(original: readonly PostingDraft[]): PostingDraft[] {
  return original.map((p) => ({ ...p, amount: p.amount.negated() }));
}

/**
 * How much of a member's money an account holds (positive), from its debit-positive balance: the one place code
 * flips the sign (`memberMoneySql` in src/services/ledger/queries.ts is the same flip written in SQL).
 */
export function memberMoney(balance: Money): MemberMoney {
  return balance.negated() as MemberMoney;
}

/** A member-money figure written as the member sees it ("424.80" held, "-15.00" out), for examples and tests. */
export function memberFigure(text: string): MemberMoney {
  return memberMoney(parseMoney(text).negated());
}

/** No member money: zero, not minus zero. */
export const NO_MEMBER_MONEY: MemberMoney = memberMoney(ZERO.negated());

/** The debit-positive ledger amount that takes `money` out of a member's account: a debit of that many pounds. */
export function memberMoneyOut(money: MemberMoney): Money {
  return decimal(money);
}

/**
 * The member-money accounts that `postings` would take below zero. Debits on such an account reduce what the
 * member has; the whole entry is refused if any account falls short.
 */
export function findShortfalls(accounts: readonly AccountState[], postings: readonly PostingDraft[]): Shortfall[] {
  const shortfalls: Shortfall[] = [];
  for (const account of accounts) {
    if (!MEMBER_MONEY_KINDS.includes(account.kind)) continue;
    const change = sum(postings.filter((p) => p.accountId === account.id).map((p) => p.amount));
    const available = memberMoney(account.balance);
    const after = memberMoney(account.balance.plus(change));
    if (after.lt(ZERO)) {
      shortfalls.push({
        accountId: account.id,
        memberId: account.memberId,
        kind: account.kind,
        available,
        required: change,
        shortBy: after.negated(),
      });
    }
  }
  return shortfalls;
}
