import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  Entry,
  Page,
  Payment,
  PoolBalance,
  Provider,
  Purchase,
  PurchaseCreated,
  SharedCost,
} from '../support/api';
import { defined } from '../support/assert';
import {
  type CoopFixture,
  type HolderFixture,
  contribute,
  createCoop,
  createHolder,
  createPool,
  expectLedgerConsistent,
  joinPool,
  receive,
} from '../support/fixtures';
import { type Response, type TypedHarness, createHarness } from '../support/harness';
import { expectPostedOnce } from '../support/idempotency';
import { InsufficientFunds, Problem, problemType } from '../support/problems';

/**
 * Purchases, shared costs and invoice payments racing on a real PostgreSQL server. `inject` drives the app
 * in-process, so Promise.all over h.call gives truly concurrent transactions on the pool's connections.
 *
 * What must hold whatever the interleaving: no share ever goes below zero; every accepted purchase is fully posted
 * (its entry charges exactly its total, member by member as its response said); a refused one leaves no purchase
 * and no entry; payments of one invoice never together pay more than it is owed; one Idempotency-Key posts once.
 */

const INSUFFICIENT = problemType('insufficient-funds');
const UNPROCESSABLE = problemType('unprocessable');
const CONCURRENT = problemType('concurrent-update');
const DUPLICATE = problemType('duplicate');

let h: TypedHarness;

beforeAll(async () => {
  expect(process.env.TEST_DATABASE_URL, 'tests/pg runs only against a PostgreSQL server').toBeTruthy();
  h = await createHarness();
  expect(h.db.kind).toBe('postgres');
});
afterAll(async () => h.close());

const cents = (amount: string) => {
  expect(amount).toMatch(/^-?\d+\.\d{2}$/);
  const [whole, frac] = amount.replace('-', '').split('.');
  return (amount.startsWith('-') ? -1 : 1) * (Number(whole) * 100 + Number(frac));
};
const money = (c: number) =>
  `${c < 0 ? '-' : ''}${Math.floor(Math.abs(c) / 100)}.${String(Math.abs(c) % 100).padStart(2, '0')}`;
const statusesOf = (responses: Response[]) =>
  responses.reduce<Record<number, number>>((acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }), {});
const sumOf = (values: number[]) => values.reduce((a, b) => a + b, 0);

interface Scene {
  coop: CoopFixture;
  providerId: string;
  poolId: string;
  holders: [HolderFixture, ...HolderFixture[]];
  /** Each holder's share once the scene is set, in pence, by member id. */
  initial: Map<string, number>;
}

/** A co-op with a PA provider and a pool of holders whose shares are the given sizes. */
async function scene(shares: [string, ...string[]], funds = '2000.00'): Promise<Scene> {
  const coop = await createCoop(h);
  const provider = await h.call<Provider>('POST', `/v1/coops/${coop.coopId}/providers`, {
    token: coop.treasurerToken,
    body: { name: 'Cydweithfa PA', kind: 'cooperative', welshLanguageService: true, locality: 'Wrecsam' },
  });
  expect(provider.status).toBe(201);
  const rates = await h.call('PUT', `/v1/coops/${coop.coopId}/providers/${provider.body.id}/rates`, {
    token: coop.treasurerToken,
    body: {
      services: [
        {
          serviceType: 'personal_assistance',
          unit: 'hour',
          individualRate: '17.50',
          tierPeriod: 'week',
          tiers: [{ minUnits: '40', rate: '16.00' }],
        },
      ],
    },
  });
  expect(rates.status).toBe(200);
  const pool = await createPool(h, coop);
  const initial = new Map<string, number>();
  const inPool = async (share: string) => {
    const holder = await createHolder(h, coop);
    await receive(h, coop, holder.memberId, funds);
    await joinPool(h, coop, pool.id, holder.memberId);
    expect((await contribute(h, coop, pool.id, holder.memberId, share)).status).toBe(201);
    initial.set(holder.memberId, cents(share));
    return holder;
  };
  const [firstShare, ...otherShares] = shares;
  const holders: Scene['holders'] = [await inPool(firstShare)];
  for (const share of otherShares) holders.push(await inPool(share));
  return { coop, providerId: provider.body.id, poolId: pool.id, holders, initial };
}

function get<T = unknown>(s: Scene, path: string): Promise<Response<T>> {
  return h.call<T>('GET', `/v1/coops/${s.coop.coopId}${path}`, { token: s.coop.treasurerToken });
}
function post<T = unknown>(s: Scene, path: string, body: unknown, key?: string): Promise<Response<T>> {
  return h.call<T>('POST', `/v1/coops/${s.coop.coopId}${path}`, {
    token: s.coop.treasurerToken,
    body,
    ...(key ? { headers: { 'idempotency-key': key } } : {}),
  });
}

