import { z } from 'zod';
import { anyOf, holderOfCoop, laOfficer, treasurerOfCoop } from '../auth/permissions';
import { PROVIDER_KINDS, SHARED_COST_CATEGORIES } from '../domain/categories';
import { Decimal } from '../domain/money';
import { RATE_UNITS, TIER_PERIODS } from '../domain/vocabulary';
import { getProvider, createProvider, listProviders, putRateCard } from '../services/providers';
import { PURCHASE_STATUSES, getPurchase, listPurchases, payPurchase, recordPurchase } from '../services/purchases';
import { purchasingPowerReport, quotePool } from '../services/purchasing-power';
import { postSharedCost, previewSharedCost } from '../services/shared-costs';
import { moneyWriteOf, sendStored } from './money-write';
import {
  CalendarDate,
  CoopParams,
  Id,
  IdempotencyHeaders,
  MoneyOut,
  PageQuery,
  PoolParams,
  PositiveMoney,
  ShortText,
  pageOf,
  pageRequest,
} from './schemas';
import { type App, type RouteDeps, contextOf, typed } from './types';

/** A non-negative quantity (units, hours, weights) with at most two decimals, as a string like money. */
const Quantity = z
  .string()
  .regex(/^\d{1,9}(\.\d{1,2})?$/, 'must be a string number with at most two decimals, e.g. "10.5"')
  .transform((text) => new Decimal(text));
const PositiveQuantity = Quantity.refine((d) => d.gt(0), 'must be greater than zero');

const MEMBERS_MAX = 500;
const byMember = <T extends z.ZodType>(value: T) =>
  z
    .record(Id, value)
    .refine(
      (r) => Object.keys(r).length > 0 && Object.keys(r).length <= MEMBERS_MAX,
      `between 1 and ${MEMBERS_MAX} members`,
    );

export const Allocation = z.discriminatedUnion('method', [
  z.strictObject({ method: z.literal('equal') }),
  z.strictObject({ method: z.literal('weights'), weights: byMember(Quantity) }),
  z.strictObject({ method: z.literal('usage'), units: byMember(Quantity) }),
  z.strictObject({ method: z.literal('contributions'), from: CalendarDate, to: CalendarDate }),
]);

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
      sendStored(
        reply,
        await postSharedCost(
          moneyWriteOf(deps.database, request, request.params.coopId),
          request.params.poolId,
          request.body,
        ),
      ),
  );
  r.post(
    '/v1/coops/:coopId/providers',
    {
      config: { access: treasurer },
      schema: { tags, params: CoopParams, body: ProviderIn, response: { 201: Provider } },
    },
    async (request, reply) =>
      reply.code(201).send(await createProvider(contextOf(deps, request), request.params.coopId, request.body)),
  );
  r.get(
    '/v1/coops/:coopId/providers',
    {
      config: { access: anyOf(treasurer, holderOfCoop) },
      schema: { tags, params: CoopParams, querystring: PageQuery, response: { 200: pageOf(Provider) } },
    },
    async (request) => listProviders(contextOf(deps, request), request.params.coopId, pageRequest(request.query)),
  );
  r.get(
    '/v1/coops/:coopId/providers/:providerId',
    {
      config: { access: anyOf(treasurer, holderOfCoop) },
      schema: { tags, params: ProviderParams, response: { 200: Provider } },
    },
    async (request) => getProvider(contextOf(deps, request), request.params.coopId, request.params.providerId),
  );
  r.put(
    '/v1/coops/:coopId/providers/:providerId/rates',
    {
      config: { access: treasurer },
      schema: { tags, params: ProviderParams, body: RateCardIn, response: { 200: Provider } },
    },
    async (request) =>
      putRateCard(contextOf(deps, request), request.params.coopId, request.params.providerId, request.body),
  );
  r.post(
    '/v1/coops/:coopId/purchases',
    {
      config: { access: treasurer },
      schema: {
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
      return sendStored(
        reply,
        await recordPurchase(moneyWriteOf(deps.database, request, request.params.coopId), { ...body, lines }),
      );
    },
  );
  r.get(
    '/v1/coops/:coopId/purchases',
    {
      config: { access: anyOf(treasurer, holderOfCoop, laOfficer) },
      schema: { tags, params: CoopParams, querystring: PageQuery, response: { 200: pageOf(Purchase) } },
    },
    async (request) => listPurchases(contextOf(deps, request), request.params.coopId, pageRequest(request.query)),
  );
  r.get(
    '/v1/coops/:coopId/purchases/:purchaseId',
    {
      config: { access: anyOf(treasurer, holderOfCoop, laOfficer) },
      schema: { tags, params: PurchaseParams, response: { 200: Purchase } },
    },
    async (request) => getPurchase(contextOf(deps, request), request.params.coopId, request.params.purchaseId),
  );
  r.post(
    '/v1/coops/:coopId/purchases/:purchaseId/payments',
    {
      config: { access: treasurer },
      schema: {
        tags,
        params: PurchaseParams,
        headers: IdempotencyHeaders,
        body: PaymentIn,
        response: { 201: Payment },
      },
    },
    async (request, reply) =>
      sendStored(
        reply,
        await payPurchase(
          moneyWriteOf(deps.database, request, request.params.coopId),
          request.params.purchaseId,
          request.body,
        ),
      ),
  );
  r.post(
    '/v1/coops/:coopId/pools/:poolId/quotes',
    { config: { access: treasurer }, schema: { tags, params: PoolParams, body: QuoteIn, response: { 200: QuoteOut } } },
    async (request) => quotePool(contextOf(deps, request), request.params.coopId, request.params.poolId, request.body),
  );
  r.get(
    '/v1/coops/:coopId/reports/purchasing-power',
    {
      config: { access: treasurer },
      schema: { tags, params: CoopParams, querystring: ReportQuery, response: { 200: Report } },
    },
    async (request) =>
      purchasingPowerReport(contextOf(deps, request), request.params.coopId, request.query.from, request.query.to),
  );
}
