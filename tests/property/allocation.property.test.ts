import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ALLOCATION_METHODS,
  type AllocationMethod,
  type Weighted,
  allocate,
  allocationTotal,
  equalWeights,
} from '../../src/domain/allocation';
import { type InvoiceLine, memberParts, priceInvoice } from '../../src/domain/purchase-pricing';
import { type ServiceRate, quote, rateForVolume } from '../../src/domain/purchasing';
import { Decimal, type Money, formatMoney, parseMoney, quantity, sum } from '../../src/domain/money';

/**
 * Splitting and pricing, checked against an exact reference in integer arithmetic (BigInt): amounts in pence,
 * weights, units and quantities in hundredths. Every allocation method reduces to weights — equal: all 1;
 * weights: the weights; usage: the units; contributions: the amounts contributed — so each property runs over
 * every method's kind of weight.
 */

const MAX_PENCE = 99_999_999_999_999n; // 999999999999.99, the NUMERIC(14,2) limit
const QUANTITY_MAX_HUNDREDTHS = 99_999_999_999n; // 999999999.99, the largest weight/usage a request may give

// ---------------------------------------------------------------------------------------------------------------
// Text and exact integers

function fixed2(hundredths: bigint): string {
  const sign = hundredths < 0n ? '-' : '';
  const abs = hundredths < 0n ? -hundredths : hundredths;
  return `${sign}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
}
const money = (pence: bigint): Money => parseMoney(fixed2(pence));
/** Money as pence, insisting it is a whole number of pence. */
function pence(amount: Money): bigint {
  const p = amount.mul(100);
  expect(p.isInteger(), `${amount.toString()} is a whole number of pence`).toBe(true);
  return BigInt(p.toFixed(0));
}
/** A quantity (weight, units) as a request gives it: a string with at most two decimals, parsed as the routes do. */
function quantityText(hundredths: bigint, style: number): string {
  if (hundredths % 100n === 0n && style % 3 === 0) return (hundredths / 100n).toString(); // "10"
  if (hundredths % 10n === 0n && style % 3 === 1) return `${hundredths / 100n}.${(hundredths % 100n) / 10n}`; // "10.5"
  return fixed2(hundredths); // "10.50"
}

// ---------------------------------------------------------------------------------------------------------------
// The reference split: exact shares as fractions over the total weight, floors, and leftover pennies by largest
// remainder, ties by member id (ordinary string order, as the service compares ids).

interface Member {
  memberId: string;
  /** The weight in hundredths (every method's weight has at most two decimals). */
  weight: bigint;
}

const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function referenceSplit(totalPence: bigint, members: readonly Member[]): Map<string, bigint> {
  const weightTotal = members.reduce((acc, m) => acc + m.weight, 0n);
  const sign = totalPence < 0n ? -1n : 1n;
  const magnitude = totalPence * sign;
  const exact = [...members]
    .sort((a, b) => byId(a.memberId, b.memberId))
    .map((m) => ({
      ...m,
      floor: (magnitude * m.weight) / weightTotal,
      remainder: (magnitude * m.weight) % weightTotal,
    }));
  let leftover = magnitude - exact.reduce((acc, e) => acc + e.floor, 0n);
  expect(leftover >= 0n && leftover < BigInt(Math.max(1, members.length))).toBe(true);
  // Remainders share the denominator weightTotal, so comparing numerators compares them exactly.
  const order = exact
    .filter((e) => e.weight > 0n)
    .sort((a, b) => (a.remainder === b.remainder ? byId(a.memberId, b.memberId) : a.remainder > b.remainder ? -1 : 1));
  const extra = new Set<string>();
  for (const e of order) {
    if (leftover === 0n) break;
    extra.add(e.memberId);
    leftover -= 1n;
  }
  return new Map(exact.map((e) => [e.memberId, sign * (e.floor + (extra.has(e.memberId) ? 1n : 0n))]));
}

/** The weights one allocation method gives, as the service builds them (see services/allocations.ts). */
function weightedOf(method: AllocationMethod, members: readonly Member[], style: number): Weighted[] {
  switch (method) {
    case 'equal':
      return equalWeights(members.map((m) => m.memberId));
    case 'weights':
    case 'usage':
      // Request quantities: `new Decimal(text)`, exactly as the routes' Quantity schema parses them.
      return members.map((m) => ({ memberId: m.memberId, weight: quantity(quantityText(m.weight, style)) }));
    case 'contributions':
      // Sums of contributions read back from NUMERIC columns.
      return members.map((m) => ({ memberId: m.memberId, weight: quantity(money(m.weight)) }));
  }
}
const weightInHundredths = (w: Weighted): bigint => BigInt(w.weight.mul(100).toFixed(0));

/** Member ids: uuids as the service makes them, or short ids so that string order is exercised on its own. */
const memberIdArb = fc.oneof(fc.uuid(), fc.stringMatching(/^[0-9a-f]{1,6}$/));

/** A weight in hundredths for a method: small whole numbers (where ties are common), any quantity, zero. */
function weightArb(method: AllocationMethod): fc.Arbitrary<bigint> {
  if (method === 'equal') return fc.constant(100n);
  const max = method === 'contributions' ? MAX_PENCE : QUANTITY_MAX_HUNDREDTHS;
  return fc.oneof(
    { weight: 3, arbitrary: fc.integer({ min: 0, max: 12 }).map((n) => BigInt(n) * 100n) },
    { weight: 3, arbitrary: fc.bigInt({ min: 0n, max: 100_000n }) },
    { weight: 2, arbitrary: fc.bigInt({ min: 0n, max }) },
    { weight: 1, arbitrary: fc.constant(0n) },
  );
}

const totalArb = fc.oneof(
  { weight: 3, arbitrary: fc.bigInt({ min: 0n, max: 10_000n }) },
  { weight: 3, arbitrary: fc.bigInt({ min: 0n, max: 100_000_000n }) },
  { weight: 2, arbitrary: fc.bigInt({ min: 0n, max: MAX_PENCE }) },
);

interface Case {
  method: AllocationMethod;
  totalPence: bigint;
  members: Member[];
  style: number;
}

/** A split to make: a method, a total, 1..40 members with distinct ids and their weights (not all zero). */
const caseArb: fc.Arbitrary<Case> = fc.constantFrom(...ALLOCATION_METHODS).chain((method) =>
  fc.record({
    method: fc.constant(method),
    totalPence: totalArb,
    members: fc
      .uniqueArray(fc.tuple(memberIdArb, weightArb(method)), { minLength: 1, maxLength: 40, selector: ([id]) => id })
      .filter((list) => list.some(([, w]) => w > 0n))
      .map((list) => list.map(([memberId, weight]) => ({ memberId, weight }))),
    style: fc.nat(),
  }),
);

function run(c: Case, members: readonly Member[] = c.members): Map<string, Money> {
  const result = allocate(money(c.totalPence), weightedOf(c.method, members, c.style));
  expect(result.map((a) => a.memberId).sort(byId)).toEqual(members.map((m) => m.memberId).sort(byId));
  return new Map(result.map((a) => [a.memberId, a.amount]));
}
const asText = (split: Map<string, Money>) =>
  [...split.entries()].sort(([a], [b]) => byId(a, b)).map(([id, amount]) => `${id}=${formatMoney(amount)}`);

const RUNS = { numRuns: 400 };

describe('allocate: splitting a total by weights', () => {
  it('the weights of each method are what the reference uses', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const weighted = weightedOf(c.method, c.members, c.style);
        expect(weighted.map(weightInHundredths)).toEqual(c.members.map((m) => m.weight));
      }),
      RUNS,
    );
  });

  it('shares sum exactly to the total, every share is whole pence', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const split = run(c);
        const shares = [...split.values()];
        expect(shares.reduce((acc, s) => acc + pence(s), 0n)).toBe(c.totalPence);
        expect(
          formatMoney(allocationTotal(allocate(money(c.totalPence), weightedOf(c.method, c.members, c.style)))),
        ).toBe(fixed2(c.totalPence));
      }),
      RUNS,
    );
  });

  it('each share is within one penny of its exact value total × w ÷ Σw', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const split = run(c);
        const weightTotal = c.members.reduce((acc, m) => acc + m.weight, 0n);
        for (const m of c.members) {
          // |share − T·w/W| < 1p  ⇔  |share·W − T·w| < W, all in pence.
          const diff = pence(split.get(m.memberId)!) * weightTotal - c.totalPence * m.weight;
          expect(
            diff < weightTotal && -diff < weightTotal,
            `${m.memberId}: ${formatMoney(split.get(m.memberId)!)}`,
          ).toBe(true);
          // Rounded down, then at most one penny more.
          const floor = (c.totalPence * m.weight) / weightTotal;
          expect([floor, floor + 1n]).toContain(pence(split.get(m.memberId)!));
        }
      }),
      RUNS,
    );
  });

  it('members with zero weight get exactly 0.00', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const split = run(c);
        for (const m of c.members.filter((x) => x.weight === 0n)) {
          expect(split.get(m.memberId)!.isZero()).toBe(true);
          expect(formatMoney(split.get(m.memberId)!)).toBe('0.00');
        }
      }),
      RUNS,
    );
  });

  it('the result does not depend on the order of the input', () => {
    fc.assert(
      fc.property(
        caseArb.chain((c) =>
          fc.tuple(
            fc.constant(c),
            fc.shuffledSubarray(c.members, { minLength: c.members.length, maxLength: c.members.length }),
          ),
        ),
        ([c, shuffled]) => {
          expect(asText(run(c, shuffled))).toEqual(asText(run(c)));
          // The output itself comes in member-id order, whatever the input order.
          const out = allocate(money(c.totalPence), weightedOf(c.method, shuffled, c.style)).map((a) => a.memberId);
          expect(out).toEqual([...out].sort(byId));
        },
      ),
      RUNS,
    );
  });

  it('the same input always gives the same output', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const first = asText(run(c));
        for (let i = 0; i < 3; i += 1) expect(asText(run(c))).toEqual(first);
      }),
      RUNS,
    );
  });

  it('equals the reference: floors, then leftover pennies by largest remainder, ties by member id', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const expected = referenceSplit(c.totalPence, c.members);
        const split = run(c);
        expect(asText(split)).toEqual(asText(new Map([...expected].map(([id, p]) => [id, money(p)]))));
      }),
      { numRuns: 1000 },
    );
  });

  it('a negative total splits as the mirror image of the positive one', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        fc.pre(c.totalPence > 0n);
        const positive = run(c);
        const negative = run({ ...c, totalPence: -c.totalPence });
        for (const [id, amount] of positive) expect(pence(negative.get(id)!)).toBe(-pence(amount));
      }),
      RUNS,
    );
  });

  describe('constructed ties', () => {
    it('equal weights: the leftover pennies go to the lowest member ids, whatever the input order', () => {
      fc.assert(
        fc.property(
          fc.uniqueArray(memberIdArb, { minLength: 2, maxLength: 30 }),
          fc.bigInt({ min: 0n, max: 100_000_000n }),
          fc.nat(),
          (ids, totalPence, seed) => {
            const n = BigInt(ids.length);
            const rotated = [...ids.slice(seed % ids.length), ...ids.slice(0, seed % ids.length)].reverse();
            const split = new Map(
              allocate(money(totalPence), equalWeights(rotated)).map((a) => [a.memberId, pence(a.amount)]),
            );
            const lucky = new Set([...ids].sort(byId).slice(0, Number(totalPence % n)));
            for (const id of ids) expect(split.get(id)).toBe(totalPence / n + (lucky.has(id) ? 1n : 0n));
          },
        ),
        RUNS,
      );
    });

    it('different weights with exactly equal remainders: ties still go by member id', () => {
      // All weights congruent modulo g (w = b + a·g) and a total T with W | T·g give every member the same exact
      // remainder T·w mod W, while their whole-penny parts differ. The leftover pennies must go to the lowest ids.
      const tieArb = fc
        .record({
          ids: fc.uniqueArray(memberIdArb, { minLength: 2, maxLength: 8 }),
          b: fc.integer({ min: 1, max: 20 }),
          g: fc.integer({ min: 1, max: 50 }),
          a: fc.array(fc.integer({ min: 0, max: 200 }), { minLength: 8, maxLength: 8 }),
          t: fc.integer({ min: 1, max: 5_000 }),
        })
        .map(({ ids, b, g, a, t }) => {
          const members = ids.map((memberId, i) => ({ memberId, weight: BigInt(b + a[i]! * g) * 100n }));
          const W = members.reduce((acc, m) => acc + m.weight, 0n);
          const G = BigInt(g) * 100n;
          const gcd = (x: bigint, y: bigint): bigint => (y === 0n ? x : gcd(y, x % y));
          return { members, totalPence: BigInt(t) * (W / gcd(W, G)) };
        })
        .filter(({ totalPence }) => totalPence <= MAX_PENCE);
      fc.assert(
        fc.property(
          tieArb,
          fc.constantFrom<AllocationMethod>('weights', 'usage', 'contributions'),
          ({ members, totalPence }, method) => {
            const W = members.reduce((acc, m) => acc + m.weight, 0n);
            const remainders = new Set(members.map((m) => (totalPence * m.weight) % W));
            expect(remainders.size).toBe(1); // the construction: one remainder for all
            const leftover = Number(([...remainders][0]! * BigInt(members.length)) / W);
            fc.pre(leftover > 0);
            const split = run({ method, totalPence, members, style: 0 });
            const lucky = new Set(
              members
                .map((m) => m.memberId)
                .sort(byId)
                .slice(0, leftover),
            );
            for (const m of members) {
              const floor = (totalPence * m.weight) / W;
              expect(`${m.memberId}: ${pence(split.get(m.memberId)!)}`).toBe(
                `${m.memberId}: ${floor + (lucky.has(m.memberId) ? 1n : 0n)}`,
              );
            }
          },
        ),
        RUNS,
      );
    });

    it('a worked tie: 3.00 by usage 7h : 1h : 1h gives the one leftover penny to the lowest id', () => {
      // Exact shares 233⅓p, 33⅓p, 33⅓p: floors 233 + 33 + 33 = 299, one penny left, all three remainders exactly ⅓.
      const weighted = [
        { memberId: 'a', weight: quantity('7') },
        { memberId: 'b', weight: quantity('1') },
        { memberId: 'c', weight: quantity('1') },
      ];
      expect(allocate(parseMoney('3.00'), weighted).map((x) => `${x.memberId}=${formatMoney(x.amount)}`)).toEqual([
        'a=2.34',
        'b=0.33',
        'c=0.33',
      ]);
    });
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Pricing an invoice

/** units × rate, rounded half-up to the penny, exactly: hundredths × pence = 1/10000ths of a pound. */
const lineReference = (unitsHundredths: bigint, ratePence: bigint): bigint =>
  (unitsHundredths * ratePence + 50n) / 100n;

const SERVICE_TYPES = [
  'personal_assistance',
  'agency_care',
  'respite',
  'day_activities',
  'equipment',
  'gardening',
] as const;

interface LineCase {
  serviceType: string;
  units: bigint;
  rate: bigint;
  member: number | null;
  style: number;
}

const invoiceArb = fc
  .record({
    memberIds: fc.uniqueArray(memberIdArb, { minLength: 1, maxLength: 12 }),
    weights: fc.array(
      fc.oneof(
        fc.integer({ min: 0, max: 10 }).map((n) => BigInt(n) * 100n),
        fc.bigInt({ min: 0n, max: 1_000_000n }),
      ),
      { minLength: 12, maxLength: 12 },
    ),
    lines: fc.array(
      fc.record({
        serviceType: fc.constantFrom(...SERVICE_TYPES),
        units: fc.oneof(fc.bigInt({ min: 1n, max: 10_000n }), fc.bigInt({ min: 1n, max: 10_000_000n })), // 0.01 .. 100000.00
        rate: fc.oneof(fc.bigInt({ min: 1n, max: 5_000n }), fc.bigInt({ min: 1n, max: 1_000_000n })), // 0.01 .. 10000.00
        member: fc.option(fc.nat(), { nil: null }),
        style: fc.nat(),
      }),
      { minLength: 1, maxLength: 25 },
    ),
    individualRates: fc.dictionary(fc.constantFrom(...SERVICE_TYPES), fc.bigInt({ min: 1n, max: 1_000_000n })),
  })
  .map((x) => {
    const members = x.memberIds.map((memberId, i) => ({ memberId, weight: x.weights[i]! }));
    if (members.every((m) => m.weight === 0n)) members[0]!.weight = 100n;
    return { ...x, members };
  });

function invoiceLines(members: readonly Member[], lines: readonly LineCase[]): InvoiceLine[] {
  return lines.map((l) => ({
    serviceType: l.serviceType,
    description: 'Support',
    units: new Decimal(quantityText(l.units, l.style)), // as the routes' PositiveQuantity parses it
    unitRate: money(l.rate),
    memberId: l.member === null ? null : members[l.member % members.length]!.memberId,
  }));
}

describe('priceInvoice', () => {
  it('each line is units × rate rounded half-up; charges sum to the total, individual amounts to individualRateTotal', () => {
    fc.assert(
      fc.property(
        invoiceArb,
        fc.constantFrom<AllocationMethod>(...ALLOCATION_METHODS),
        ({ members, lines, individualRates }, method) => {
          const individualOf = (serviceType: string) =>
            serviceType in individualRates ? money(individualRates[serviceType]!) : undefined;
          const weighted = weightedOf(method, members, 0);
          const priced = priceInvoice(invoiceLines(members, lines), individualOf, weighted);

          let total = 0n;
          let individualTotal = 0n;
          priced.lines.forEach((line, i) => {
            const l = lines[i]!;
            const individualRate = l.serviceType in individualRates ? individualRates[l.serviceType]! : l.rate;
            expect(pence(line.amount)).toBe(lineReference(l.units, l.rate));
            expect(pence(line.individualRate)).toBe(individualRate);
            expect(pence(line.individualAmount)).toBe(lineReference(l.units, individualRate));
            total += lineReference(l.units, l.rate);
            individualTotal += lineReference(l.units, individualRate);
          });
          expect(pence(priced.total)).toBe(total);
          expect(pence(priced.individualRateTotal)).toBe(individualTotal);
          expect(pence(priced.saving)).toBe(individualTotal - total);

          expect(priced.charges.reduce((acc, c) => acc + pence(c.amount), 0n)).toBe(total);
          expect(priced.charges.reduce((acc, c) => acc + pence(c.individualAmount), 0n)).toBe(individualTotal);
          for (const c of priced.charges) {
            expect(c.amount.isNegative()).toBe(false);
            expect(c.individualAmount.isNegative()).toBe(false);
          }
          const parts = memberParts(priced.charges);
          expect(pence(sum(parts.map((p) => p.amount)))).toBe(total);
          expect(pence(sum(parts.map((p) => p.individualAmount)))).toBe(individualTotal);
          expect(new Set(parts.map((p) => p.memberId)).size).toBe(parts.length);

          // Each member's part: their own lines, plus their split of each shared line (by the same reference split).
          for (const m of members) {
            let expected = 0n;
            lines.forEach((l, i) => {
              const line = priced.lines[i]!;
              if (line.memberId === m.memberId) expected += pence(line.amount);
              else if (line.memberId === null)
                expected += referenceSplit(
                  pence(line.amount),
                  weighted.map((w) => ({ memberId: w.memberId, weight: weightInHundredths(w) })),
                ).get(m.memberId)!;
            });
            const part = parts.find((p) => p.memberId === m.memberId);
            expect(part ? pence(part.amount) : 0n).toBe(expected);
          }
        },
      ),
      RUNS,
    );
  });

  it('an invoice whose lines all name members needs no allocation; a shared line without one is refused', () => {
    fc.assert(
      fc.property(invoiceArb, ({ members, lines }) => {
        const named = lines.map((l, i) => ({ ...l, member: l.member ?? i }));
        const priced = priceInvoice(invoiceLines(members, named), () => undefined, null);
        expect(pence(sum(priced.charges.map((c) => c.amount)))).toBe(pence(priced.total));
        expect(pence(priced.saving)).toBe(0n);
        const shared = [...named, { ...named[0]!, member: null }];
        expect(() => priceInvoice(invoiceLines(members, shared), () => undefined, null)).toThrow(/allocation/);
      }),
      { numRuns: 100 },
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Volume tiers

/** A rate card with monotone tiers: thresholds strictly rising, rates never rising, none above the individual rate. */
const rateCardArb: fc.Arbitrary<ServiceRate> = fc
  .record({
    individual: fc.bigInt({ min: 1n, max: 10_000n }),
    thresholds: fc.uniqueArray(fc.bigInt({ min: 1n, max: 100_000n }), { maxLength: 8 }),
    cuts: fc.array(fc.bigInt({ min: 0n, max: 500n }), { minLength: 8, maxLength: 8 }),
    tierPeriod: fc.constantFrom<'week' | 'month'>('week', 'month'),
    order: fc.array(fc.nat(), { minLength: 8, maxLength: 8 }),
  })
  .map(({ individual, thresholds, cuts, tierPeriod, order }) => {
    const sorted = [...thresholds].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    let rate = individual;
    const tiers = sorted.map((minUnits, i) => {
      rate = rate - cuts[i]! > 0n ? rate - cuts[i]! : 1n;
      return { minUnits: new Decimal(fixed2(minUnits)), rate: money(rate) };
    });
    // The card may list its tiers in any order.
    const shuffled = tiers
      .map((t, i) => ({ t, key: order[i]! }))
      .sort((a, b) => a.key - b.key)
      .map((x) => x.t);
    return {
      serviceType: 'personal_assistance',
      unit: 'hour',
      individualRate: money(individual),
      tierPeriod,
      tiers: shuffled,
    };
  });

const unitsArb = fc.oneof(fc.bigInt({ min: 0n, max: 20_000n }), fc.bigInt({ min: 0n, max: 200_000n }));

describe('rateForVolume and quote', () => {
  it('more volume never gives a higher unit rate', () => {
    fc.assert(
      fc.property(rateCardArb, unitsArb, unitsArb, (card, x, y) => {
        const [low, high] = x <= y ? [x, y] : [y, x];
        const atLow = rateForVolume(card, new Decimal(fixed2(low)));
        const atHigh = rateForVolume(card, new Decimal(fixed2(high)));
        expect(
          atHigh.lte(atLow),
          `${formatMoney(atHigh)} at ${fixed2(high)} vs ${formatMoney(atLow)} at ${fixed2(low)}`,
        ).toBe(true);
        expect(atLow.lte(card.individualRate)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('the rate is the tier with the largest threshold reached, else the individual rate', () => {
    fc.assert(
      fc.property(rateCardArb, unitsArb, (card, volume) => {
        const reached = card.tiers
          .filter((t) => pence(t.minUnits) <= volume)
          .sort((a, b) => (a.minUnits.lt(b.minUnits) ? 1 : -1));
        const expected = reached[0]?.rate ?? card.individualRate;
        expect(formatMoney(rateForVolume(card, new Decimal(fixed2(volume))))).toBe(formatMoney(expected));
      }),
      { numRuns: 500 },
    );
  });

  it('a quote for more units (more per member, or more members) never has a higher unit rate', () => {
    const usageArb = fc.array(
      unitsArb.filter((u) => u > 0n),
      { minLength: 1, maxLength: 10 },
    );
    fc.assert(
      fc.property(rateCardArb, usageArb, usageArb, (card, base, extra) => {
        const period = (units: bigint[], p: 'week' | 'month') => ({
          units: units.map((u, i) => ({ memberId: `m${i}`, units: new Decimal(fixed2(u)) })),
          period: p,
        });
        const more = base.map((u, i) => u + (extra[i] ?? 0n)); // each member at least as much
        const moreMembers = [...base, ...extra]; // everyone, and more members
        for (const p of ['week', 'month'] as const) {
          const q = quote(card, period(base, p));
          expect(quote(card, period(more, p)).unitRate.lte(q.unitRate)).toBe(true);
          expect(quote(card, period(moreMembers, p)).unitRate.lte(q.unitRate)).toBe(true);
          // And the quote's figures are its own rate applied exactly.
          const combined = base.reduce((acc, u) => acc + u, 0n);
          expect(pence(q.total)).toBe(lineReference(combined, pence(q.unitRate)));
          expect(pence(q.individualTotal)).toBe(
            base.reduce((acc, u) => acc + lineReference(u, pence(card.individualRate)), 0n),
          );
          expect(pence(q.saving)).toBe(pence(q.individualTotal) - pence(q.total));
        }
      }),
      { numRuns: 500 },
    );
  });
});
