import { holderStanding, weeklyAward } from '../holder-standing';
import { NO_MEMBER_MONEY } from '../ledger';
import { Decimal, type MemberMoney, type Money, formatMoney, plus, sum, toPennies } from '../money';
import { type Wording, categoryName, fill, pounds } from './wording';

/**
 * A holder's statement for a period, built from figures already read from the ledger. Pure: the same input gives
 * the same statement, so the same request always gives the same bytes.
 */
export interface StatementAccount {
  id: string;
  kind: 'holder_funds' | 'pool_share';
  poolName: string | null;
  /** Member money held at the start of the period (positive). */
  opening: MemberMoney;
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
  amount: MemberMoney;
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
  /** The co-op, named in the statement's language. */
  coop: { name: string };
  localAuthority: { code: string; name: string; surplusThresholdWeeks: number } | null;
  period: { from: string; to: string };
  language: 'en' | 'cy';
  wording: Wording;
  accounts: StatementAccount[];
  /** One per posting, in entry order: the postings of one entry are next to each other. */
  movements: StatementMovement[];
  sharedCosts: StatementSharedCost[];
  purchases: StatementPurchase[];
  award: { amount: Money; frequency: string } | null;
}

/**
 * A movement in the statement's language, built from the entry's details; a correction keeps the reason the
 * treasurer typed. Falls back to the stored memo for a kind without wording.
 */
function describeMovement(m: StatementMovement, poolName: string | null, wording: Wording): string {
  const template = wording.movements[m.kind];
  if (!template) return m.memo;
  return fill(template, {
    reference: m.reference ?? '',
    pool: m.poolName ?? poolName ?? '',
    description: m.costDescription ?? m.memo,
    provider: m.providerName ?? '',
    invoice: m.reference ?? '',
    reason: m.memo.replace(/^Reversal: /, ''),
  });
}

/** The postings of one entry, which the statement shows as one row. */
function entriesOf(movements: StatementMovement[]): StatementMovement[][] {
  const entries: StatementMovement[][] = [];
  for (const m of movements) {
    const last = entries.at(-1);
    if (last && last[0]!.entryId === m.entryId) last.push(m);
    else entries.push([m]);
  }
  return entries;
}

const inOut = (amount: MemberMoney) => ({
  in: amount.gt(0) ? formatMoney(amount) : null,
  out: amount.lt(0) ? formatMoney(amount.negated()) : null,
});

/**
 * The statement: the money the holder has (their funds) and each pool share, each with its own running figure, one
 * row per entry (a move from their funds into a pool is one row, out of one and into the other), so every figure
 * continues from the one above it, from the opening balances to the closing ones.
 */
export function buildHolderStatement(input: HolderStatementInput) {
  const { wording } = input;
  const funds = input.accounts.filter((a) => a.kind === 'holder_funds');
  const shares = input.accounts.filter((a) => a.kind === 'pool_share');
  const kindOf = new Map(input.accounts.map((a) => [a.id, a]));
  const running = new Map(input.accounts.map((a) => [a.id, a.opening]));
  const fundsNow = () => sum(funds.map((a) => running.get(a.id)!));
  const total = () => sum(input.accounts.map((a) => running.get(a.id)!));
  const movements = entriesOf(input.movements).map((postings) => {
    const moved = new Map<string, MemberMoney>();
    for (const p of postings) {
      // A posting to an account the statement does not list cannot happen (the figures read the holder's own).
      if (!kindOf.has(p.accountId)) continue;
      moved.set(p.accountId, plus(moved.get(p.accountId) ?? NO_MEMBER_MONEY, p.amount));
      running.set(p.accountId, plus(running.get(p.accountId)!, p.amount));
    }
    const fundsMoved = sum(funds.map((a) => moved.get(a.id) ?? NO_MEMBER_MONEY));
    const firstPool = postings.map((p) => kindOf.get(p.accountId)).find((a) => a?.kind === 'pool_share');
    const categories = [...new Set(postings.flatMap((p) => (p.category ? [p.category] : [])))];
    return {
      entryId: postings[0]!.entryId,
      date: postings[0]!.valueDate,
      description: describeMovement(postings[0]!, firstPool?.poolName ?? null, wording),
      categories,
      funds: { ...inOut(fundsMoved), balance: formatMoney(fundsNow()) },
      pools: shares.map((a) => ({
        poolAccountId: a.id,
        name: a.poolName ?? '',
        ...inOut(moved.get(a.id) ?? NO_MEMBER_MONEY),
        share: formatMoney(running.get(a.id)!),
      })),
      total: formatMoney(total()),
    };
  });
  const balances = (pick: (a: StatementAccount) => MemberMoney) => ({
    funds: formatMoney(sum(funds.map(pick))),
    pools: shares.map((a) => ({ poolAccountId: a.id, name: a.poolName ?? '', share: formatMoney(pick(a)) })),
    total: formatMoney(sum(input.accounts.map(pick))),
  });
  const weekly = input.award ? weeklyAward(input.award) : null;
  const threshold = input.localAuthority?.surplusThresholdWeeks ?? null;
  const standing = holderStanding(total(), input.award, threshold);
  return {
    kind: 'holder' as const,
    title: wording.holderTitle,
    language: input.language,
    period: input.period,
    coop: input.coop,
    member: { id: input.member.id, name: input.member.name, laReference: input.member.laReference },
    localAuthority: input.localAuthority ? { code: input.localAuthority.code, name: input.localAuthority.name } : null,
    /** What each running figure is called, in the order of `opening.pools` and every movement's `pools`. */
    accounts: {
      funds: wording.funds,
      pools: shares.map((a) => ({ poolAccountId: a.id, name: fill(wording.poolShare, { pool: a.poolName ?? '' }) })),
    },
    opening: balances((a) => a.opening),
    movements,
    sharedCosts: input.sharedCosts.map((c) => ({
      entryId: c.entryId,
      date: c.valueDate,
      pool: c.poolName,
      category: c.category,
      categoryName: categoryName(wording, c.category),
      description: c.description,
      total: formatMoney(c.total),
      method: c.method,
      memberCount: c.memberCount,
      share: formatMoney(c.share),
      text: fill(wording.sharedCostLine, {
        total: pounds(formatMoney(c.total)),
        category: categoryName(wording, c.category),
        method: fill(wording.methods[c.method] ?? c.method, { count: c.memberCount }),
        share: pounds(formatMoney(c.share)),
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
    closing: balances((a) => running.get(a.id)!),
    award: input.award
      ? {
          amount: formatMoney(input.award.amount),
          frequency: input.award.frequency,
          weekly: formatMoney(toPennies(weekly!, Decimal.ROUND_HALF_UP)),
        }
      : null,
    closingWeeksOfAward: standing.weeksOfAward,
    surplusThresholdWeeks: threshold,
    /** The threshold in money: that many weeks of the weekly award. */
    surplusThresholdAmount: standing.thresholdAmount,
    surplusAboveThreshold: standing.surplusAboveThreshold,
  };
}

export type HolderStatement = ReturnType<typeof buildHolderStatement>;