/** An invoice: 2.5 h shared by the whole pool, split equally (40.00), plus `namedHours` h for one member. */
function purchaseBody(s: Scene, reference: string, named?: { memberId: string; hours: string }) {
  const lines: Record<string, unknown>[] = [
    { serviceType: 'personal_assistance', description: 'Shared outing', units: '2.5', unitRate: '16.00' },
  ];
  if (named)
    lines.push({
      serviceType: 'personal_assistance',
      description: 'Day support',
      units: named.hours,
      unitRate: '16.00',
      memberId: named.memberId,
    });
  return {
    providerId: s.providerId,
    poolId: s.poolId,
    invoiceReference: reference,
    invoiceDate: '2026-01-20',
    serviceFrom: '2026-01-12',
    serviceTo: '2026-01-18',
    lines,
    allocation: { method: 'equal' },
  };
}

async function poolShares(s: Scene): Promise<Map<string, number>> {
  const res = await get<PoolBalance>(s, `/pools/${s.poolId}/balance`);
  expect(res.status).toBe(200);
  return new Map(res.body.shares.map((x) => [x.memberId, cents(x.share)]));
}

/** Every item of a list (one page of 500 holds them all here). */
async function allPages<T>(s: Scene, path: string): Promise<T[]> {
  const res = await get<Page<T>>(s, `${path}${path.includes('?') ? '&' : '?'}limit=500`);
  expect(res.status).toBe(200);
  expect(res.body.nextCursor).toBeNull();
  return res.body.items;
}
const purchasesOf = (s: Scene) => allPages<Purchase>(s, '/purchases');
const entriesOf = (s: Scene) => allPages<Entry>(s, '/entries');

/** An entry as the ledger shows it, checked to balance. */
async function entry(s: Scene, entryId: string): Promise<Entry> {
  const res = await get<Entry>(s, `/entries/${entryId}`);
  expect(res.status).toBe(200);
  expect(sumOf(res.body.postings.map((p) => cents(p.amount)))).toBe(0);
  return res.body;
}

/** Sums of the postings of an entry to member accounts, by member. */
function memberCharges(postings: { memberId: string | null; amount: string }[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const p of postings) if (p.memberId) out.set(p.memberId, (out.get(p.memberId) ?? 0) + cents(p.amount));
  return out;
}

