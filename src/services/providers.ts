import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import { accounts, providers, rateCardServices, rateCardTiers, rateCards } from '../../db/schema/index';
import { type Queryable, insertedRow } from '../db/database';
import { newId } from '../db/ids';
import { providerPayableCode, slugOf } from '../domain/account-codes';
import type { ProviderKind } from '../domain/categories';
import { notFound, invalidInput } from '../domain/errors';
import { Decimal, type Money, formatMoney, moneyFromDb } from '../domain/money';
import type { ServiceRate } from '../domain/purchasing';
import type { RateUnit, TierPeriod } from '../domain/vocabulary';
import { recordAudit } from './audit';
import type { UseCaseContext } from './context';
import { type PageRequest, keyset } from './pagination';

export interface NewProvider {
  name: string;
  kind: ProviderKind;
  ciwNumber?: string | undefined;
  welshLanguageService: boolean;
  locality: string;
}

export interface RateCardInput {
  services: {
    serviceType: string;
    unit: RateUnit;
    individualRate: Money;
    tierPeriod: TierPeriod;
    tiers: { minUnits: Decimal; rate: Money }[];
  }[];
}

type ProviderRow = typeof providers.$inferSelect;

function providerView(row: ProviderRow, rates: ServiceRate[] | null) {
  return {
    id: row.id,
    coopId: row.coopId,
    name: row.name,
    kind: row.kind,
    ciwNumber: row.ciwNumber,
    welshLanguageService: row.welshLanguageService,
    locality: row.locality,
    createdAt: row.createdAt.toISOString(),
    rates: rates ? rateCardView(rates) : null,
  };
}

function rateCardView(rates: ServiceRate[]) {
  return {
    services: rates.map((r) => ({
      serviceType: r.serviceType,
      unit: r.unit,
      individualRate: formatMoney(r.individualRate),
      tierPeriod: r.tierPeriod,
      tiers: r.tiers.map((t) => ({ minUnits: t.minUnits.toFixed(2), rate: formatMoney(t.rate) })),
    })),
  };
}

/** Adds a provider with its provider-payable account. Raises `duplicate` (409) for a name already used. */
export async function createProvider({ database, principal }: UseCaseContext, coopId: string, input: NewProvider) {
  return database.transaction(async (tx) => {
    const id = newId();
    const row = insertedRow(
      await tx
        .insert(providers)
        .values({
          id,
          coopId,
          name: input.name,
          kind: input.kind,
          ciwNumber: input.ciwNumber ?? null,
          welshLanguageService: input.welshLanguageService,
          locality: input.locality,
        })
        .returning(),
    );
    await tx.insert(accounts).values({
      id: newId(),
      coopId,
      code: providerPayableCode(slugOf(input.name, 'provider')),
      name: `Owed to ${input.name}`,
      kind: 'provider_payable',
      providerId: id,
    });
    await recordAudit(tx, principal, { coopId, action: 'provider.create', targetType: 'provider', targetId: id });
    return providerView(row, null);
  });
}

export async function listProviders({ database }: UseCaseContext, coopId: string, page: PageRequest) {
  return database.read(async (db) => {
    const keys = keyset(providers.id, page);
    const rows = await db
      .select()
      .from(providers)
      .where(and(eq(providers.coopId, coopId), keys.after))
      .orderBy(keys.orderBy)
      .limit(keys.limit);
    const rates = await currentRates(
      db,
      keys.shown(rows).map((r) => r.id),
    );
    return keys.page(rows, (row) => providerView(row, rates.get(row.id) ?? null));
  });
}

export async function getProvider({ database }: UseCaseContext, coopId: string, providerId: string) {
  return database.read(async (db) => {
    const row = await requireProvider(db, coopId, providerId);
    return providerView(row, (await currentRates(db, [row.id])).get(row.id) ?? null);
  });
}

export async function requireProvider(db: Queryable, coopId: string, providerId: string) {
  const [row] = await db
    .select()
    .from(providers)
    .where(and(eq(providers.id, providerId), eq(providers.coopId, coopId)));
  if (!row) throw notFound('Provider');
  return row;
}

/** Replaces a provider's rate card with a new one (earlier cards are kept). */
export async function putRateCard(
  { database, principal }: UseCaseContext,
  coopId: string,
  providerId: string,
  input: RateCardInput,
) {
  const types = input.services.map((s) => s.serviceType);
  if (new Set(types).size !== types.length) {
    throw invalidInput({ field: 'services', message: 'duplicate serviceType' }, 'Each service type may appear once.');
  }
  return database.transaction(async (tx) => {
    const provider = await requireProvider(tx, coopId, providerId);
    const cardId = newId();
    await tx.insert(rateCards).values({ id: cardId, providerId });
    for (const service of input.services) {
      const serviceId = newId();
      await tx.insert(rateCardServices).values({
        id: serviceId,
        rateCardId: cardId,
        serviceType: service.serviceType,
        unit: service.unit,
        individualRate: formatMoney(service.individualRate),
        tierPeriod: service.tierPeriod,
      });
      if (service.tiers.length > 0) {
        await tx
          .insert(rateCardTiers)
          .values(
            service.tiers.map((t) => ({ serviceId, minUnits: t.minUnits.toFixed(2), rate: formatMoney(t.rate) })),
          );
      }
    }
    await recordAudit(tx, principal, {
      coopId,
      action: 'provider.rates.put',
      targetType: 'provider',
      targetId: providerId,
    });
    return providerView(provider, (await currentRates(tx, [providerId])).get(providerId) ?? null);
  });
}

/** The current rate card of each provider: its newest card's services with their tiers. */
export async function currentRates(db: Queryable, providerIds: string[]): Promise<Map<string, ServiceRate[]>> {
  const result = new Map<string, ServiceRate[]>();
  if (providerIds.length === 0) return result;
  const cards = await db
    .selectDistinctOn([rateCards.providerId], { id: rateCards.id, providerId: rateCards.providerId })
    .from(rateCards)
    .where(inArray(rateCards.providerId, providerIds))
    .orderBy(rateCards.providerId, desc(rateCards.id));
  if (cards.length === 0) return result;
  const services = await db
    .select()
    .from(rateCardServices)
    .where(
      inArray(
        rateCardServices.rateCardId,
        cards.map((c) => c.id),
      ),
    )
    .orderBy(asc(rateCardServices.serviceType));
  const tiers = services.length
    ? await db
        .select()
        .from(rateCardTiers)
        .where(
          inArray(
            rateCardTiers.serviceId,
            services.map((s) => s.id),
          ),
        )
        .orderBy(asc(rateCardTiers.minUnits))
    : [];
  for (const card of cards) {
    result.set(
      card.providerId,
      services
        .filter((s) => s.rateCardId === card.id)
        .map((s) => ({
          serviceType: s.serviceType,
          unit: s.unit,
          individualRate: moneyFromDb(s.individualRate),
          tierPeriod: s.tierPeriod,
          tiers: tiers
            .filter((t) => t.serviceId === s.id)
            .map((t) => ({ minUnits: new Decimal(t.minUnits), rate: moneyFromDb(t.rate) })),
        })),
    );
  }
  return result;
}
