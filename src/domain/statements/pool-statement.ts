import { type Money, ZERO, formatMoney, sum } from '../money';

/**
 * A pool statement for treasurers: each member's share moving from opening to closing (contributions in, money
 * returned on leaving, shared costs and purchases out), costs by category with their splits, purchases by provider,
 * payments made, and invoices still owed at the end of the period.
 */
export interface PoolShareFigures {
  memberId: string;
  name: string;
  laReference: string;
  opening: Money;
  contributions: Money;
  withdrawals: Money;
  sharedCosts: Money;
  purchases: Money;
  closing: Money;
}

export interface PoolStatementInput {
  pool: { id: string; name: string; code: string };
  period: { from: string; to: string };
  shares: PoolShareFigures[];
  costs: {
    entryId: string;
    date: string;
    category: string;
    description: string;
    total: Money;
    method: string;
    memberCount: number;
  }[];
  purchases: {
    purchaseId: string;
    providerName: string;
    invoiceReference: string;
    invoiceDate: string;
    total: Money;
    individualRateTotal: Money;
  }[];
  payments: { date: string; providerName: string; invoiceReference: string; amount: Money }[];
  unpaid: {
    purchaseId: string;
    providerName: string;
    invoiceReference: string;
    invoiceDate: string;
    total: Money;
    outstanding: Money;
  }[];
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

export function buildPoolStatement(input: PoolStatementInput) {
  const categories = [...new Set(input.costs.map((c) => c.category))].sort();
  const providers = [...new Set(input.purchases.map((p) => p.providerName))].sort();
  const totalOf = (pick: (s: PoolShareFigures) => Money) => formatMoney(sum(input.shares.map(pick)));
  const shareRow = (s: PoolShareFigures) => ({
    memberId: s.memberId,
    name: s.name,
    laReference: s.laReference,
    opening: formatMoney(s.opening),
    contributions: formatMoney(s.contributions),
    returnedOnLeaving: formatMoney(s.withdrawals),
    sharedCosts: formatMoney(s.sharedCosts),
    purchases: formatMoney(s.purchases),
    closing: formatMoney(s.closing),
  });
  return {
    kind: 'pool' as const,
    period: input.period,
    pool: input.pool,
    shares: input.shares.map(shareRow),
    totals: {
      opening: totalOf((s) => s.opening),
      contributions: totalOf((s) => s.contributions),
      returnedOnLeaving: totalOf((s) => s.withdrawals),
      sharedCosts: totalOf((s) => s.sharedCosts),
      purchases: totalOf((s) => s.purchases),
      closing: totalOf((s) => s.closing),
    },
    costsByCategory: categories.map((category) => {
      const costs = input.costs.filter((c) => c.category === category);
      return {
        category,
        total: formatMoney(sum(costs.map((c) => c.total))),
        costs: costs.map((c) => ({
          entryId: c.entryId,
          date: c.date,
          description: c.description,
          total: formatMoney(c.total),
          method: c.method,
          memberCount: c.memberCount,
        })),
      };
    }),
    purchasesByProvider: providers.map((provider) => {
      const bought = input.purchases.filter((p) => p.providerName === provider);
      const total = sum(bought.map((p) => p.total));
      const alone = sum(bought.map((p) => p.individualRateTotal));
      return {
        provider,
        invoices: bought.length,
        total: formatMoney(total),
        individualRateTotal: formatMoney(alone),
        saving: formatMoney(alone.minus(total)),
      };
    }),
    payments: input.payments.map((p) => ({ ...p, amount: formatMoney(p.amount) })),
    unpaidInvoices: input.unpaid.map((u) => ({
      ...u,
      total: formatMoney(u.total),
      outstanding: formatMoney(u.outstanding),
    })),
    unpaidTotal: formatMoney(input.unpaid.reduce((acc, u) => acc.plus(u.outstanding), ZERO)),
    csvRows: [
      ...input.shares.map((s) => [
        s.laReference,
        s.name,
        ...[s.opening, s.contributions, s.withdrawals, s.sharedCosts, s.purchases, s.closing].map(formatMoney),
      ]),
      [
        'TOTAL',
        '',
        ...(['opening', 'contributions', 'withdrawals', 'sharedCosts', 'purchases', 'closing'] as const).map((k) =>
          totalOf((s) => s[k]),
        ),
      ],
    ],
  };
}