describe('concurrent purchases against one pool whose shares cannot cover them all', () => {
  it('30 purchases, 10 shared costs, 10 payments of one invoice and 20 balance reads at once', async () => {
    // Four shares of different sizes; every purchase asks 10.00 of each (40.00 split equally) and 16.00 more of
    // one member in turn; every shared cost asks 5.00 of each. The smallest share cannot cover them all.
    const s = await scene(['95.00', '180.00', '260.00', '400.00']);
    const ids = s.holders.map((x) => x.memberId);

    // An invoice charged to one holder's own funds, to be paid in parts during the race: 10 × 40% of its total.
    const own = await post<PurchaseCreated>(s, '/purchases', {
      providerId: s.providerId,
      memberId: ids[3],
      invoiceReference: 'OWN-1',
      invoiceDate: '2026-01-19',
      serviceFrom: '2026-01-12',
      serviceTo: '2026-01-18',
      lines: [{ serviceType: 'personal_assistance', description: 'Evening support', units: '6.25', unitRate: '16.00' }],
    });
    expect(own.status).toBe(201);
    expect(own.body.total).toBe('100.00');
    const purchasesBefore = (await purchasesOf(s)).length;
    const entriesBefore = await entriesOf(s);

    const purchaseAsks = Array.from({ length: 30 }, (_, i) => {
      const named = defined(ids[i % 4]);
      const asks = new Map(ids.map((id) => [id, 1000 + (id === named ? 1600 : 0)]));
      return {
        reference: `RACE-${String(i).padStart(2, '0')}`,
        named,
        asks,
        body: purchaseBody(s, `RACE-${String(i).padStart(2, '0')}`, { memberId: named, hours: '1' }),
      };
    });
    const costAsks = Array.from({ length: 10 }, (_, i) => ({
      asks: new Map(ids.map((id) => [id, 500])),
      body: {
        category: 'admin',
        description: `Bookkeeping ${i}`,
        amount: '20.00',
        date: '2026-01-20',
        allocation: { method: 'equal' },
      },
    }));

    const purchasePromises = purchaseAsks.map((p) => post<PurchaseCreated>(s, '/purchases', p.body));
    const costPromises = costAsks.map((c) => post<SharedCost>(s, `/pools/${s.poolId}/costs`, c.body));
    const paymentPromises = Array.from({ length: 10 }, (_, i) =>
      post<Payment>(s, `/purchases/${own.body.id}/payments`, {
        amount: '40.00',
        paidOn: '2026-01-21',
        reference: `BACS ${i}`,
      }),
    );
    const readPromises = Array.from({ length: 20 }, () => poolShares(s));
    const [purchases, costs, payments, seen] = await Promise.all([
      Promise.all(purchasePromises),
      Promise.all(costPromises),
      Promise.all(paymentPromises),
      Promise.all(readPromises),
    ]);

    // Only accepted or refused for lack of money; nothing else (no 409 retry, no 500).
    for (const r of [...purchases, ...costs]) {
      expect([201, 422], r.text).toContain(r.status);
      if (r.status === 422) expect(r.json(Problem).type).toBe(INSUFFICIENT);
    }
    // Each ask beside its answer (Promise.all keeps the order).
    const answered = purchaseAsks.map((p, i) => ({ ...p, res: defined(purchases[i]) }));
    const accepted = answered.filter((x) => x.res.status === 201);
    const refused = answered.filter((x) => x.res.status === 422);
    const acceptedCosts = costAsks.filter((_, i) => costs[i]?.status === 201);
    expect(accepted.length).toBeGreaterThan(0);
    expect(refused.length).toBeGreaterThan(0);

    // No read ever saw a share below zero, or above what was put in.
    const initialOf = (id: string) => defined(s.initial.get(id), `the initial share of ${id}`);
    for (const shares of seen) {
      for (const id of ids) {
        expect(shares.get(id)).toBeGreaterThanOrEqual(0);
        expect(shares.get(id)).toBeLessThanOrEqual(initialOf(id));
      }
    }

    // Each share ends at what was put in less exactly what the accepted purchases and costs charged it.
    const final = await poolShares(s);
    const finalOf = (id: string) => defined(final.get(id), `the final share of ${id}`);
    for (const id of ids) {
      const charged = sumOf([...accepted, ...acceptedCosts].map((x) => defined(x.asks.get(id))));
      expect(finalOf(id), `share of ${id}`).toBe(initialOf(id) - charged);
      expect(finalOf(id)).toBeGreaterThanOrEqual(0);
    }

    // Every accepted purchase is fully posted: its response, its record and its entry agree to the penny.
    for (const p of accepted) {
      const res = p.res;
      expect(res.body).toMatchObject({ total: '56.00', individualRateTotal: '61.25', saving: '5.25' });
      expect(new Map(res.body.allocations.map((x) => [x.memberId, cents(x.amount)]))).toEqual(p.asks);
      const posted = await entry(s, res.body.entryId);
      expect(posted.kind).toBe('purchase');
      expect(posted.reference).toBe(p.reference);
      expect(memberCharges(posted.postings)).toEqual(p.asks);
      const credits = posted.postings.filter((x) => cents(x.amount) < 0);
      expect(credits.map((x) => x.amount)).toEqual(['-56.00']); // owed to the provider: the whole invoice
      const record = await get<Purchase>(s, `/purchases/${res.body.id}`);
      expect(record.status).toBe(200);
      expect(record.body).toMatchObject({
        entryId: res.body.entryId,
        total: '56.00',
        paid: '0.00',
        outstanding: '56.00',
        invoiceReference: p.reference,
      });
      expect(new Map(record.body.allocations.map((x) => [x.memberId, cents(x.amount)]))).toEqual(p.asks);
    }
    for (const [i, c] of costAsks.entries()) {
      const res = defined(costs[i]);
      if (res.status !== 201) continue;
      const posted = await entry(s, res.body.entryId);
      expect(posted.kind).toBe('shared_cost');
      expect(memberCharges(posted.postings)).toEqual(c.asks);
    }

    // A refusal names who was short, by exactly what the purchase asked of them; shares only fall, so each named
    // member still could not pay it at the end — nothing refused would have fitted.
    for (const r of refused) {
      const { shortfalls } = r.res.json(InsufficientFunds);
      expect(shortfalls.length).toBeGreaterThan(0);
      for (const short of shortfalls) {
        expect(short.account).toBe('pool share');
        const asked = defined(r.asks.get(short.memberId), `what was asked of ${short.memberId}`);
        expect(cents(short.available) + cents(short.shortBy)).toBe(asked);
        expect(cents(short.available)).toBeGreaterThanOrEqual(finalOf(short.memberId));
        expect(finalOf(short.memberId)).toBeLessThan(asked);
      }
    }

    // Refused purchases left nothing: exactly the accepted invoices are recorded, with one entry each.
    const recorded = await purchasesOf(s);
    expect(recorded).toHaveLength(purchasesBefore + accepted.length);
    expect(
      recorded
        .map((x) => x.invoiceReference)
        .filter((ref) => ref.startsWith('RACE-'))
        .sort(),
    ).toEqual(accepted.map((a) => a.reference).sort());
    const before = new Set(entriesBefore.map((e) => e.id));
    const newEntries = (await entriesOf(s)).filter((e) => !before.has(e.id));
    expect(
      newEntries
        .filter((e) => e.kind === 'purchase')
        .map((e) => e.id)
        .sort(),
    ).toEqual(
      purchases
        .filter((r) => r.status === 201)
        .map((r) => r.body.entryId)
        .sort(),
    );
    expect(
      newEntries
        .filter((e) => e.kind === 'shared_cost')
        .map((e) => e.id)
        .sort(),
    ).toEqual(
      costs
        .filter((r) => r.status === 201)
        .map((r) => r.body.entryId)
        .sort(),
    );
    const costRows = newEntries.filter((e) => e.kind === 'shared_cost');
    expect(costRows).toHaveLength(acceptedCosts.length);

    // 10 payments of 40% of a 100.00 invoice at once: exactly two fit, the rest are refused as overpayments.
    expect(statusesOf(payments)).toEqual({ 201: 2, 422: 8 });
    for (const r of payments.filter((x) => x.status === 422)) {
      const problem = r.json(Problem);
      expect(problem.type).toBe(UNPROCESSABLE);
      expect(['60.00', '20.00']).toContain(problem.outstanding);
    }
    expect(
      payments
        .filter((x) => x.status === 201)
        .map((x) => x.body.outstanding)
        .sort(),
    ).toEqual(['20.00', '60.00']);
    const paid = await get<Purchase>(s, `/purchases/${own.body.id}`);
    expect(paid.body).toMatchObject({ total: '100.00', paid: '80.00', outstanding: '20.00' });
    expect(newEntries.filter((e) => e.kind === 'provider_payment')).toHaveLength(2);

    await expectLedgerConsistent(h);
  });

  it('payments of one invoice in different sizes at once never together pay more than it is owed', async () => {
    const s = await scene(['500.00', '500.00']);
    const invoice = await post<PurchaseCreated>(s, '/purchases', purchaseBody(s, 'PAY-1')); // 40.00
    expect(invoice.status).toBe(201);
    const amounts = Array.from({ length: 15 }, (_, i) => money(100 + ((i * 337) % 900))); // 1.00 .. 9.99
    const responses = await Promise.all(
      amounts.map((amount, i) =>
        post(s, `/purchases/${invoice.body.id}/payments`, { amount, paidOn: '2026-01-21', reference: `Part ${i}` }),
      ),
    );
    for (const r of responses) expect([201, 422]).toContain(r.status);
    const answered = amounts.map((amount, i) => ({ amount, status: responses[i]?.status }));
    const paidCents = sumOf(answered.filter((a) => a.status === 201).map((a) => cents(a.amount)));
    expect(paidCents).toBeLessThanOrEqual(4000);
    const outstanding = 4000 - paidCents;
    // Outstanding only falls, so each refused payment was more than what is outstanding at the end.
    for (const a of answered) if (a.status === 422) expect(cents(a.amount)).toBeGreaterThan(outstanding);
    const record = await get<Purchase>(s, `/purchases/${invoice.body.id}`);
    expect(record.body).toMatchObject({ paid: money(paidCents), outstanding: money(outstanding) });
    await expectLedgerConsistent(h);
  });

  it('one invoice recorded 10 times at once without a key: one purchase, the rest 409 duplicate', async () => {
    const s = await scene(['500.00', '500.00', '500.00', '500.00']);
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => post(s, '/purchases', purchaseBody(s, 'DUP-1'))),
    );
    expect(statusesOf(responses)).toEqual({ 201: 1, 409: 9 });
    for (const r of responses.filter((x) => x.status === 409)) expect(r.json(Problem).type).toBe(DUPLICATE);
    expect((await purchasesOf(s)).filter((p) => p.invoiceReference === 'DUP-1')).toHaveLength(1);
    expect((await entriesOf(s)).filter((e) => e.kind === 'purchase')).toHaveLength(1);
    const shares = await poolShares(s);
    for (const id of s.holders.map((x) => x.memberId)) expect(shares.get(id)).toBe(50000 - 1000);
    await expectLedgerConsistent(h);
  });
});

