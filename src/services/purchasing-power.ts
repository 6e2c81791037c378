import { reversedEntryIds } from './ledger/queries';
import { and, eq, gte, inArray, isNull, lte, notInArray, sql } from 'drizzle-orm';
import { poolMemberships, providers, purchaseLines, purchases, sharedCosts } from '../../db/schema/index';
import { HOURLY_CARE_CATEGORIES, PROVIDER_KINDS, SOCIAL_VALUE_PROVIDER_KINDS } from '../domain/categories';
import { invalidInput } from '../domain/errors';
import { FAIR_PAY_THRESHOLDS } from '../domain/fair-pay';
import { Decimal, type Money, formatMoney, moneyFromDb, sum } from '../domain/money';
import { fairPayMinimumHourly, fairPayThresholdOn, quote } from '../domain/purchasing';
import type { UseCaseContext } from './context';
import { requirePool } from './lookups';
import { currentRates } from './providers';

export interface QuoteRequest {
  serviceType: string;
  period: 'week' | 'month';
  units: Record<string, Decimal>;
}

/**
 * Brokerage: every provider with a rate for the service, ranked by what the pool would pay at its combined volume,
 * with what the members would pay alone at the individual rate. Raises `unprocessable` for a non-member.
 */
export async function quotePool({ database }: UseCaseContext, coopId: string, poolId: string, request: QuoteRequest) {
  return database.read(async (db) => {
    await requirePool(db, coopId, poolId);
    const memberIds = Object.keys(request.units);
    const current = await db
      .select({ memberId: poolMemberships.memberId })
      .from(poolMemberships)
      .where(
        and(
          eq(poolMemberships.poolId, poolId),
          isNull(poolMemberships.leftAt),
          inArray(poolMemberships.memberId, memberIds),
        ),
      );
    const outsider = memberIds.find((id) => !current.some((c) => c.memberId === id));
    if (outsider) {
      throw invalidInput(
        { field: `units.${outsider}`, message: 'not a current member of the pool' },
        'Quotes are for current members of the pool.',
      );
    }
    const candidates = await db.select().from(providers).where(eq(providers.coopId, coopId));
    const rates = await currentRates(
      db,
      candidates.map((p) => p.id),
    );
    const units = Object.entries(request.units).map(([memberId, value]) => ({ memberId, units: value }));
    return {
      serviceType: request.serviceType,
      period: request.period,
      totalUnits: sum(units.map((u) => u.units)).toFixed(2),
      providers: candidates
        .flatMap((provider) => {
          const rate = rates.get(provider.id)?.find((r) => r.serviceType === request.serviceType);
          if (!rate) return [];
          const q = quote(rate, { units, period: request.period });
          return [{ provider, rate, q }];
        })
        .sort((a, b) => a.q.total.comparedTo(b.q.total) || (a.provider.id < b.provider.id ? -1 : 1))
        .map(({ provider, rate, q }) => ({
          providerId: provider.id,
          name: provider.name,
          kind: provider.kind,
          welshLanguageService: provider.welshLanguageService,
          unit: rate.unit,
          unitRate: formatMoney(q.unitRate),
          total: formatMoney(q.total),
          individualTotal: formatMoney(q.individualTotal),
          saving: formatMoney(q.saving),
        })),
    };
  });
}

function percent(part: Money, whole: Money): string {
  return whole.isZero() ? '0.0' : part.mul(100).div(whole).toFixed(1, Decimal.ROUND_HALF_UP);
}

/**
 * The purchasing-power report for invoices dated in a range (reversed purchases left out): spend, collective
 * savings, spend by provider kind, the share with s16 social-value providers and with Welsh-language providers,
 * and hourly care bought below the Real Living Wage plus on-costs in force at the end of the range.
 */
