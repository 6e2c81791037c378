import { HOURLY_CARE_CATEGORIES, PROVIDER_KINDS, SOCIAL_VALUE_PROVIDER_KINDS } from './categories';
import { InvariantError } from './errors';
import { type FairPayThreshold, fairPayMinimumHourly, fairPayThresholdOn } from './purchasing';
import { Decimal, type Money, formatMoney, sum } from './money';

/**
 * The purchasing-power report, as a pure function of what was bought: spend, collective savings, spend by provider
 * kind, the share with s16 social-value providers and with Welsh-language providers, and hourly care bought below
 * the Real Living Wage plus on-costs in force at the end of the range.
 */
export interface PurchaseBought {
  id: string;
  invoiceReference: string;
  providerId: string;
  providerName: string;
  providerKind: string;
  welshLanguageService: boolean;
  total: Money;
  individualRateTotal: Money;
}

export interface LineBought {
  purchaseId: string;
  serviceType: string;
  category: string;
  unit: string | null;
  unitRate: Money;
}

export interface PurchasingPowerInput {
  from: string;
  to: string;
  /** Purchases invoiced in the range, reversed ones left out. */
  purchases: readonly PurchaseBought[];
  /** Every line of those purchases. */
  lines: readonly LineBought[];
  /** Shared costs dated in the range, reversed ones left out. */
  sharedCosts: Money;
  thresholds: readonly FairPayThreshold[];
}

function percent(part: Money, whole: Money): string {
  return whole.isZero() ? '0.0' : part.mul(100).div(whole).toFixed(1, Decimal.ROUND_HALF_UP);
}

const spendOf = (purchases: readonly PurchaseBought[]) => sum(purchases.map((p) => p.total));

/**
 * The report. Postconditions: spend by provider kind adds up to the spend, and the social-value and Welsh-language
 * spends are parts of it (InvariantError otherwise: a purchase of a kind the report does not know, say).
 */
export function purchasingPower(input: PurchasingPowerInput) {
  const { purchases } = input;
  const spend = spendOf(purchases);
  const individual = sum(purchases.map((p) => p.individualRateTotal));
  const kindSpends = PROVIDER_KINDS.map((kind) => ({
    kind,
    spend: spendOf(purchases.filter((p) => p.providerKind === kind)),
  }));
  const socialValue = spendOf(
    purchases.filter((p) => (SOCIAL_VALUE_PROVIDER_KINDS as readonly string[]).includes(p.providerKind)),
  );
  const welsh = spendOf(purchases.filter((p) => p.welshLanguageService));
  if (!sum(kindSpends.map((k) => k.spend)).eq(spend))
    throw new InvariantError('purchasing power: spend by provider kind does not add up to the spend');
  if (socialValue.gt(spend) || welsh.gt(spend))
    throw new InvariantError('purchasing power: a part of the spend is more than the spend');
  const threshold = fairPayThresholdOn(input.to, input.thresholds);
  const minimum = threshold ? fairPayMinimumHourly(threshold) : null;
  return {
    from: input.from,
    to: input.to,
    purchaseCount: purchases.length,
    spend: formatMoney(spend),
    individualRateSpend: formatMoney(individual),
    collectiveSaving: formatMoney(individual.minus(spend)),
    savingPercent: percent(individual.minus(spend), individual),
    sharedCosts: formatMoney(input.sharedCosts),
    spendByProviderKind: kindSpends
      .map((k) => ({ kind: k.kind, spend: formatMoney(k.spend), sharePercent: percent(k.spend, spend) }))
      .filter((k) => k.spend !== '0.00'),
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
      belowMinimum: minimum ? belowFairPay(purchases, input.lines, minimum) : [],
    },
    note: "Savings compare collective rates with each provider's individual rate for the same units.",
  };
}

export type PurchasingPowerReport = ReturnType<typeof purchasingPower>;

/** Hourly care bought below `minimum`: one flag per purchase, service and rate, however many lines share them. */
function belowFairPay(purchases: readonly PurchaseBought[], lines: readonly LineBought[], minimum: Money) {
  const byId = new Map(purchases.map((p) => [p.id, p]));
  const seen = new Set<string>();
  return lines.flatMap((l) => {
    if (!HOURLY_CARE_CATEGORIES.includes(l.category) || (l.unit !== 'hour' && l.unit !== null)) return [];
    if (!l.unitRate.lt(minimum)) return [];
    const key = `${l.purchaseId}|${l.serviceType}|${formatMoney(l.unitRate)}`;
    const purchase = byId.get(l.purchaseId);
    if (seen.has(key) || !purchase) return [];
    seen.add(key);
    return [
      {
        purchaseId: l.purchaseId,
        invoiceReference: purchase.invoiceReference,
        providerId: purchase.providerId,
        providerName: purchase.providerName,
        serviceType: l.serviceType,
        unitRate: formatMoney(l.unitRate),
        minimumHourlyRate: formatMoney(minimum),
      },
    ];
  });
}
