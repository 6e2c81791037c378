import { z } from 'zod';
import { renderCsv } from '../../domain/csv';
import { parseMoney } from '../../domain/money';
import { memberFigure } from '../../domain/ledger';
import { buildHolderStatement } from '../../domain/statements/holder-statement';
import { categoryName } from '../../domain/statements/wording';
import { buildLaStatement } from '../../domain/statements/la-statement';
import { POOL_STATEMENT_CSV_COLUMNS, buildPoolStatement } from '../../domain/statements/pool-statement';
import { holderCsvColumns } from '../../services/statements/holder-statement';
import { WORDING } from '../../services/statements/wording';
import { EXAMPLE_ID, type MediaDoc, binaryFile, textFile } from '../openapi-docs';
import { Id, MoneyOut } from './schemas';

/**
 * What the three statements look like in each format, for the OpenAPI document: the JSON bodies as zod schemas
 * (documentation only; a statement's bytes are sent as issued, never re-serialised), and examples built by the
 * statements' own builders from a small example ledger, so the examples have exactly the shape real statements have.
 */

const Period = z.object({ from: z.string(), to: z.string() });
const Language = z.enum(['en', 'cy']);
const Money = MoneyOut;
const NullableMoney = MoneyOut.nullable();

const PoolShareFigure = z.object({ poolAccountId: Id, name: z.string(), share: Money });
const Balances = z.object({ funds: Money, pools: z.array(PoolShareFigure), total: Money });

export const HolderStatementJson = z
  .object({
    kind: z.literal('holder'),
    title: z.string(),
    language: Language,
    period: Period,
    coop: z.object({ name: z.string() }),
    member: z.object({ id: Id, name: z.string(), laReference: z.string().nullable() }),
    localAuthority: z.object({ code: z.string(), name: z.string() }).nullable(),
    accounts: z.object({
      funds: z.string().meta({ description: 'What the running figure of their own funds is called.' }),
      pools: z.array(z.object({ poolAccountId: Id, name: z.string() })),
    }),
    opening: Balances,
    movements: z.array(
      z.object({
        entryId: Id,
        date: z.string(),
        description: z.string(),
        categories: z.array(z.string()),
        funds: z.object({ in: NullableMoney, out: NullableMoney, balance: Money }),
        pools: z.array(
          z.object({ poolAccountId: Id, name: z.string(), in: NullableMoney, out: NullableMoney, share: Money }),
        ),
        total: Money,
      }),
    ),
    sharedCosts: z.array(
      z.object({
        entryId: Id,
        date: z.string(),
        pool: z.string(),
        category: z.string(),
        categoryName: z.string(),
        description: z.string(),
        total: Money,
        method: z.string(),
        memberCount: z.number().int(),
        share: Money,
        text: z.string().meta({ description: 'The line as the statement prints it, in its language.' }),
      }),
    ),
    purchases: z.array(
      z.object({
        purchaseId: Id,
        date: z.string(),
        provider: z.string(),
        invoiceReference: z.string(),
        amount: Money,
        individualAmount: Money,
        saving: Money,
      }),
    ),
    closing: Balances,
    award: z.object({ amount: Money, frequency: z.string(), weekly: Money }).nullable(),
    closingWeeksOfAward: z
      .string()
      .nullable()
      .meta({ description: 'The closing total in weeks of award, e.g. "6.4".' }),
    surplusThresholdWeeks: z.number().int().nullable(),
    surplusThresholdAmount: NullableMoney,
    surplusAboveThreshold: NullableMoney,
  })
  .meta({
    description:
      "A holder's statement: every movement with running figures, from the opening balances to the closing ones.",
  });

const ShareFigures = {
  opening: Money,
  contributions: Money,
  returnedOnLeaving: Money,
  sharedCosts: Money,
  purchases: Money,
  closing: Money,
};

export const PoolStatementJson = z
  .object({
    kind: z.literal('pool'),
    language: Language,
    period: Period,
    coop: z.object({ name: z.string() }),
    pool: z.object({ id: Id, name: z.string(), code: z.string() }),
    shares: z.array(z.object({ memberId: Id, name: z.string(), laReference: z.string(), ...ShareFigures })),
    totals: z.object(ShareFigures),
    costsByCategory: z.array(
      z.object({
        category: z.string(),
        name: z.string(),
        total: Money,
        costs: z.array(
          z.object({
            entryId: Id,
            date: z.string(),
            description: z.string(),
            total: Money,
            method: z.string(),
            memberCount: z.number().int(),
          }),
        ),
      }),
    ),
    purchasesByProvider: z.array(
      z.object({
        provider: z.string(),
        invoices: z.number().int(),
        total: Money,
        individualRateTotal: Money,
        saving: Money,
      }),
    ),
    payments: z.array(
      z.object({ date: z.string(), providerName: z.string(), invoiceReference: z.string(), amount: Money }),
    ),
    unpaidInvoices: z.array(
      z.object({
        purchaseId: Id,
        providerName: z.string(),
        invoiceReference: z.string(),
        invoiceDate: z.string(),
        total: Money,
        outstanding: Money,
      }),
    ),
    unpaidTotal: Money,
  })
  .meta({
    description: "A pool's statement: each member's share from opening to closing, costs, purchases, payments.",
  });

