import { z } from 'zod';
import { anyOf, holderOfCoop, laOfficer, treasurerOfCoop } from '../../auth/permissions';
import { PROVIDER_KINDS, SHARED_COST_CATEGORIES } from '../../domain/categories';
import { RATE_UNITS, TIER_PERIODS } from '../../domain/vocabulary';
import { getProvider, createProvider, listProviders, putRateCard } from '../../services/providers';
import { PURCHASE_STATUSES, getPurchase, listPurchases, payPurchase, recordPurchase } from '../../services/purchases';
import { purchasingPowerReport, quotePool } from '../../services/purchasing-power';
import { postSharedCost, previewSharedCost } from '../../services/shared-costs';
import { moneyWriteOf, sendMoneyWrite } from '../money-write';
import { EXAMPLE_ID, EXAMPLE_TIME, documented, examplePage } from '../openapi-docs';
import {
  Allocation,
  CalendarDate,
  CoopParams,
  Id,
  IdempotencyHeaders,
  MoneyOut,
  PageQuery,
  PoolParams,
  PositiveMoney,
  PositiveQuantity,
  ShortText,
  byMember,
  pageOf,
  pageRequest,
} from './schemas';
import { type App, type RouteDeps, contextOf, typed } from '../route-context';

const SharedCostIn = z.strictObject({
  category: z.enum(SHARED_COST_CATEGORIES),
  description: ShortText,
  amount: PositiveMoney,
  date: CalendarDate,
  providerId: Id.optional(),
  allocation: Allocation,
});
const AllocationOut = z.array(z.object({ memberId: Id, amount: MoneyOut }));

const ServiceType = z
  .string()
  .regex(/^[a-z][a-z0-9_]{1,39}$/, 'lower-case letters, digits and _, e.g. personal_assistance');

const ProviderIn = z.strictObject({
  name: ShortText,
  kind: z.enum(PROVIDER_KINDS),
  ciwNumber: z
    .string()
    .regex(/^[A-Za-z0-9-]{3,30}$/)
    .optional(),
  welshLanguageService: z.boolean(),
  locality: ShortText,
});
const RateCardIn = z.strictObject({
  services: z
    .array(
      z.strictObject({
        serviceType: ServiceType,
        unit: z.enum(RATE_UNITS),
        individualRate: PositiveMoney,
        tierPeriod: z.enum(TIER_PERIODS),
        tiers: z.array(z.strictObject({ minUnits: PositiveQuantity, rate: PositiveMoney })).max(20),
      }),
    )
    .min(1)
    .max(50),
});
const RateCardOut = z.object({
  services: z.array(
    z.object({
      serviceType: z.string(),
      unit: z.string(),
      individualRate: MoneyOut,
      tierPeriod: z.string(),
      tiers: z.array(z.object({ minUnits: z.string(), rate: MoneyOut })),
    }),
  ),
});
const Provider = z.object({
  id: Id,
  coopId: Id,
  name: z.string(),
  kind: z.string(),
  ciwNumber: z.string().nullable(),
  welshLanguageService: z.boolean(),
  locality: z.string(),
  createdAt: z.string(),
  rates: RateCardOut.nullable(),
});

