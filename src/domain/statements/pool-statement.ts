import { type Money, ZERO, formatMoney, moneyFromDb, sum } from '../money';
import { InvariantError } from '../errors';
import { type Wording, categoryName } from './wording';

/**
 * A pool statement for treasurers: each member's share moving from opening to closing (contributions in, money
 * returned on leaving, shared costs and purchases out), costs by category with their splits, purchases by provider,
 * payments made, and invoices still owed at the end of the period. Built from the figures as the database gives them
 * (money as NUMERIC text), so that the figures can be handed to a render thread as they are.
 */
export interface PoolShareRow {
  memberId: string;
  name: string;
  laReference: string;
  opening: string;
  contributions: string;
  withdrawals: string;
  sharedCosts: string;
  purchases: string;
  closing: string;
}

export interface PoolStatementFigures {
  shares: PoolShareRow[];
  costs: {
    entryId: string;
    date: string;
    category: string;
    description: string;
    total: string;
    method: string;
    memberCount: number;
  }[];
  /** Every purchase of the pool invoiced by the period's end, with what was paid by then and whether it was reversed. */
  purchases: {
    purchaseId: string;
    providerName: string;
    invoiceReference: string;
    invoiceDate: string;
    total: string;
    individualRateTotal: string;
    paid: string;
    reversed: boolean;
  }[];
  payments: { date: string; providerName: string; invoiceReference: string; amount: string }[];
}

export interface PoolStatementInput {
  /** The pool and the co-op, named in the statement's language. */
  pool: { id: string; name: string; code: string };
  coop: { name: string };
  period: { from: string; to: string };
  language: 'en' | 'cy';
  wording: Wording;
  figures: PoolStatementFigures;
}

export const POOL_STATEMENT_CSV_COLUMNS = [
  'la_reference',
  'member_name',
  'opening_share',
  'contributions',
  'returned_on_leaving',
  'shared_costs',
  'purchases',
  'closing_share',
] as const;

const SHARE_FIGURES = ['opening', 'contributions', 'withdrawals', 'sharedCosts', 'purchases', 'closing'] as const;

/**
 * A member's share adds up, or the statement is not issued (InvariantError): the closing share is the opening one
 * plus contributions, less what was returned on leaving, shared costs and purchases; nothing else moves a share.
 */
function assertShareAddsUp(memberId: string, money: Record<(typeof SHARE_FIGURES)[number], Money>): void {
  const moved = money.opening
    .plus(money.contributions)
    .minus(money.withdrawals)
    .minus(money.sharedCosts)
    .minus(money.purchases);
  if (!moved.eq(money.closing)) {
    throw new InvariantError(
      `pool statement: member ${memberId}'s opening share and movements come to ${formatMoney(moved)}, not their closing ${formatMoney(money.closing)}`,
    );
  }
}

export function buildPoolStatement(input: PoolStatementInput) {
  const { figures, period } = input;
  const shares = figures.shares.map((s) => ({
    ...s,
    money: Object.fromEntries(SHARE_FIGURES.map((k) => [k, moneyFromDb(s[k])])) as Record<
      (typeof SHARE_FIGURES)[number],
      Money
    >,
  }));
  for (const share of shares) assertShareAddsUp(share.memberId, share.money);
  const live = figures.purchases.filter((p) => !p.reversed);
  const purchases = live.filter((p) => p.invoiceDate >= period.from);
  const unpaid = live
    .map((p) => ({
      purchaseId: p.purchaseId,
      providerName: p.providerName,
      invoiceReference: p.invoiceReference,
      invoiceDate: p.invoiceDate,
      total: moneyFromDb(p.total),
      outstanding: moneyFromDb(p.total).minus(moneyFromDb(p.paid)),
    }))
    .filter((u) => u.outstanding.gt(0));
  const categories = [...new Set(figures.costs.map((c) => c.category))].sort();
  const providers = [...new Set(purchases.map((p) => p.providerName))].sort();
  const totalOf = (key: (typeof SHARE_FIGURES)[number]) => formatMoney(sum(shares.map((s) => s.money[key])));
  return {
    kind: 'pool' as const,
    language: input.language,
    period,
    coop: input.coop,
    pool: input.pool,
    shares: shares.map((s) => ({
      memberId: s.memberId,
      name: s.name,
      laReference: s.laReference,
      opening: formatMoney(s.money.opening),
      contributions: formatMoney(s.money.contributions),
      returnedOnLeaving: formatMoney(s.money.withdrawals),
      sharedCosts: formatMoney(s.money.sharedCosts),
      purchases: formatMoney(s.money.purchases),
      closing: formatMoney(s.money.closing),
    })),
    totals: {
      opening: totalOf('opening'),
      contributions: totalOf('contributions'),
      returnedOnLeaving: totalOf('withdrawals'),
      sharedCosts: totalOf('sharedCosts'),
      purchases: totalOf('purchases'),
      closing: totalOf('closing'),
    },
    costsByCategory: categories.map((category) => {
      const costs = figures.costs.filter((c) => c.category === category);
      return {
        category,
        name: categoryName(input.wording, category),
        total: formatMoney(sum(costs.map((c) => moneyFromDb(c.total)))),
        costs: costs.map((c) => ({
          entryId: c.entryId,
          date: c.date,
          description: c.description,
          total: formatMoney(moneyFromDb(c.total)),
          method: c.method,
          memberCount: c.memberCount,
        })),
      };
    }),
    purchasesByProvider: providers.map((provider) => {
      const bought = purchases.filter((p) => p.providerName === provider);
      const total = sum(bought.map((p) => moneyFromDb(p.total)));
      const alone = sum(bought.map((p) => moneyFromDb(p.individualRateTotal)));
      return {
        provider,
        invoices: bought.length,
        total: formatMoney(total),
        individualRateTotal: formatMoney(alone),
        saving: formatMoney(alone.minus(total)),
      };
    }),
    payments: figures.payments.map((p) => ({ ...p, amount: formatMoney(moneyFromDb(p.amount)) })),
    unpaidInvoices: unpaid.map((u) => ({
      ...u,
      total: formatMoney(u.total),
      outstanding: formatMoney(u.outstanding),
    })),
    unpaidTotal: formatMoney(unpaid.reduce((acc, u) => acc.plus(u.outstanding), ZERO)),
    csvRows: [
      ...shares.map((s) => [s.laReference, s.name, ...SHARE_FIGURES.map((k) => formatMoney(s.money[k]))]),
      ['TOTAL', '', ...SHARE_FIGURES.map(totalOf)],
    ],
  };
}

export type PoolStatementModel = ReturnType<typeof buildPoolStatement>;
/** What the JSON format sends and the PDF draws: the model without its CSV. */
export type PoolStatement = Omit<PoolStatementModel, 'csvRows'>;