const LaFigures = {
  opening: Money,
  dpReceived: Money,
  spendTotal: Money,
  sharedCosts: Money,
  returnedToLa: Money,
  closing: Money,
};

export const LaStatementJson = z
  .object({
    kind: z.literal('local_authority'),
    language: Language,
    period: Period,
    localAuthority: z.object({ id: Id, code: z.string(), name: z.string(), surplusThresholdWeeks: z.number().int() }),
    coop: z
      .object({ id: Id, name: z.string() })
      .nullable()
      .meta({ description: 'The co-op of a one-co-op statement; null across every co-op (each row names its own).' }),
    coops: z.array(
      z.object({
        id: Id,
        name: z.string(),
        holders: z.number().int(),
        bankReconciled: z.boolean(),
        reconciledThrough: z.string().nullable(),
      }),
    ),
    bankReconciled: z
      .boolean()
      .meta({ description: "Whether the co-op's bank is reconciled through the period's end." }),
    reconciledThrough: z.string().nullable(),
    holders: z.array(
      z.object({
        memberId: Id,
        coopId: Id,
        coopName: z.string(),
        laReference: z.string(),
        name: z.string(),
        spend: z.array(z.object({ category: z.string(), own: Money, pooled: Money })).meta({
          description: 'Spend by category, from their own funds and from pool shares; categories with none left out.',
        }),
        weeklyAward: NullableMoney,
        closingWeeksOfAward: z.string().nullable(),
        surplusAboveThreshold: NullableMoney,
        ...LaFigures,
      }),
    ),
    totals: z.object({ holders: z.number().int(), surplusAboveThreshold: Money, ...LaFigures }),
  })
  .meta({ description: "A local authority's monitoring statement: a row per holder of the LA, and totals." });

// ---------------------------------------------------------------------------------------------------------------
// Examples, built by the statements' own builders

const period = { from: '2026-11-01', to: '2026-11-30' };
const money = parseMoney;
const {
  member,
  otherMember,
  fundsAccount,
  shareAccount,
  entry,
  contribution,
  sharedCost,
  purchase,
  coop,
  localAuthority,
} = EXAMPLE_ID;

const holderStatement = buildHolderStatement({
  member: { id: member, name: 'Gwenllian Ŵyn', laReference: 'DP-1000' },
  coop: { name: 'Cronfa Gofal' },
  localAuthority: { code: 'WXM', name: 'Wrexham County Borough Council', surplusThresholdWeeks: 8 },
  period,
  language: 'en',
  wording: WORDING.en,
  accounts: [
    { id: fundsAccount, kind: 'holder_funds', poolName: null, opening: memberFigure('0.00') },
    { id: shareAccount, kind: 'pool_share', poolName: 'Shared PA team', opening: memberFigure('0.00') },
  ],
  movements: [
    {
      entryId: entry,
      valueDate: '2026-11-02',
      kind: 'dp_receipt',
      memo: 'DP receipt WXM-DP-1000-NOV',
      reference: 'WXM-DP-1000-NOV',
      providerName: null,
      costDescription: null,
      poolName: null,
      accountId: fundsAccount,
      category: null,
      amount: memberFigure('424.80'),
    },
    ...[fundsAccount, shareAccount].map((accountId, i) => ({
      entryId: contribution,
      valueDate: '2026-11-03',
      kind: 'pool_contribution',
      memo: 'Contribution',
      reference: null,
      providerName: null,
      costDescription: null,
      poolName: 'Shared PA team',
      accountId,
      category: null,
      amount: memberFigure(i === 0 ? '-240.00' : '240.00'),
    })),
    {
      entryId: sharedCost,
      valueDate: '2026-11-20',
      kind: 'shared_cost',
      memo: 'Bookkeeper, November',
      reference: null,
      providerName: null,
      costDescription: 'Bookkeeper, November',
      poolName: 'Shared PA team',
      accountId: shareAccount,
      category: 'admin',
      amount: memberFigure('-15.00'),
    },
  ],
  sharedCosts: [
    {
      entryId: sharedCost,
      valueDate: '2026-11-20',
      poolName: 'Shared PA team',
      category: 'admin',
      description: 'Bookkeeper, November',
      total: money('30.00'),
      method: 'equal',
      memberCount: 2,
      share: money('15.00'),
    },
  ],
  purchases: [],
  award: { amount: money('212.40'), frequency: 'weekly' },
});