const PurchaseIn = z.strictObject({
  providerId: Id,
  poolId: Id.optional(),
  memberId: Id.optional(),
  invoiceReference: z
    .string()
    .min(1)
    .max(60)
    .regex(/^[^\p{Cc}]*$/u),
  invoiceDate: CalendarDate,
  serviceFrom: CalendarDate,
  serviceTo: CalendarDate,
  lines: z
    .array(
      z.strictObject({
        serviceType: ServiceType,
        description: ShortText,
        units: PositiveQuantity,
        unitRate: PositiveMoney,
        memberId: Id.optional(),
      }),
    )
    .min(1)
    .max(200),
  allocation: Allocation.optional(),
});
const Part = z.object({ memberId: Id, amount: MoneyOut, individualAmount: MoneyOut, saving: MoneyOut });
const Warning = z.object({
  line: z.number().int(),
  code: z.enum(['above-card-rate', 'no-card-rate']),
  message: z.string(),
});
const PurchaseCreated = z.object({
  id: Id,
  entryId: Id,
  total: MoneyOut,
  individualRateTotal: MoneyOut,
  saving: MoneyOut,
  allocations: z.array(Part),
  warnings: z
    .array(Warning)
    .meta({ description: "Lines charged above the provider's rate card, or for a service it does not list." }),
});
const Purchase = z.object({
  id: Id,
  entryId: Id,
  providerId: Id,
  poolId: Id.nullable(),
  memberId: Id.nullable(),
  invoiceReference: z.string(),
  invoiceDate: z.string(),
  serviceFrom: z.string(),
  serviceTo: z.string(),
  total: MoneyOut.nullable().meta({
    description: 'Treasurers only; null for a holder or LA officer, who see their parts.',
  }),
  individualRateTotal: MoneyOut.nullable(),
  saving: MoneyOut.nullable(),
  paid: MoneyOut.nullable(),
  outstanding: MoneyOut.nullable(),
  status: z
    .enum(PURCHASE_STATUSES)
    .meta({ description: 'reversed: corrected by a reversal, nothing owed; its invoice reference may be used again.' }),
  reversedBy: Id.nullable().meta({ description: 'The entry that reversed this purchase.' }),
  lines: z.array(
    z.object({
      serviceType: z.string(),
      category: z.string(),
      description: z.string(),
      units: z.string(),
      unitRate: MoneyOut,
      amount: MoneyOut,
      individualRate: MoneyOut,
      memberId: Id.nullable(),
    }),
  ),
  allocations: z.array(Part),
});
const PaymentIn = z.strictObject({ amount: PositiveMoney, paidOn: CalendarDate, reference: ShortText.max(100) });
const Payment = z.object({
  id: Id,
  entryId: Id,
  purchaseId: Id,
  amount: MoneyOut,
  paidOn: z.string(),
  reference: z.string(),
  outstanding: MoneyOut,
});

const QuoteIn = z.strictObject({
  serviceType: ServiceType,
  period: z.enum(TIER_PERIODS),
  units: byMember(PositiveQuantity),
});
const QuoteOut = z.object({
  serviceType: z.string(),
  period: z.string(),
  totalUnits: z.string(),
  providers: z.array(
    z.object({
      providerId: Id,
      name: z.string(),
      kind: z.string(),
      welshLanguageService: z.boolean(),
      unit: z.string(),
      unitRate: MoneyOut,
      total: MoneyOut,
      individualTotal: MoneyOut,
      saving: MoneyOut,
    }),
  ),
});
const ReportQuery = z.strictObject({ from: CalendarDate, to: CalendarDate });
const Report = z.object({
  from: z.string(),
  to: z.string(),
  purchaseCount: z.number().int(),
  spend: MoneyOut,
  individualRateSpend: MoneyOut,
  collectiveSaving: MoneyOut,
  savingPercent: z.string(),
  sharedCosts: MoneyOut,
  spendByProviderKind: z.array(z.object({ kind: z.string(), spend: MoneyOut, sharePercent: z.string() })),
  socialValueProviders: z.object({ kinds: z.array(z.string()), spend: MoneyOut, sharePercent: z.string() }),
  welshLanguageProviders: z.object({ spend: MoneyOut, sharePercent: z.string() }),
  fairPay: z.object({
    realLivingWageHourly: MoneyOut.nullable(),
    effectiveFrom: z.string().nullable(),
    onCostPercent: z.string().nullable(),
    minimumHourlyRate: MoneyOut.nullable(),
    belowMinimum: z.array(
      z.object({
        purchaseId: Id,
        invoiceReference: z.string(),
        providerId: Id,
        providerName: z.string(),
        serviceType: z.string(),
        unitRate: MoneyOut,
        minimumHourlyRate: MoneyOut,
      }),
    ),
  }),
  note: z.string(),
});

const ProviderParams = z.strictObject({ coopId: Id, providerId: Id });
const PurchaseParams = z.strictObject({ coopId: Id, purchaseId: Id });

