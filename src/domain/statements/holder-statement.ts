import { Decimal, type Money, ZERO, formatMoney, sum, toPennies } from '../money';
import { type Wording, fill } from './wording';

/**
 * A holder's statement for a period, built from figures already read from the ledger. Pure: the same input gives
 * the same statement, so the same request always gives the same bytes.
 */
export interface StatementAccount {
  id: string;
  kind: 'holder_funds' | 'pool_share';
  poolName: string | null;
  /** Member money held at the start of the period (positive). */
  opening: Money;
}

export interface StatementMovement {
  entryId: string;
  valueDate: string;
  kind: string;
  memo: string;
  reference: string | null;
  /** What the entry was about, where the ledger knows: the provider, the invoice, the shared cost. */
  providerName: string | null;
  costDescription: string | null;
  /** The pool the entry moved money into or out of, whichever side of it this posting is. */
  poolName: string | null;
  accountId: string;
  category: string | null;
  /** Signed from the member's side: positive in, negative out. */
  amount: Money;
}

export interface StatementSharedCost {
  entryId: string;
  valueDate: string;
  poolName: string;
  category: string;
  description: string;
  total: Money;
  method: string;
  memberCount: number;
  share: Money;
}

export interface StatementPurchase {
  purchaseId: string;
  invoiceDate: string;
  providerName: string;
  invoiceReference: string;
  amount: Money;
  individualAmount: Money;
}

export interface HolderStatementInput {
  member: { id: string; name: string; laReference: string | null };
  localAuthority: { code: string; name: string; surplusThresholdWeeks: number } | null;
  period: { from: string; to: string };
  language: 'en' | 'cy';
  wording: Wording;
  accounts: StatementAccount[];
  movements: StatementMovement[];
  sharedCosts: StatementSharedCost[];
  purchases: StatementPurchase[];
  award: { amount: Money; frequency: string } | null;
}

/**
 * A movement in the statement's language, built from the entry's details; a correction keeps the reason the
 * treasurer typed. Falls back to the stored memo for a kind without wording.
 */
function describeMovement(m: StatementMovement, account: StatementAccount, wording: Wording): string {
  const template = wording.movements[m.kind];
  if (!template) return m.memo;
  return fill(template, {
    reference: m.reference ?? '',
    pool: m.poolName ?? account.poolName ?? '',
    description: m.costDescription ?? m.memo,
    provider: m.providerName ?? '',
    invoice: m.reference ?? '',
    reason: m.memo.replace(/^Reversal: /, ''),
  });
}

/** A DP award per week: weekly as is, four-weekly ÷ 4, monthly × 12 ÷ 52. */
export function weeklyAward(award: { amount: Money; frequency: string }): Decimal {
  if (award.frequency === 'four_weekly') return award.amount.div(4);
  if (award.frequency === 'monthly') return award.amount.mul(12).div(52);
  return award.amount;
}

export function buildHolderStatement(input: HolderStatementInput) {
  const { wording } = input;
  const label = (account: StatementAccount) =>
    account.kind === 'holder_funds' ? wording.funds : fill(wording.poolShare, { pool: account.poolName ?? '' });
  const running = new Map(input.accounts.map((a) => [a.id, a.opening]));
  const movements = input.movements.map((m) => {
    const balance = (running.get(m.accountId) ?? ZERO).plus(m.amount);
    running.set(m.accountId, balance);
    const account = input.accounts.find((a) => a.id === m.accountId)!;
    return {
      entryId: m.entryId,
      date: m.valueDate,
      description: describeMovement(m, account, wording),
      category: m.category,
      account: label(account),
      in: m.amount.gt(0) ? formatMoney(m.amount) : null,
      out: m.amount.lt(0) ? formatMoney(m.amount.negated()) : null,
      balance: formatMoney(balance),
    };
  });
  const balances = (pick: (a: StatementAccount) => Money) => {
    const funds = sum(input.accounts.filter((a) => a.kind === 'holder_funds').map(pick));
    const pools = input.accounts
      .filter((a) => a.kind === 'pool_share')
      .map((a) => ({ poolAccountId: a.id, name: a.poolName ?? '', share: formatMoney(pick(a)) }));
    return { funds: formatMoney(funds), pools, total: formatMoney(sum(input.accounts.map(pick))) };
  };
  const closingTotal = sum(input.accounts.map((a) => running.get(a.id) ?? ZERO));
  const weekly = input.award ? weeklyAward(input.award) : null;
  const threshold = input.localAuthority?.surplusThresholdWeeks ?? null;
  const surplus = weekly && threshold !== null ? Decimal.max(ZERO, closingTotal.minus(weekly.mul(threshold))) : null;
  return {
    kind: 'holder' as const,
    title: wording.holderTitle,
    language: input.language,
    period: input.period,
    member: { id: input.member.id, name: input.member.name, laReference: input.member.laReference },
    localAuthority: input.localAuthority ? { code: input.localAuthority.code, name: input.localAuthority.name } : null,
    opening: balances((a) => a.opening),
    movements,
    sharedCosts: input.sharedCosts.map((c) => ({
      entryId: c.entryId,
      date: c.valueDate,
      pool: c.poolName,
      category: c.category,
      description: c.description,
      total: formatMoney(c.total),
      method: c.method,
      memberCount: c.memberCount,
      share: formatMoney(c.share),
      text: fill(wording.sharedCostLine, {
        total: formatMoney(c.total),
        category: c.category,
        method: fill(wording.methods[c.method] ?? c.method, { count: c.memberCount }),
        share: formatMoney(c.share),
      }),
    })),
    purchases: input.purchases.map((p) => ({
      purchaseId: p.purchaseId,
      date: p.invoiceDate,
      provider: p.providerName,
      invoiceReference: p.invoiceReference,
      amount: formatMoney(p.amount),
      individualAmount: formatMoney(p.individualAmount),
      saving: formatMoney(p.individualAmount.minus(p.amount)),
    })),
    closing: balances((a) => running.get(a.id) ?? ZERO),
    award: input.award
      ? {
          amount: formatMoney(input.award.amount),
          frequency: input.award.frequency,
          weekly: formatMoney(toPennies(weekly!, Decimal.ROUND_HALF_UP)),
        }
      : null,
    closingWeeksOfAward: weekly && !weekly.isZero() ? closingTotal.div(weekly).toFixed(1, Decimal.ROUND_HALF_UP) : null,
    surplusThresholdWeeks: threshold,
    surplusAboveThreshold: surplus ? formatMoney(toPennies(surplus, Decimal.ROUND_HALF_UP)) : null,
  };
}

export type HolderStatement = ReturnType<typeof buildHolderStatement>;
