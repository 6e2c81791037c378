import { type Allocation, type Weighted, allocate } from './allocation';
import { categoryOfServiceType } from './categories';
import { InvariantError, invalidField } from './errors';
import { Decimal, type Money, ZERO, sum } from './money';
import { lineAmount } from './purchasing';

/**
 * Prices an invoice: each line's total (units × rate, half-up), what the same units cost at the provider's
 * individual rate, and each member's part. Lines naming a member are theirs; the other lines are split by the
 * pool's allocation weights, line by line, so every member's part is exact and sums to the invoice.
 */
export interface InvoiceLine {
  serviceType: string;
  description: string;
  units: Decimal;
  unitRate: Money;
  memberId: string | null;
}

export interface PricedLine extends InvoiceLine {
  category: string;
  amount: Money;
  individualRate: Money;
  individualAmount: Money;
}

export interface MemberCharge {
  memberId: string;
  category: string;
  amount: Money;
  individualAmount: Money;
}

export interface PricedInvoice {
  lines: PricedLine[];
  charges: MemberCharge[];
  total: Money;
  individualRateTotal: Money;
  saving: Money;
}

/** `individualRateOf` gives the provider's individual rate for a service type, if its rate card has one. */
export function priceInvoice(
  lines: readonly InvoiceLine[],
  individualRateOf: (serviceType: string) => Money | undefined,
  splitUnassignedBy: readonly Weighted[] | null,
): PricedInvoice {
  const priced = lines.map((line): PricedLine => {
    const individualRate = individualRateOf(line.serviceType) ?? line.unitRate;
    return {
      ...line,
      category: categoryOfServiceType(line.serviceType),
      amount: lineAmount(line.units, line.unitRate),
      individualRate,
      individualAmount: lineAmount(line.units, individualRate),
    };
  });
  const charges = new Map<string, MemberCharge>();
  const charge = (memberId: string, category: string, amount: Money, individualAmount: Money) => {
    const key = `${memberId}|${category}`;
    const existing = charges.get(key) ?? { memberId, category, amount: ZERO, individualAmount: ZERO };
    charges.set(key, {
      ...existing,
      amount: existing.amount.plus(amount),
      individualAmount: existing.individualAmount.plus(individualAmount),
    });
  };
  for (const line of priced) {
    if (line.memberId) {
      charge(line.memberId, line.category, line.amount, line.individualAmount);
      continue;
    }
    if (!splitUnassignedBy) throw new Error('a line without a member needs an allocation');
    const amounts = byMember(allocate(line.amount, splitUnassignedBy));
    const individual = byMember(allocate(line.individualAmount, splitUnassignedBy));
    for (const [memberId, amount] of amounts) charge(memberId, line.category, amount, individual.get(memberId) ?? ZERO);
  }
  const total = sum(priced.map((l) => l.amount));
  const individualRateTotal = sum(priced.map((l) => l.individualAmount));
  return {
    lines: priced,
    charges: [...charges.values()].sort((a, b) => (a.memberId + a.category < b.memberId + b.category ? -1 : 1)),
    total,
    individualRateTotal,
    saving: individualRateTotal.minus(total),
  };
}

function byMember(allocations: Allocation[]): Map<string, Money> {
  return new Map(allocations.map((a) => [a.memberId, a.amount]));
}

/** Each member's part of an invoice across categories: what they were charged and what it would have cost alone. */
export function memberParts(
  charges: readonly MemberCharge[],
): { memberId: string; amount: Money; individualAmount: Money }[] {
  const parts = new Map<string, { memberId: string; amount: Money; individualAmount: Money }>();
  for (const c of charges) {
    const part = parts.get(c.memberId) ?? { memberId: c.memberId, amount: ZERO, individualAmount: ZERO };
    parts.set(c.memberId, {
      memberId: c.memberId,
      amount: part.amount.plus(c.amount),
      individualAmount: part.individualAmount.plus(c.individualAmount),
    });
  }
  return [...parts.values()].sort((a, b) => (a.memberId < b.memberId ? -1 : 1));
}

/** Something on an invoice a treasurer should look at before trusting it: recorded anyway, and said. */
export interface InvoiceWarning {
  /** 1-based, as on the invoice. */
  line: number;
  code: 'above-card-rate' | 'no-card-rate';
  message: string;
}

/**
 * Lines charged above the provider's own rate card (the collective price should never be dearer than buying alone:
 * a negative saving), and lines for a service the card does not list (the saving is then nil, not known).
 */
export function invoiceWarnings(
  lines: readonly Pick<InvoiceLine, 'serviceType' | 'unitRate'>[],
  individualRateOf: (serviceType: string) => Money | undefined,
): InvoiceWarning[] {
  return lines.flatMap((line, index): InvoiceWarning[] => {
    const cardRate = individualRateOf(line.serviceType);
    if (cardRate === undefined) {
      return [
        {
          line: index + 1,
          code: 'no-card-rate',
          message: `The provider's rate card has no rate for ${line.serviceType}, so no saving can be worked out.`,
        },
      ];
    }
    if (line.unitRate.gt(cardRate)) {
      return [
        {
          line: index + 1,
          code: 'above-card-rate',
          message: `Charged ${line.unitRate.toFixed(2)} a unit, above the provider's rate card (${cardRate.toFixed(2)}).`,
        },
      ];
    }
    return [];
  });
}

/** What recording an invoice comes to, decided before anything is written. */
export interface PurchasePlan {
  priced: PricedInvoice;
  /** The postings charged to members: every charge that is not zero. */
  charges: MemberCharge[];
  /** Each member's part of the invoice and what it would have cost them alone (members given nothing left out). */
  parts: { memberId: string; amount: Money; individualAmount: Money }[];
  warnings: InvoiceWarning[];
}

/**
 * Prices an invoice and decides what each member is charged (`splitUnassignedBy` shares lines that name no member).
 * Refuses a total of zero or less. Postconditions, checked: the charges and the members' parts each sum to the
 * invoice's total, to the penny.
 */
export function planPurchase(
  lines: readonly InvoiceLine[],
  individualRateOf: (serviceType: string) => Money | undefined,
  splitUnassignedBy: readonly Weighted[] | null,
): PurchasePlan {
  const priced = priceInvoice(lines, individualRateOf, splitUnassignedBy);
  if (priced.total.lte(0)) throw invalidField('lines', 'the invoice total must be greater than zero');
  const charges = priced.charges.filter((c) => !c.amount.isZero());
  // A member the split gives nothing (a weight of 0) has no part of the invoice, and so does not see it.
  const parts = memberParts(priced.charges).filter((p) => !p.amount.isZero() || !p.individualAmount.isZero());
  assertSumsTo(charges, priced.total, 'the charges');
  assertSumsTo(parts, priced.total, "the members' parts");
  return { priced, charges, parts, warnings: invoiceWarnings(lines, individualRateOf) };
}

function assertSumsTo(items: readonly { amount: Money }[], total: Money, what: string): void {
  const charged = sum(items.map((i) => i.amount));
  if (!charged.eq(total)) throw new InvariantError(`${what} come to ${charged.toFixed(2)}, not ${total.toFixed(2)}`);
}
