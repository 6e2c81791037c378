import { SPENDING_CATEGORIES } from '../categories';
import { InvariantError } from '../errors';
import { Decimal, type Money, ZERO, formatMoney, moneyFromDb, sum, toPennies } from '../money';
import { weeklyAward } from '../holder-standing';

/**
 * The local authority's monitoring statement for a period: a row per holder of the LA, and totals, for one co-op or
 * for every co-op where the LA has holders. Figures are member money (positive); spend is split into the holder's own
 * funds and their pooled shares. Built from the figures as the database gives them (money as NUMERIC text), so that
 * the figures can be handed to a render thread as they are.
 */
export interface LaHolderRow {
  memberId: string;
  coopId: string;
  name: string;
  laReference: string;
  award: { amount: string; frequency: string } | null;
}

export interface LaBalanceRow {
  memberId: string;
  opening: string;
  received: string;
  returned: string;
  closing: string;
}

export interface LaSpendRow {
  memberId: string;
  accountKind: string;
  category: string;
  entryKind: string;
  spent: string;
}

/** The per-holder figures: the bulk of a statement, kept together so they can travel as one JSON text. */
export interface LaStatementFigures {
  holders: LaHolderRow[];
  balances: LaBalanceRow[];
  spending: LaSpendRow[];
}