const M1 = EXAMPLE_ID.member;
const M2 = EXAMPLE_ID.otherMember;
const sharedCostExample = {
  category: 'admin',
  description: 'Bookkeeper, November',
  amount: '30.00',
  date: '2026-11-20',
  allocation: { method: 'equal' },
};
const allocationsExample = [
  { memberId: M1, amount: '15.00' },
  { memberId: M2, amount: '15.00' },
];
const rateCardExample = {
  services: [
    {
      serviceType: 'personal_assistance',
      unit: 'hour',
      individualRate: '18.40',
      tierPeriod: 'week',
      tiers: [{ minUnits: '40', rate: '16.90' }],
    },
  ],
};
const providerExample = {
  id: EXAMPLE_ID.provider,
  coopId: EXAMPLE_ID.coop,
  name: 'Cydweithfa Cymorth Wrecsam',
  kind: 'cooperative',
  ciwNumber: 'SIN-00012345',
  welshLanguageService: true,
  locality: 'Wrecsam',
  createdAt: EXAMPLE_TIME,
  rates: {
    services: [
      {
        serviceType: 'personal_assistance',
        unit: 'hour',
        individualRate: '18.40',
        tierPeriod: 'week',
        tiers: [{ minUnits: '40.00', rate: '16.90' }],
      },
    ],
  },
};
const purchaseRequestExample = {
  providerId: EXAMPLE_ID.provider,
  poolId: EXAMPLE_ID.pool,
  invoiceReference: 'CCW-118',
  invoiceDate: '2026-11-20',
  serviceFrom: '2026-11-09',
  serviceTo: '2026-11-15',
  lines: [{ serviceType: 'personal_assistance', description: 'Shared PA hours', units: '12', unitRate: '16.90' }],
  allocation: { method: 'usage', units: { [M1]: '8', [M2]: '4' } },
};
const partsExample = [
  { memberId: M1, amount: '135.20', individualAmount: '147.20', saving: '12.00' },
  { memberId: M2, amount: '67.60', individualAmount: '73.60', saving: '6.00' },
];
const purchaseExample = {
  id: EXAMPLE_ID.purchase,
  entryId: EXAMPLE_ID.entry,
  providerId: EXAMPLE_ID.provider,
  poolId: EXAMPLE_ID.pool,
  memberId: null,
  invoiceReference: 'CCW-118',
  invoiceDate: '2026-11-20',
  serviceFrom: '2026-11-09',
  serviceTo: '2026-11-15',
  total: '202.80',
  individualRateTotal: '220.80',
  saving: '18.00',
  paid: '0.00',
  outstanding: '202.80',
  status: 'outstanding',
  reversedBy: null,
  lines: [
    {
      serviceType: 'personal_assistance',
      category: 'personal_assistance',
      description: 'Shared PA hours',
      units: '12.00',
      unitRate: '16.90',
      amount: '202.80',
      individualRate: '18.40',
      memberId: null,
    },
  ],
  allocations: partsExample,
};
const noPurchase = 'No purchase with this id in the co-op, or (for a holder or LA officer) none of it is theirs.';
const allocationRules =
  "The `allocation` splits the amount across the pool's members on the date: `equal`, `weights` " +
  '(`{memberId: weight}`), `usage` (`{memberId: units used}`) or `contributions` (in proportion to what each put in ' +
  'between `from` and `to`). Each share is rounded down to the penny and the pennies left over go one each to the ' +
  'largest remainders, ties broken by member id, so the shares sum to the amount and the same request always gives ' +
  'the same split.';