export async function purchasingPowerReport({ database }: UseCaseContext, coopId: string, from: string, to: string) {
  if (to < from)
    throw invalidInput({ field: 'to', message: 'must not be before from' }, 'The range ends before it starts.');
  return database.read(async (db) => {
    const reversed = reversedEntryIds(db);
    const rows = await db
      .select({
        purchase: purchases,
        kind: providers.kind,
        welsh: providers.welshLanguageService,
        providerName: providers.name,
      })
      .from(purchases)
      .innerJoin(providers, eq(providers.id, purchases.providerId))
      .where(
        and(
          eq(purchases.coopId, coopId),
          gte(purchases.invoiceDate, from),
          lte(purchases.invoiceDate, to),
          notInArray(purchases.entryId, reversed),
        ),
      );
    const spend = sum(rows.map((r) => moneyFromDb(r.purchase.total)));
    const individual = sum(rows.map((r) => moneyFromDb(r.purchase.individualRateTotal)));
    const byKind = PROVIDER_KINDS.map((kind) => {
      const kindSpend = sum(rows.filter((r) => r.kind === kind).map((r) => moneyFromDb(r.purchase.total)));
      return { kind, spend: formatMoney(kindSpend), sharePercent: percent(kindSpend, spend) };
    }).filter((k) => k.spend !== '0.00');
    const socialValue = sum(
      rows
        .filter((r) => (SOCIAL_VALUE_PROVIDER_KINDS as readonly string[]).includes(r.kind))
        .map((r) => moneyFromDb(r.purchase.total)),
    );
    const welsh = sum(rows.filter((r) => r.welsh).map((r) => moneyFromDb(r.purchase.total)));
    const [costs] = await db
      .select({ total: sql<string>`coalesce(sum(${sharedCosts.amount}), 0)::text` })
      .from(sharedCosts)
      .where(
        and(
          eq(sharedCosts.coopId, coopId),
          gte(sharedCosts.costDate, from),
          lte(sharedCosts.costDate, to),
          notInArray(sharedCosts.entryId, reversed),
        ),
      );

    const threshold = fairPayThresholdOn(to, FAIR_PAY_THRESHOLDS);
    const minimum = threshold ? fairPayMinimumHourly(threshold) : null;
    const lines = rows.length
      ? await db
          .select()
          .from(purchaseLines)
          .where(
            inArray(
              purchaseLines.purchaseId,
              rows.map((r) => r.purchase.id),
            ),
          )
      : [];
    // One flag per purchase, service and rate, however many lines the invoice has at that rate.
    const seen = new Set<string>();
    const flagged = minimum
      ? lines
          .filter(
            (l) =>
              HOURLY_CARE_CATEGORIES.includes(l.category) &&
              (l.unit === 'hour' || l.unit === null) &&
              moneyFromDb(l.unitRate).lt(minimum),
          )
          .filter((l) => {
            const key = `${l.purchaseId}|${l.serviceType}|${l.unitRate}`;
            if (seen.has(key)) return false;
            seen.add(key);
            return true;
          })
          .map((l) => {
            const row = rows.find((r) => r.purchase.id === l.purchaseId)!;
            return {
              purchaseId: l.purchaseId,
              invoiceReference: row.purchase.invoiceReference,
              providerId: row.purchase.providerId,
              providerName: row.providerName,
              serviceType: l.serviceType,
              unitRate: formatMoney(moneyFromDb(l.unitRate)),
              minimumHourlyRate: formatMoney(minimum),
            };
          })
      : [];
    return {
      from,
      to,
      purchaseCount: rows.length,
      spend: formatMoney(spend),
      individualRateSpend: formatMoney(individual),
      collectiveSaving: formatMoney(individual.minus(spend)),
      savingPercent: percent(individual.minus(spend), individual),
      sharedCosts: formatMoney(moneyFromDb(costs?.total ?? '0')),
      spendByProviderKind: byKind,
      socialValueProviders: {
        kinds: [...SOCIAL_VALUE_PROVIDER_KINDS],
        spend: formatMoney(socialValue),
        sharePercent: percent(socialValue, spend),
      },
      welshLanguageProviders: { spend: formatMoney(welsh), sharePercent: percent(welsh, spend) },
      fairPay: {
        realLivingWageHourly: threshold ? formatMoney(threshold.realLivingWageHourly) : null,
        effectiveFrom: threshold?.effectiveFrom ?? null,
        onCostPercent: threshold ? threshold.onCostRate.mul(100).toFixed(0) : null,
        minimumHourlyRate: minimum ? formatMoney(minimum) : null,
        belowMinimum: flagged,
      },
      note: "Savings compare collective rates with each provider's individual rate for the same units.",
    };
  });
}