export interface LaStatementInput {
  localAuthority: { id: string; code: string; name: string; surplusThresholdWeeks: number };
  /** The co-op the statement is for, or null for every co-op where the LA has holders. */
  coopId: string | null;
  /** The co-ops the rows belong to, named in the statement's language; reconciled through at most the period's end. */
  coops: { id: string; name: string; reconciledThrough: string | null }[];
  period: { from: string; to: string };
  language: 'en' | 'cy';
  figures: LaStatementFigures;
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

/** The statement across every co-op: each row also names its co-op and how far that co-op's bank is reconciled. */
export const LA_STATEMENT_ALL_COOPS_CSV_COLUMNS = [
  ...LA_STATEMENT_CSV_COLUMNS.slice(0, 2),
  'coop_name',
  'coop_reconciled_through',
  ...LA_STATEMENT_CSV_COLUMNS.slice(2),
] as const;

/** Rows in LA reference order (a person in two co-ops has a row for each, side by side), then co-op, then id. */
const byReference = (a: { laReference: string; coopName: string; memberId: string }, b: typeof a) =>
  compare(a.laReference, b.laReference) || compare(a.coopName, b.coopName) || compare(a.memberId, b.memberId);
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

type LaRow = ReturnType<typeof holderRow>;

/** One holder's row: their figures from the ledger, spend split by category into own funds and pooled shares. */
function holderRow(
  h: LaHolderRow & { coopName: string },
  coopReconciledThrough: string | null,
  balance: LaBalanceRow | undefined,
  spent: readonly LaSpendRow[],
  threshold: number,
) {
  const closing = moneyFromDb(balance?.closing ?? '0');
  const award = h.award ? { amount: moneyFromDb(h.award.amount), frequency: h.award.frequency } : null;
  const weekly = award ? weeklyAward(award) : null;
  const surplus = weekly ? Decimal.max(ZERO, closing.minus(weekly.mul(threshold))) : null;
  const own = new Map<string, Money>();
  const pooled = new Map<string, Money>();
  let spendTotal = ZERO;
  let sharedCosts = ZERO;
  for (const s of spent) {
    const amount = moneyFromDb(s.spent);
    const bySource = s.accountKind === 'holder_funds' ? own : pooled;
    bySource.set(s.category, (bySource.get(s.category) ?? ZERO).plus(amount));
    spendTotal = spendTotal.plus(amount);
    if (s.entryKind === 'shared_cost') sharedCosts = sharedCosts.plus(amount);
  }
  const row = {
    memberId: h.memberId,
    coopId: h.coopId,
    coopName: h.coopName,
    coopReconciledThrough,
    laReference: h.laReference,
    name: h.name,
    opening: moneyFromDb(balance?.opening ?? '0'),
    dpReceived: moneyFromDb(balance?.received ?? '0'),
    spend: SPENDING_CATEGORIES.map((category) => ({
      category,
      own: own.get(category) ?? ZERO,
      pooled: pooled.get(category) ?? ZERO,
    })),
    spendTotal,
    sharedCosts,
    returnedToLa: moneyFromDb(balance?.returned ?? '0'),
    closing,
    weeklyAward: weekly ? toPennies(weekly, Decimal.ROUND_HALF_UP) : null,
    weeksOfAward: weekly && !weekly.isZero() ? closing.div(weekly).toFixed(1, Decimal.ROUND_HALF_UP) : null,
    surplus: surplus ? toPennies(surplus, Decimal.ROUND_HALF_UP) : null,
  };
  assertRowAddsUp(row);
  return row;
}

/**
 * A holder's row adds up, or the statement is not issued (InvariantError): spend by category is the spend total,
 * and the closing balance is the opening one plus Direct Payments received, less spend and less what was returned
 * to the LA. Money moved between the holder's own funds and their pool shares leaves both sides' sum as it was, and
 * every other movement of member money is one of those columns.
 */
function assertRowAddsUp(row: {
  memberId: string;
  opening: Money;
  dpReceived: Money;
  spend: { own: Money; pooled: Money }[];
  spendTotal: Money;
  returnedToLa: Money;
  closing: Money;
}): void {
  const byCategory = sum(row.spend.map((s) => s.own.plus(s.pooled)));
  if (!byCategory.eq(row.spendTotal)) {
    throw new InvariantError(
      `LA statement: holder ${row.memberId}'s spend by category (${formatMoney(byCategory)}) is not their spend total (${formatMoney(row.spendTotal)})`,
    );
  }
  const moved = row.opening.plus(row.dpReceived).minus(row.spendTotal).minus(row.returnedToLa);
  if (!moved.eq(row.closing)) {
    throw new InvariantError(
      `LA statement: holder ${row.memberId}'s opening and movements come to ${formatMoney(moved)}, not their closing ${formatMoney(row.closing)}`,
    );
  }
}

export function buildLaStatement(input: LaStatementInput) {
  const threshold = input.localAuthority.surplusThresholdWeeks;
  const allCoops = input.coopId === null;
  const coopOf = new Map(input.coops.map((c) => [c.id, c]));
  // Indexed by member: a linear search per holder would make a 10,000-holder statement quadratic.
  const balanceOf = new Map(input.figures.balances.map((b) => [b.memberId, b]));
  const spendingOf = new Map<string, LaSpendRow[]>();
  for (const row of input.figures.spending) {
    const rows = spendingOf.get(row.memberId);
    if (rows) rows.push(row);
    else spendingOf.set(row.memberId, [row]);
  }
  const rows = input.figures.holders
    .map((h) => ({ ...h, coopName: coopOf.get(h.coopId)?.name ?? '' }))
    .sort(byReference)
    .map((h) =>
      holderRow(
        h,
        coopOf.get(h.coopId)?.reconciledThrough ?? null,
        balanceOf.get(h.memberId),
        spendingOf.get(h.memberId) ?? [],
        threshold,
      ),
    );
  const total = (pick: (r: LaRow) => Money | null) => sum(rows.map((r) => pick(r) ?? ZERO));
  const reconciled = (through: string | null) => through !== null && through >= input.period.to;
  const coops = input.coops.map((c) => ({
    id: c.id,
    name: c.name,
    holders: rows.filter((r) => r.coopId === c.id).length,
    bankReconciled: reconciled(c.reconciledThrough),
    reconciledThrough: c.reconciledThrough,
  }));
  const oneCoop = allCoops ? null : (coops.find((c) => c.id === input.coopId) ?? null);
  // Across co-ops, the bank is reconciled as far as the least reconciled co-op's.
  const throughs = coops.map((c) => c.reconciledThrough);
  const reconciledThrough = oneCoop
    ? oneCoop.reconciledThrough
    : throughs.length > 0 && throughs.every((t) => t !== null)
      ? (throughs as string[]).reduce((a, b) => (b < a ? b : a))
      : null;
  const totals = {
    opening: total((r) => r.opening),
    dpReceived: total((r) => r.dpReceived),
    spend: SPENDING_CATEGORIES.map((category, i) => ({
      category,
      own: total((r) => r.spend[i]!.own),
      pooled: total((r) => r.spend[i]!.pooled),
    })),
    spendTotal: total((r) => r.spendTotal),
    sharedCosts: total((r) => r.sharedCosts),
    returnedToLa: total((r) => r.returnedToLa),
    closing: total((r) => r.closing),
    weeklyAward: null,
    weeksOfAward: null,
    surplus: total((r) => r.surplus),
  };
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
    /** The co-op of a one-co-op statement; null across every co-op (each row names its own). */
    coop: oneCoop ? { id: oneCoop.id, name: oneCoop.name } : null,
    coops,
    bankReconciled: reconciled(reconciledThrough) && coops.length > 0,
    reconciledThrough,
    holders: rows.map((r) => ({
      memberId: r.memberId,
      coopId: r.coopId,
      coopName: r.coopName,
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
      opening: formatMoney(totals.opening),
      dpReceived: formatMoney(totals.dpReceived),
      spendTotal: formatMoney(totals.spendTotal),
      sharedCosts: formatMoney(totals.sharedCosts),
      returnedToLa: formatMoney(totals.returnedToLa),
      closing: formatMoney(totals.closing),
      surplusAboveThreshold: formatMoney(totals.surplus),
    },
    csvColumns: allCoops ? LA_STATEMENT_ALL_COOPS_CSV_COLUMNS : LA_STATEMENT_CSV_COLUMNS,
    csvRows: [
      ...rows.map((r) =>
        csvRow(allCoops, threshold, [r.laReference, r.name], [r.coopName, r.coopReconciledThrough ?? ''], r),
      ),
      csvRow(allCoops, threshold, ['TOTAL', ''], ['', ''], totals),
    ],
  };
}

/** A CSV row of the statement: a holder's, or the TOTAL row. */
function csvRow(
  allCoops: boolean,
  threshold: number,
  names: [string, string],
  coop: [string, string],
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
    ...names,
    ...(allCoops ? coop : []),
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

export type LaStatementModel = ReturnType<typeof buildLaStatement>;
/** What the JSON format sends and the PDF draws: the model without its CSV. */
export type LaStatement = Omit<LaStatementModel, 'csvColumns' | 'csvRows'>;
