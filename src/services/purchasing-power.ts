import { reversedEntryIds } from './ledger/queries';
import { and, eq, gte, inArray, isNull, lte, notInArray, sql } from 'drizzle-orm';
import { poolMemberships, providers, purchaseLines, purchases, sharedCosts } from '../../db/schema/index';
import { invalidInput } from '../domain/errors';
import { FAIR_PAY_THRESHOLDS } from '../domain/fair-pay';
import { Decimal, formatMoney, moneyFromDb, sum } from '../domain/money';
import { quote } from '../domain/purchasing';
import { purchasingPower } from '../domain/purchasing-power';
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

/**
 * The purchasing-power report for invoices dated in a range (reversed purchases left out): load what was bought,
 * then `purchasingPower` (src/domain/purchasing-power.ts) works the report out.
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
    return purchasingPower({
      from,
      to,
      purchases: rows.map((r) => ({
        id: r.purchase.id,
        invoiceReference: r.purchase.invoiceReference,
        providerId: r.purchase.providerId,
        providerName: r.providerName,
        providerKind: r.kind,
        welshLanguageService: r.welsh,
        total: moneyFromDb(r.purchase.total),
        individualRateTotal: moneyFromDb(r.purchase.individualRateTotal),
      })),
      lines: lines.map((l) => ({
        purchaseId: l.purchaseId,
        serviceType: l.serviceType,
        category: l.category,
        unit: l.unit,
        unitRate: moneyFromDb(l.unitRate),
      })),
      sharedCosts: moneyFromDb(costs?.total ?? '0'),
      thresholds: FAIR_PAY_THRESHOLDS,
    });
  });
}