describe('concurrent requests with one Idempotency-Key', () => {
  it('20 identical purchases at once: one purchase and one entry; the others replay it', async () => {
    const s = await scene(['100.00', '200.00', '300.00', '400.00']);
    const key = `purchase-race-${Date.now()}`;
    const named = defined(s.holders[1]);
    const body = purchaseBody(s, 'IDEM-1', { memberId: named.memberId, hours: '2' }); // 40.00 + 32.00
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => post<PurchaseCreated>(s, '/purchases', body, key)),
    );
    const fresh = expectPostedOnce(responses);
    expect(fresh.body.total).toBe('72.00');

    expect((await purchasesOf(s)).map((p) => p.id)).toEqual([fresh.body.id]);
    expect((await entriesOf(s)).filter((e) => e.kind === 'purchase').map((e) => e.id)).toEqual([fresh.body.entryId]);
    const shares = await poolShares(s);
    for (const holder of s.holders)
      expect(shares.get(holder.memberId)).toBe(
        defined(s.initial.get(holder.memberId)) - 1000 - (holder === named ? 3200 : 0),
      );

    // After the race, the key replays the same purchase.
    const later = await post<PurchaseCreated>(s, '/purchases', body, key);
    expect(later.status).toBe(201);
    expect(later.headers['idempotency-replayed']).toBe('true');
    expect(later.body).toEqual(fresh.body);
    await expectLedgerConsistent(h);
  });

  it('20 identical payments at once: one payment; the others replay it', async () => {
    const s = await scene(['100.00', '100.00']);
    const invoice = await post<PurchaseCreated>(s, '/purchases', purchaseBody(s, 'IDEM-PAY'));
    expect(invoice.status).toBe(201);
    const key = `payment-race-${Date.now()}`;
    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        post<Payment>(
          s,
          `/purchases/${invoice.body.id}/payments`,
          { amount: '30.00', paidOn: '2026-01-21', reference: 'BACS' },
          key,
        ),
      ),
    );
    const fresh = expectPostedOnce(responses);
    expect(fresh.body.outstanding).toBe('10.00');
    expect((await get(s, `/purchases/${invoice.body.id}`)).body).toMatchObject({ paid: '30.00', outstanding: '10.00' });
    expect((await entriesOf(s)).filter((e) => e.kind === 'provider_payment').map((e) => e.id)).toEqual([
      fresh.body.entryId,
    ]);
    await expectLedgerConsistent(h);
  });

  it('20 identical shared costs at once: one entry; the others replay it', async () => {
    const s = await scene(['50.00', '50.00', '50.00']);
    const key = `cost-race-${Date.now()}`;
    const body = {
      category: 'insurance',
      description: 'Employer liability',
      amount: '30.00',
      date: '2026-01-20',
      allocation: { method: 'equal' },
    };
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => post<SharedCost>(s, `/pools/${s.poolId}/costs`, body, key)),
    );
    const fresh = expectPostedOnce(responses);
    expect((await entriesOf(s)).filter((e) => e.kind === 'shared_cost').map((e) => e.id)).toEqual([fresh.body.entryId]);
    const shares = await poolShares(s);
    for (const holder of s.holders) expect(shares.get(holder.memberId)).toBe(4000);
    await expectLedgerConsistent(h);
  });

  it('20 identical unaffordable purchases at once: all refused, nothing posted, and the refusal is what the key replays', async () => {
    const s = await scene(['5.00', '500.00', '500.00', '500.00']);
    const key = `purchase-refused-${Date.now()}`;
    const body = purchaseBody(s, 'IDEM-REFUSED'); // asks 10.00 of a 5.00 share
    const responses = await Promise.all(Array.from({ length: 20 }, () => post(s, '/purchases', body, key)));
    for (const r of responses) {
      if (r.status === 409) expect(r.json(Problem).type).toBe(CONCURRENT);
      else {
        expect(r.status).toBe(422);
        const problem = r.json(InsufficientFunds);
        expect(problem.type).toBe(INSUFFICIENT);
        expect(problem.shortfalls).toEqual([
          expect.objectContaining({ memberId: s.holders[0].memberId, available: '5.00', shortBy: '5.00' }),
        ]);
      }
    }
    expect(responses.filter((r) => r.status === 422).length).toBeGreaterThan(0);
    expect(await purchasesOf(s)).toHaveLength(0);
    expect((await entriesOf(s)).filter((e) => e.kind === 'purchase')).toHaveLength(0);
    expect(await poolShares(s)).toEqual(s.initial);
    const later = await post(s, '/purchases', body, key);
    expect(later.status).toBe(422);
    expect(later.headers['idempotency-replayed']).toBe('true');
    await expectLedgerConsistent(h);
  });
});