/** Shared costs, providers and their rate cards, purchases and payments, quotes and the purchasing-power report. */
export async function purchasingRoutes(app: App, deps: RouteDeps): Promise<void> {
  const r = typed(app);
  const treasurer = treasurerOfCoop;
  const tags = ['purchasing'];

  r.post(
    '/v1/coops/:coopId/pools/:poolId/costs/preview',
    {
      config: { access: treasurer },
      schema: {
        ...documented({
          operationId: 'previewSharedCost',
          summary: 'Preview how a shared cost would be split',
          description: `The split \`POST …/costs\` would make for the same body, and the members it would charge nothing. Nothing is posted. ${allocationRules}`,
          returns: 'The split.',
          problems: {
            'not-found': 'No such pool, or no provider with `providerId`, in the co-op.',
            unprocessable:
              'The allocation does not fit the pool on `date` (no members, weights summing to zero, a non-member).',
          },
          requestExample: sharedCostExample,
          responseExample: { method: 'equal', allocations: allocationsExample, notCharged: [] },
        }),
        tags,
        params: PoolParams,
        body: SharedCostIn,
        response: {
          200: z.object({
            method: z.string(),
            allocations: AllocationOut,
            notCharged: z
              .array(Id)
              .meta({ description: 'Members of the pool on that date whom this split charges nothing.' }),
          }),
        },
      },
    },
    async (request) =>
      previewSharedCost(contextOf(deps, request), request.params.coopId, request.params.poolId, request.body),
  );
  r.post(
    '/v1/coops/:coopId/pools/:poolId/costs',
    {
      config: { access: treasurer },
      schema: {
        ...documented({
          operationId: 'postSharedCost',
          summary: 'Share a cost across a pool',
          description: `Pays a cost of the pool (admin, support coordination, insurance, payroll services, training, other) from the bank and charges each member's share of the pool their part, in one journal entry. The method and every member's input are kept with the entry for statements. Refused whole if any share is short. Send an \`Idempotency-Key\`. Treasurers only. ${allocationRules}`,
          returns: 'The shared cost, its split and the journal entry it posted.',
          problems: {
            'not-found': 'No such pool, or no provider with `providerId`, in the co-op.',
            unprocessable: 'The allocation does not fit the pool on `date`, or `date` is in the future.',
            'insufficient-funds': "A member's pool share is less than their part (every short member is listed).",
            'period-closed': '`date` is in a closed period.',
          },
          requestExample: sharedCostExample,
          responseExample: {
            id: EXAMPLE_ID.sharedCost,
            entryId: EXAMPLE_ID.entry,
            method: 'equal',
            amount: '30.00',
            allocations: allocationsExample,
          },
        }),
        tags,
        params: PoolParams,
        headers: IdempotencyHeaders,
        body: SharedCostIn,
        response: {
          201: z.object({ id: Id, entryId: Id, method: z.string(), amount: MoneyOut, allocations: AllocationOut }),
        },
      },
    },
    async (request, reply) =>
      sendMoneyWrite(
        reply,
        201,
        await postSharedCost(moneyWriteOf(deps, request, request.params.coopId), request.params.poolId, request.body),
      ),
  );
  r.post(
    '/v1/coops/:coopId/providers',
    {
      config: { access: treasurer },
      schema: {
        ...documented({
          operationId: 'createProvider',
          summary: 'Add a provider',
          description:
            'A provider the co-op buys care from, with its kind (the Social Services and Well-being (Wales) Act s16 asks ' +
            'councils to promote co-operatives, social enterprises, user-led services and charities), its Care ' +
            'Inspectorate Wales number, and whether it works in Welsh. It gets a payable account in the ledger. Give it ' +
            'a rate card with `PUT …/rates`. Treasurers only.',
          returns: 'The provider, without a rate card yet.',
          problems: { duplicate: 'A provider with this name (or one that reads the same) exists in the co-op.' },
          requestExample: {
            name: 'Cydweithfa Cymorth Wrecsam',
            kind: 'cooperative',
            ciwNumber: 'SIN-00012345',
            welshLanguageService: true,
            locality: 'Wrecsam',
          },
          responseExample: { ...providerExample, rates: null },
        }),
        tags,
        params: CoopParams,
        body: ProviderIn,
        response: { 201: Provider },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createProvider(contextOf(deps, request), request.params.coopId, request.body)),
  );
  r.get(
    '/v1/coops/:coopId/providers',
    {
      config: { access: anyOf(treasurer, holderOfCoop) },
      schema: {
        ...documented({
          operationId: 'listProviders',
          summary: "List a co-op's providers",
          description: "The co-op's providers with their current rate cards, for its treasurer and its holders.",
          returns: 'A page of providers, in id order.',
          responseExample: examplePage(providerExample),
        }),
        tags,
        params: CoopParams,
        querystring: PageQuery,
        response: { 200: pageOf(Provider) },
      },
    },
    async (request) => listProviders(contextOf(deps, request), request.params.coopId, pageRequest(request.query)),
  );
  r.get(
    '/v1/coops/:coopId/providers/:providerId',
    {
      config: { access: anyOf(treasurer, holderOfCoop) },
      schema: {
        ...documented({
          operationId: 'getProvider',
          summary: 'Get a provider',
          description: "A provider with its current rate card, for the co-op's treasurer and its holders.",
          returns: 'The provider.',
          problems: { 'not-found': 'No provider with this id in the co-op.' },
          responseExample: providerExample,
        }),
        tags,
        params: ProviderParams,
        response: { 200: Provider },
      },
    },
    async (request) => getProvider(contextOf(deps, request), request.params.coopId, request.params.providerId),
  );
  r.put(
    '/v1/coops/:coopId/providers/:providerId/rates',
    {
      config: { access: treasurer },
      schema: {
        ...documented({
          operationId: 'putRateCard',
          summary: "Set a provider's rate card",
          description:
            'Replaces the rate card: per service, the rate one person pays alone (`individualRate`) and volume tiers ' +
            '(from `minUnits` a `week` or `month`, the pool pays `rate`). Purchases are checked against it and quotes ' +
            'priced from it. Treasurers only.',
          returns: 'The provider with its new rate card.',
          problems: {
            'not-found': 'No provider with this id in the co-op.',
            unprocessable: 'A service type appears more than once.',
          },
          requestExample: rateCardExample,
          responseExample: providerExample,
        }),
        tags,
        params: ProviderParams,
        body: RateCardIn,
        response: { 200: Provider },
      },
    },
    async (request) =>
      putRateCard(contextOf(deps, request), request.params.coopId, request.params.providerId, request.body),
  );
  r.post(
    '/v1/coops/:coopId/purchases',
    {
      config: { access: treasurer },
      schema: {
        ...documented({
          operationId: 'recordPurchase',
          summary: "Record a provider's invoice",
          description:
            'Records an invoice, owed to the provider until paid. For a pool (`poolId`): lines naming a `memberId` are ' +
            "that member's, the rest are split by `allocation`. For one holder (`memberId`): every line is theirs, " +
            'from their own funds. Each line is priced units × rate (rounded half up), and what each member would have ' +
            'paid alone at the individual rate is kept, so the purchase shows its collective saving. `warnings` flags ' +
            "lines above the provider's rate card. Refused whole if anyone is short. Send an `Idempotency-Key`. " +
            `Treasurers only. ${allocationRules}`,
          returns: 'The purchase: its total, what it would have cost alone, the saving, each part.',
          problems: {
            'not-found': 'No provider, pool or member with the id given, in the co-op.',
            duplicate: 'An invoice with this reference from the provider is already recorded (`purchaseId`).',
            unprocessable:
              'Not exactly one of `poolId` and `memberId`, `serviceTo` before `serviceFrom`, a future `invoiceDate`, lines ' +
              'without a member and no allocation, a member outside the pool, or a total of zero.',
            'insufficient-funds': "A member's funds or pool share is less than their part.",
            'period-closed': '`invoiceDate` is in a closed period.',
          },
          requestExample: purchaseRequestExample,
          responseExample: {
            id: EXAMPLE_ID.purchase,
            entryId: EXAMPLE_ID.entry,
            total: '202.80',
            individualRateTotal: '220.80',
            saving: '18.00',
            allocations: partsExample,
            warnings: [],
          },
        }),
        tags,
        params: CoopParams,
        headers: IdempotencyHeaders,
        body: PurchaseIn,
        response: { 201: PurchaseCreated },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const lines = body.lines.map((l) => ({ ...l, memberId: l.memberId ?? null }));
      return sendMoneyWrite(
        reply,
        201,
        await recordPurchase(moneyWriteOf(deps, request, request.params.coopId), { ...body, lines }),
      );
    },
  );
  r.get(
    '/v1/coops/:coopId/purchases',
    {
      config: { access: anyOf(treasurer, holderOfCoop, laOfficer) },
      schema: {
        ...documented({
          operationId: 'listPurchases',
          summary: "List a co-op's purchases",
          description:
            "The co-op's treasurer sees every purchase in full. A holder sees only purchases that charged them, and only " +
            "their own part; an LA officer only their LA's holders' parts. For them the totals are null.",
          returns: 'A page of purchases, in id order.',
          responseExample: examplePage(purchaseExample),
        }),
        tags,
        params: CoopParams,
        querystring: PageQuery,
        response: { 200: pageOf(Purchase) },
      },
    },
    async (request) => listPurchases(contextOf(deps, request), request.params.coopId, pageRequest(request.query)),
  );
  r.get(
    '/v1/coops/:coopId/purchases/:purchaseId',
    {
      config: { access: anyOf(treasurer, holderOfCoop, laOfficer) },
      schema: {
        ...documented({
          operationId: 'getPurchase',
          summary: 'Get a purchase',
          description:
            'A purchase with its lines, parts, what is paid and what is outstanding, as `GET …/purchases` shows it to the ' +
            'caller.',
          returns: 'The purchase.',
          problems: { 'not-found': noPurchase },
          responseExample: purchaseExample,
        }),
        tags,
        params: PurchaseParams,
        response: { 200: Purchase },
      },
    },
    async (request) => getPurchase(contextOf(deps, request), request.params.coopId, request.params.purchaseId),
  );
  r.post(
    '/v1/coops/:coopId/purchases/:purchaseId/payments',
    {
      config: { access: treasurer },
      schema: {
        ...documented({
          operationId: 'payPurchase',
          summary: 'Pay an invoice',
          description:
            'Pays the provider from the bank, in full or in part; never more than is outstanding. Send an ' +
            '`Idempotency-Key`. Treasurers only.',
          returns: 'The payment, the journal entry it posted, and what is still owed.',
          problems: {
            'not-found': 'No purchase with this id in the co-op.',
            'invalid-state': 'The purchase was reversed: nothing is owed (`reversedBy`).',
            unprocessable: 'More than is outstanding (`outstanding`), or `paidOn` is in the future.',
            'period-closed': '`paidOn` is in a closed period.',
          },
          requestExample: { amount: '202.80', paidOn: '2026-11-27', reference: 'BACS CCW-118' },
          responseExample: {
            id: EXAMPLE_ID.payment,
            entryId: EXAMPLE_ID.entry,
            purchaseId: EXAMPLE_ID.purchase,
            amount: '202.80',
            paidOn: '2026-11-27',
            reference: 'BACS CCW-118',
            outstanding: '0.00',
          },
        }),
        tags,
        params: PurchaseParams,
        headers: IdempotencyHeaders,
        body: PaymentIn,
        response: { 201: Payment },
      },
    },
    async (request, reply) =>
      sendMoneyWrite(
        reply,
        201,
        await payPurchase(moneyWriteOf(deps, request, request.params.coopId), request.params.purchaseId, request.body),
      ),
  );
  r.post(
    '/v1/coops/:coopId/pools/:poolId/quotes',
    {
      config: { access: treasurer },
      schema: {
        ...documented({
          operationId: 'quotePool',
          summary: 'Rank providers for what a pool would buy together',
          description:
            'For the units each member would use of a service in a week or month, every provider offering it, ranked by ' +
            'what the pool would pay at its combined volume (its rate card tiers), with what the members would pay ' +
            'alone and the saving. Nothing is recorded. Treasurers only.',
          returns: 'The providers, cheapest first.',
          problems: {
            'not-found': 'No pool with this id in the co-op.',
            unprocessable: 'A member in `units` is not a current member of the pool.',
          },
          requestExample: { serviceType: 'personal_assistance', period: 'week', units: { [M1]: '24', [M2]: '20' } },
          responseExample: {
            serviceType: 'personal_assistance',
            period: 'week',
            totalUnits: '44.00',
            providers: [
              {
                providerId: EXAMPLE_ID.provider,
                name: 'Cydweithfa Cymorth Wrecsam',
                kind: 'cooperative',
                welshLanguageService: true,
                unit: 'hour',
                unitRate: '16.90',
                total: '743.60',
                individualTotal: '809.60',
                saving: '66.00',
              },
            ],
          },
        }),
        tags,
        params: PoolParams,
        body: QuoteIn,
        response: { 200: QuoteOut },
      },
    },
    async (request) => quotePool(contextOf(deps, request), request.params.coopId, request.params.poolId, request.body),
  );
  r.get(
    '/v1/coops/:coopId/reports/purchasing-power',
    {
      config: { access: treasurer },
      schema: {
        ...documented({
          operationId: 'purchasingPowerReport',
          summary: 'What buying together saved, and who it bought from',
          description:
            'For invoices dated `from` to `to`: spend, what it would have cost at individual rates, the collective ' +
            'saving, shared costs, spend by provider kind and the share with social-value providers (s16) and with ' +
            'Welsh-language services, and hourly care bought below the Real Living Wage plus on-costs. Treasurers only.',
          returns: 'The report.',
          problems: { unprocessable: '`to` is before `from`.' },
          responseExample: {
            from: '2026-11-01',
            to: '2026-11-30',
            purchaseCount: 1,
            spend: '202.80',
            individualRateSpend: '220.80',
            collectiveSaving: '18.00',
            savingPercent: '8.2',
            sharedCosts: '30.00',
            spendByProviderKind: [{ kind: 'cooperative', spend: '202.80', sharePercent: '100.0' }],
            socialValueProviders: {
              kinds: ['cooperative', 'social_enterprise', 'user_led', 'charity'],
              spend: '202.80',
              sharePercent: '100.0',
            },
            welshLanguageProviders: { spend: '202.80', sharePercent: '100.0' },
            fairPay: {
              realLivingWageHourly: '13.45',
              effectiveFrom: '2026-04-01',
              onCostPercent: '25',
              minimumHourlyRate: '16.81',
              belowMinimum: [],
            },
            note: "Savings compare collective rates with each provider's individual rate for the same units.",
          },
        }),
        tags,
        params: CoopParams,
        querystring: ReportQuery,
        response: { 200: Report },
      },
    },
    async (request) =>
      purchasingPowerReport(contextOf(deps, request), request.params.coopId, request.query.from, request.query.to),
  );
}
