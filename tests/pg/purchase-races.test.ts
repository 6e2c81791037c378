import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
import { type Harness, type Response, createHarness } from '../support/harness';
import { expectPostedOnce } from '../support/idempotency';

/**
 * Purchases, shared costs and invoice payments racing on a real PostgreSQL server. `inject` drives the app
 * in-process, so Promise.all over h.call gives truly concurrent transactions on the pool's connections.
 *
 * What must hold whatever the interleaving: no share ever goes below zero; every accepted purchase is fully posted
 * (its entry charges exactly its total, member by member as its response said); a refused one leaves no purchase
 * and no entry; payments of one invoice never together pay more than it is owed; one Idempotency-Key posts once.
 */

const PROBLEM = 'https://cronfa.dev/problems/';
const INSUFFICIENT = `${PROBLEM}insufficient-funds`;
const UNPROCESSABLE = `${PROBLEM}unprocessable`;
const CONCURRENT = `${PROBLEM}concurrent-update`;
const DUPLICATE = `${PROBLEM}duplicate`;

let h: Harness;

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
  holders: HolderFixture[];
  /** Each holder's share once the scene is set, in pence, by member id. */
  initial: Map<string, number>;
}

/** A co-op with a PA provider and a pool of holders whose shares are the given sizes. */
async function scene(shares: string[], funds = '2000.00'): Promise<Scene> {
  const coop = await createCoop(h);
  const provider = await h.call('POST', `/v1/coops/${coop.coopId}/providers`, {
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
  const holders: HolderFixture[] = [];
  const initial = new Map<string, number>();
  for (const share of shares) {
    const holder = await createHolder(h, coop);
    await receive(h, coop, holder.memberId, funds);
    await joinPool(h, coop, pool.id, holder.memberId);
    expect((await contribute(h, coop, pool.id, holder.memberId, share)).status).toBe(201);
    holders.push(holder);
    initial.set(holder.memberId, cents(share));
  }
  return { coop, providerId: provider.body.id, poolId: pool.id, holders, initial };
}

function get(s: Scene, path: string): Promise<Response> {
  return h.call('GET', `/v1/coops/${s.coop.coopId}${path}`, { token: s.coop.treasurerToken });
}
function post(s: Scene, path: string, body: unknown, key?: string): Promise<Response> {
  return h.call('POST', `/v1/coops/${s.coop.coopId}${path}`, {
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
  const res = await get(s, `/pools/${s.poolId}/balance`);
  expect(res.status).toBe(200);
  return new Map((res.body.shares as { memberId: string; share: string }[]).map((x) => [x.memberId, cents(x.share)]));
}

async function allPages(s: Scene, path: string): Promise<any[]> {
  const res = await get(s, `${path}${path.includes('?') ? '&' : '?'}limit=500`);
  expect(res.status).toBe(200);
  expect(res.body.nextCursor).toBeNull();
  return res.body.items;
}

/** An entry as the ledger shows it, checked to balance. */
async function entry(s: Scene, entryId: string) {
  const res = await get(s, `/entries/${entryId}`);
  expect(res.status).toBe(200);
  const postings = res.body.postings as { accountId: string; memberId: string | null; amount: string }[];
  expect(sumOf(postings.map((p) => cents(p.amount)))).toBe(0);
  return res.body as { id: string; kind: string; reference: string | null; postings: typeof postings };
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
    const own = await post(s, '/purchases', {
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
    const purchasesBefore = (await allPages(s, '/purchases')).length;
    const entriesBefore = await allPages(s, '/entries');

    const purchaseAsks = Array.from({ length: 30 }, (_, i) => {
      const named = ids[i % 4]!;
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

    const purchasePromises = purchaseAsks.map((p) => post(s, '/purchases', p.body));
    const costPromises = costAsks.map((c) => post(s, `/pools/${s.poolId}/costs`, c.body));
    const paymentPromises = Array.from({ length: 10 }, (_, i) =>
      post(s, `/purchases/${own.body.id}/payments`, { amount: '40.00', paidOn: '2026-01-21', reference: `BACS ${i}` }),
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
      expect([201, 422], JSON.stringify(r.body)).toContain(r.status);
      if (r.status === 422) expect(r.body.type).toBe(INSUFFICIENT);
    }
    const accepted = purchaseAsks.filter((_, i) => purchases[i]!.status === 201);
    const refused = purchaseAsks.map((p, i) => ({ ...p, res: purchases[i]! })).filter((x) => x.res.status === 422);
    const acceptedCosts = costAsks.filter((_, i) => costs[i]!.status === 201);
    expect(accepted.length).toBeGreaterThan(0);
    expect(refused.length).toBeGreaterThan(0);

    // No read ever saw a share below zero, or above what was put in.
    for (const shares of seen) {
      for (const id of ids) {
        expect(shares.get(id)!).toBeGreaterThanOrEqual(0);
        expect(shares.get(id)!).toBeLessThanOrEqual(s.initial.get(id)!);
      }
    }

    // Each share ends at what was put in less exactly what the accepted purchases and costs charged it.
    const final = await poolShares(s);
    for (const id of ids) {
      const charged = sumOf([...accepted, ...acceptedCosts].map((x) => x.asks.get(id)!));
      expect(final.get(id), `share of ${id}`).toBe(s.initial.get(id)! - charged);
      expect(final.get(id)!).toBeGreaterThanOrEqual(0);
    }

    // Every accepted purchase is fully posted: its response, its record and its entry agree to the penny.
    for (const [i, p] of purchaseAsks.entries()) {
      const res = purchases[i]!;
      if (res.status !== 201) continue;
      expect(res.body).toMatchObject({ total: '56.00', individualRateTotal: '61.25', saving: '5.25' });
      const parts = res.body.allocations as { memberId: string; amount: string }[];
      expect(new Map(parts.map((x) => [x.memberId, cents(x.amount)]))).toEqual(p.asks);
      const posted = await entry(s, res.body.entryId);
      expect(posted.kind).toBe('purchase');
      expect(posted.reference).toBe(p.reference);
      expect(memberCharges(posted.postings)).toEqual(p.asks);
      const credits = posted.postings.filter((x) => cents(x.amount) < 0);
      expect(credits.map((x) => x.amount)).toEqual(['-56.00']); // owed to the provider: the whole invoice
      const record = await get(s, `/purchases/${res.body.id}`);
      expect(record.status).toBe(200);
      expect(record.body).toMatchObject({
        entryId: res.body.entryId,
        total: '56.00',
        paid: '0.00',
        outstanding: '56.00',
        invoiceReference: p.reference,
      });
      expect(
        new Map(
          (record.body.allocations as { memberId: string; amount: string }[]).map((x) => [x.memberId, cents(x.amount)]),
        ),
      ).toEqual(p.asks);
    }
    for (const [i, c] of costAsks.entries()) {
      const res = costs[i]!;
      if (res.status !== 201) continue;
      const posted = await entry(s, res.body.entryId);
      expect(posted.kind).toBe('shared_cost');
      expect(memberCharges(posted.postings)).toEqual(c.asks);
    }

    // A refusal names who was short, by exactly what the purchase asked of them; shares only fall, so each named
    // member still could not pay it at the end — nothing refused would have fitted.
    for (const r of refused) {
      const shortfalls = r.res.body.shortfalls as {
        memberId: string;
        account: string;
        available: string;
        shortBy: string;
      }[];
      expect(shortfalls.length).toBeGreaterThan(0);
      for (const short of shortfalls) {
        expect(short.account).toBe('pool share');
        const asked = r.asks.get(short.memberId)!;
        expect(cents(short.available) + cents(short.shortBy)).toBe(asked);
        expect(cents(short.available)).toBeGreaterThanOrEqual(final.get(short.memberId)!);
        expect(final.get(short.memberId)!).toBeLessThan(asked);
      }
    }

    // Refused purchases left nothing: exactly the accepted invoices are recorded, with one entry each.
    const recorded = await allPages(s, '/purchases');
    expect(recorded).toHaveLength(purchasesBefore + accepted.length);
    expect(
      recorded
        .map((x) => x.invoiceReference as string)
        .filter((ref) => ref.startsWith('RACE-'))
        .sort(),
    ).toEqual(accepted.map((a) => a.reference).sort());
    const before = new Set(entriesBefore.map((e) => e.id as string));
    const newEntries = (await allPages(s, '/entries')).filter((e) => !before.has(e.id));
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
      expect(r.body.type).toBe(UNPROCESSABLE);
      expect(['60.00', '20.00']).toContain(r.body.outstanding);
    }
    expect(
      payments
        .filter((x) => x.status === 201)
        .map((x) => x.body.outstanding)
        .sort(),
    ).toEqual(['20.00', '60.00']);
    const paid = await get(s, `/purchases/${own.body.id}`);
    expect(paid.body).toMatchObject({ total: '100.00', paid: '80.00', outstanding: '20.00' });
    expect(newEntries.filter((e) => e.kind === 'provider_payment')).toHaveLength(2);

    await expectLedgerConsistent(h);
  });

  it('payments of one invoice in different sizes at once never together pay more than it is owed', async () => {
    const s = await scene(['500.00', '500.00']);
    const invoice = await post(s, '/purchases', purchaseBody(s, 'PAY-1')); // 40.00
    expect(invoice.status).toBe(201);
    const amounts = Array.from({ length: 15 }, (_, i) => money(100 + ((i * 337) % 900))); // 1.00 .. 9.99
    const responses = await Promise.all(
      amounts.map((amount, i) =>
        post(s, `/purchases/${invoice.body.id}/payments`, { amount, paidOn: '2026-01-21', reference: `Part ${i}` }),
      ),
    );
    for (const r of responses) expect([201, 422]).toContain(r.status);
    const paidCents = sumOf(amounts.filter((_, i) => responses[i]!.status === 201).map(cents));
    expect(paidCents).toBeLessThanOrEqual(4000);
    const outstanding = 4000 - paidCents;
    // Outstanding only falls, so each refused payment was more than what is outstanding at the end.
    for (const [i, r] of responses.entries())
      if (r.status === 422) expect(cents(amounts[i]!)).toBeGreaterThan(outstanding);
    const record = await get(s, `/purchases/${invoice.body.id}`);
    expect(record.body).toMatchObject({ paid: money(paidCents), outstanding: money(outstanding) });
    await expectLedgerConsistent(h);
  });

  it('one invoice recorded 10 times at once without a key: one purchase, the rest 409 duplicate', async () => {
    const s = await scene(['500.00', '500.00', '500.00', '500.00']);
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => post(s, '/purchases', purchaseBody(s, 'DUP-1'))),
    );
    expect(statusesOf(responses)).toEqual({ 201: 1, 409: 9 });
    for (const r of responses.filter((x) => x.status === 409)) expect(r.body.type).toBe(DUPLICATE);
    expect((await allPages(s, '/purchases')).filter((p) => p.invoiceReference === 'DUP-1')).toHaveLength(1);
    expect((await allPages(s, '/entries')).filter((e) => e.kind === 'purchase')).toHaveLength(1);
    const shares = await poolShares(s);
    for (const id of s.holders.map((x) => x.memberId)) expect(shares.get(id)).toBe(50000 - 1000);
    await expectLedgerConsistent(h);
  });
});

describe('concurrent requests with one Idempotency-Key', () => {
  it('20 identical purchases at once: one purchase and one entry; the others replay it', async () => {
    const s = await scene(['100.00', '200.00', '300.00', '400.00']);
    const key = `purchase-race-${Date.now()}`;
    const body = purchaseBody(s, 'IDEM-1', { memberId: s.holders[1]!.memberId, hours: '2' }); // 40.00 + 32.00
    const responses = await Promise.all(Array.from({ length: 20 }, () => post(s, '/purchases', body, key)));
    const fresh = expectPostedOnce(responses);
    expect(fresh.body.total).toBe('72.00');

    expect((await allPages(s, '/purchases')).map((p) => p.id)).toEqual([fresh.body.id]);
    expect((await allPages(s, '/entries')).filter((e) => e.kind === 'purchase').map((e) => e.id)).toEqual([
      fresh.body.entryId,
    ]);
    const shares = await poolShares(s);
    s.holders.forEach((holder, i) =>
      expect(shares.get(holder.memberId)).toBe(s.initial.get(holder.memberId)! - 1000 - (i === 1 ? 3200 : 0)),
    );

    // After the race, the key replays the same purchase.
    const later = await post(s, '/purchases', body, key);
    expect(later.status).toBe(201);
    expect(later.headers['idempotency-replayed']).toBe('true');
    expect(later.body).toEqual(fresh.body);
    await expectLedgerConsistent(h);
  });

  it('20 identical payments at once: one payment; the others replay it', async () => {
    const s = await scene(['100.00', '100.00']);
    const invoice = await post(s, '/purchases', purchaseBody(s, 'IDEM-PAY'));
    expect(invoice.status).toBe(201);
    const key = `payment-race-${Date.now()}`;
    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        post(
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
    expect((await allPages(s, '/entries')).filter((e) => e.kind === 'provider_payment').map((e) => e.id)).toEqual([
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
      Array.from({ length: 20 }, () => post(s, `/pools/${s.poolId}/costs`, body, key)),
    );
    const fresh = expectPostedOnce(responses);
    expect((await allPages(s, '/entries')).filter((e) => e.kind === 'shared_cost').map((e) => e.id)).toEqual([
      fresh.body.entryId,
    ]);
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
      if (r.status === 409) expect(r.body.type).toBe(CONCURRENT);
      else {
        expect(r.status).toBe(422);
        expect(r.body.type).toBe(INSUFFICIENT);
        expect(r.body.shortfalls).toEqual([
          expect.objectContaining({ memberId: s.holders[0]!.memberId, available: '5.00', shortBy: '5.00' }),
        ]);
      }
    }
    expect(responses.filter((r) => r.status === 422).length).toBeGreaterThan(0);
    expect(await allPages(s, '/purchases')).toHaveLength(0);
    expect((await allPages(s, '/entries')).filter((e) => e.kind === 'purchase')).toHaveLength(0);
    expect(await poolShares(s)).toEqual(s.initial);
    const later = await post(s, '/purchases', body, key);
    expect(later.status).toBe(422);
    expect(later.headers['idempotency-replayed']).toBe('true');
    await expectLedgerConsistent(h);
  });
});