/** The holder CSV as the statement service writes it: an opening row, a row per entry, a closing row. */
const holderCsvEnds = (date: string, label: string, balances: typeof holderStatement.opening) => [
  date,
  label,
  '',
  '',
  '',
  balances.funds,
  ...balances.pools.flatMap((p) => ['', '', p.share]),
  balances.total,
];
const holderCsvExample = renderCsv(holderCsvColumns(holderStatement), [
  holderCsvEnds(period.from, WORDING.en.openingBalance, holderStatement.opening),
  ...holderStatement.movements.map((m) => [
    m.date,
    m.description,
    m.categories.map((c) => categoryName(WORDING.en, c)).join('; '),
    m.funds.in ?? '',
    m.funds.out ?? '',
    m.funds.balance,
    ...m.pools.flatMap((p) => [p.in ?? '', p.out ?? '', p.share]),
    m.total,
  ]),
  holderCsvEnds(period.to, WORDING.en.closingBalance, holderStatement.closing),
]);

const { csvRows: poolCsvRows, ...poolStatement } = buildPoolStatement({
  pool: { id: EXAMPLE_ID.pool, name: 'Shared PA team', code: 'shared-pa-team' },
  coop: { name: 'Cronfa Gofal' },
  period,
  language: 'en',
  wording: WORDING.en,
  figures: {
    shares: [
      { memberId: member, name: 'Gwenllian Ŵyn', laReference: 'DP-1000', opening: '0', contributions: '240.00' },
      { memberId: otherMember, name: 'Dafydd Tŷ-Gwyn', laReference: 'DP-1001', opening: '0', contributions: '240.00' },
    ].map((s) => ({ ...s, withdrawals: '0', sharedCosts: '15.00', purchases: '0', closing: '225.00' })),
    costs: [
      {
        entryId: sharedCost,
        date: '2026-11-20',
        category: 'admin',
        description: 'Bookkeeper, November',
        total: '30.00',
        method: 'equal',
        memberCount: 2,
      },
    ],
    purchases: [
      {
        purchaseId: purchase,
        providerName: 'Cydweithfa Cymorth Wrecsam',
        invoiceReference: 'CCW-118',
        invoiceDate: '2026-11-20',
        total: '202.80',
        individualRateTotal: '220.80',
        paid: '0',
        reversed: false,
      },
    ],
    payments: [],
  },
});

const {
  csvColumns: laCsvColumns,
  csvRows: laCsvRows,
  ...laStatement
} = buildLaStatement({
  localAuthority: { id: localAuthority, code: 'WXM', name: 'Wrexham County Borough Council', surplusThresholdWeeks: 8 },
  coopId: coop,
  coops: [{ id: coop, name: 'Cronfa Gofal', reconciledThrough: '2026-10-31' }],
  period,
  language: 'en',
  figures: {
    holders: [
      {
        memberId: member,
        coopId: coop,
        name: 'Gwenllian Ŵyn',
        laReference: 'DP-1000',
        award: { amount: '212.40', frequency: 'weekly' },
      },
    ],
    balances: [{ memberId: member, opening: '0', received: '424.80', returned: '0', closing: '409.80' }],
    spending: [
      { memberId: member, accountKind: 'pool_share', category: 'admin', entryKind: 'shared_cost', spent: '15.00' },
    ],
  },
});

const pdf = binaryFile(
  'application/pdf',
  "A tagged, accessible PDF in the statement's language, with the DejaVu Sans font embedded.",
);

/** The three formats of a statement: `format=json` (default), `csv` or `pdf`. */
function statementContent(
  json: z.ZodType,
  example: unknown,
  csvDescription: string,
  csv: string,
): Record<string, MediaDoc> {
  return {
    'application/json': { schema: json, example },
    'text/csv': textFile(csvDescription, csv),
    'application/pdf': pdf,
  };
}

export const HOLDER_STATEMENT_CONTENT = statementContent(
  HolderStatementJson,
  holderStatement,
  'One row per entry between an opening and a closing row; after `date,description,category,funds_in,funds_out,' +
    'funds_balance`, three columns for each pool (`pool_in:<name>,pool_out:<name>,pool_share:<name>`), then `total`.',
  holderCsvExample,
);

export const POOL_STATEMENT_CONTENT = statementContent(
  PoolStatementJson,
  poolStatement,
  `Columns \`${POOL_STATEMENT_CSV_COLUMNS.join(',')}\`, one row per member and a final \`TOTAL\` row.`,
  renderCsv(POOL_STATEMENT_CSV_COLUMNS, poolCsvRows),
);

export const LA_STATEMENT_CONTENT = statementContent(
  LaStatementJson,
  laStatement,
  'One row per holder and a final `TOTAL` row. Columns: `la_reference,holder_name` (then `coop_name,' +
    'coop_reconciled_through` across every co-op), `opening_balance,dp_received`, `spend_own_<category>,' +
    'spend_pooled_<category>` for every spending category, `spend_total,shared_costs,returned_to_la,closing_balance,' +
    'weekly_award,closing_weeks_of_award,surplus_threshold_weeks,surplus_above_threshold`.',
  renderCsv(laCsvColumns, laCsvRows),
);
