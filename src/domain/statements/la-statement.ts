import { SPENDING_CATEGORIES } from '../categories';
import { Decimal, type Money, ZERO, formatMoney, sum, toPennies } from '../money';
import { weeklyAward } from './holder-statement';

/**
 * The local authority's monitoring statement for one co-op and period: a row per holder of the LA, and totals.
 * Figures are member money (positive); spend is split into the holder's own funds and their pooled shares.
 */
export interface LaHolderFigures {
  memberId: string;
  name: string;
  laReference: string;
  opening: Money;
  dpReceived: Money;
  /** Spend by category and by where the money came from. */
  spend: { category: string; source: 'own' | 'pooled'; amount: Money }[];
  sharedCosts: Money;
  /** Unspent money the LA recovered from the holder's funds in the period. */
  returnedToLa: Money;
  closing: Money;
  award: { amount: Money; frequency: string } | null;
}

export interface LaStatementInput {
  localAuthority: { id: string; code: string; name: string; surplusThresholdWeeks: number };
  coop: { id: string; name: string };
  period: { from: string; to: string };
  language: 'en' | 'cy';
  reconciledThrough: string | null;
  holders: LaHolderFigures[];
}

export const LA_STATEMENT_CSV_COLUMNS = [
  'la_reference',
  'holder_name',
  'opening_balance',
  'dp_received',
  ...SPENDING_CATEGORIES.flatMap((c) => [`spend_own_${c}`, `spend_pooled_${c}`]),
  'spend_total',
  'shared_costs',
  'returned_to_la',
  'closing_balance',
  'weekly_award',
  'closing_weeks_of_award',
  'surplus_threshold_weeks',
  'surplus_above_threshold',
] as const;

export function buildLaStatement(input: LaStatementInput) {
  const threshold = input.localAuthority.surplusThresholdWeeks;
  const rows = input.holders.map((h) => {
    const weekly = h.award ? weeklyAward(h.award) : null;
    const surplus = weekly ? Decimal.max(ZERO, h.closing.minus(weekly.mul(threshold))) : null;
    const spendOf = (category: string, source: 'own' | 'pooled') =>
      sum(h.spend.filter((s) => s.category === category && s.source === source).map((s) => s.amount));
    return {
      memberId: h.memberId,
      laReference: h.laReference,
      name: h.name,
      opening: h.opening,
      dpReceived: h.dpReceived,
      spend: SPENDING_CATEGORIES.map((category) => ({
        category,
        own: spendOf(category, 'own'),
        pooled: spendOf(category, 'pooled'),
      })),
      spendTotal: sum(h.spend.map((s) => s.amount)),
      sharedCosts: h.sharedCosts,
      returnedToLa: h.returnedToLa,
      closing: h.closing,
      weeklyAward: weekly ? toPennies(weekly, Decimal.ROUND_HALF_UP) : null,
      weeksOfAward: weekly && !weekly.isZero() ? h.closing.div(weekly).toFixed(1, Decimal.ROUND_HALF_UP) : null,
      surplus: surplus ? toPennies(surplus, Decimal.ROUND_HALF_UP) : null,
    };
  });
  const total = (pick: (r: (typeof rows)[number]) => Money | null) =>
    formatMoney(sum(rows.map((r) => pick(r) ?? ZERO)));
  return {
    kind: 'local_authority' as const,
    language: input.language,
    period: input.period,
    localAuthority: {
      id: input.localAuthority.id,
      code: input.localAuthority.code,
      name: input.localAuthority.name,
      surplusThresholdWeeks: threshold,
    },
    coop: input.coop,
    bankReconciled: input.reconciledThrough !== null && input.reconciledThrough >= input.period.to,
    reconciledThrough: input.reconciledThrough,
    holders: rows.map((r) => ({
      memberId: r.memberId,
      laReference: r.laReference,
      name: r.name,
      opening: formatMoney(r.opening),
      dpReceived: formatMoney(r.dpReceived),
      spend: r.spend
        .filter((s) => !s.own.isZero() || !s.pooled.isZero())
        .map((s) => ({ category: s.category, own: formatMoney(s.own), pooled: formatMoney(s.pooled) })),
      spendTotal: formatMoney(r.spendTotal),
      sharedCosts: formatMoney(r.sharedCosts),
      returnedToLa: formatMoney(r.returnedToLa),
      closing: formatMoney(r.closing),
      weeklyAward: r.weeklyAward ? formatMoney(r.weeklyAward) : null,
      closingWeeksOfAward: r.weeksOfAward,
      surplusAboveThreshold: r.surplus ? formatMoney(r.surplus) : null,
    })),
    totals: {
      holders: rows.length,
      opening: total((r) => r.opening),
      dpReceived: total((r) => r.dpReceived),
      spendTotal: total((r) => r.spendTotal),
      sharedCosts: total((r) => r.sharedCosts),
      returnedToLa: total((r) => r.returnedToLa),
      closing: total((r) => r.closing),
      surplusAboveThreshold: total((r) => r.surplus),
    },
    csvRows: [
      ...rows.map((r) => csvRow(r.laReference, r.name, r)),
      csvRow('TOTAL', '', {
        opening: sum(rows.map((r) => r.opening)),
        dpReceived: sum(rows.map((r) => r.dpReceived)),
        spend: SPENDING_CATEGORIES.map((category) => ({
          category,
          own: sum(rows.map((r) => r.spend.find((s) => s.category === category)!.own)),
          pooled: sum(rows.map((r) => r.spend.find((s) => s.category === category)!.pooled)),
        })),
        spendTotal: sum(rows.map((r) => r.spendTotal)),
        sharedCosts: sum(rows.map((r) => r.sharedCosts)),
        returnedToLa: sum(rows.map((r) => r.returnedToLa)),
        closing: sum(rows.map((r) => r.closing)),
        weeklyAward: null,
        weeksOfAward: null,
        surplus: sum(rows.map((r) => r.surplus ?? ZERO)),
      }),
    ],
  };

  function csvRow(
    reference: string,
    name: string,
    r: {
      opening: Money;
      dpReceived: Money;
      spend: { own: Money; pooled: Money }[];
      spendTotal: Money;
      sharedCosts: Money;
      returnedToLa: Money;
      closing: Money;
      weeklyAward: Money | null;
      weeksOfAward: string | null;
      surplus: Money | null;
    },
  ): string[] {
    return [
      reference,
      name,
      formatMoney(r.opening),
      formatMoney(r.dpReceived),
      ...r.spend.flatMap((s) => [formatMoney(s.own), formatMoney(s.pooled)]),
      formatMoney(r.spendTotal),
      formatMoney(r.sharedCosts),
      formatMoney(r.returnedToLa),
      formatMoney(r.closing),
      r.weeklyAward ? formatMoney(r.weeklyAward) : '',
      r.weeksOfAward ?? '',
      String(threshold),
      r.surplus ? formatMoney(r.surplus) : '',
    ];
  }
}
