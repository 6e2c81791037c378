import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Contribution, Entry, MemberBalance, Page, PoolBalance, Receipt } from '../support/api';
import { only } from '../support/assert';
import {
  type CoopFixture,
  type HolderFixture,
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
 * Races between connections on a real PostgreSQL server. `inject` drives the app in-process, so Promise.all over
 * h.call gives truly concurrent transactions on the pool's 10 connections.
 */

const INSUFFICIENT = problemType('insufficient-funds');
const ALREADY_REVERSED = problemType('already-reversed');
const CONCURRENT = problemType('concurrent-update');
const REUSED = problemType('idempotency-key-reused');

let h: TypedHarness;
let coop: CoopFixture;

beforeAll(async () => {
  expect(process.env.TEST_DATABASE_URL, 'tests/pg runs only against a PostgreSQL server').toBeTruthy();
  h = await createHarness();
  expect(h.db.kind).toBe('postgres');
  coop = await createCoop(h);
});
afterAll(async () => h.close());

const cents = (money: string) => Math.round(Number(money) * 100);
const money = (c: number) => (c / 100).toFixed(2);

function contribution(poolId: string, memberId: string, amount: string, key?: string): Promise<Response<Contribution>> {
  return h.call<Contribution>('POST', `/v1/coops/${coop.coopId}/pools/${poolId}/contributions`, {
    token: coop.treasurerToken,
    body: { memberId, amount, date: '2026-01-06' },
    ...(key ? { headers: { 'idempotency-key': key } } : {}),
  });
}

function reversal(entryId: string, reason = 'Keyed in error', key?: string): Promise<Response<Entry>> {
  return h.call<Entry>('POST', `/v1/coops/${coop.coopId}/entries/${entryId}/reversal`, {
    token: coop.treasurerToken,
    body: { reason, valueDate: '2026-01-08' },
    ...(key ? { headers: { 'idempotency-key': key } } : {}),
  });
}

async function balanceOf(memberId: string) {
  const res = await h.call<MemberBalance>('GET', `/v1/coops/${coop.coopId}/members/${memberId}/balance`, {
    token: coop.treasurerToken,
  });
  expect(res.status).toBe(200);
  return res.body;
}

async function entriesOf(memberId: string) {
  const res = await h.call<Page<Entry>>('GET', `/v1/coops/${coop.coopId}/entries?limit=500&memberId=${memberId}`, {
    token: coop.treasurerToken,
  });
  expect(res.status).toBe(200);
  expect(res.body.nextCursor).toBeNull();
  return res.body.items;
}

async function holderInPool(poolId: string, funds: string): Promise<HolderFixture> {
  const holder = await createHolder(h, coop);
  await receive(h, coop, holder.memberId, funds);
  await joinPool(h, coop, poolId, holder.memberId);
  return holder;
}

const statusesOf = (responses: Response[]) =>
  responses.reduce<Record<number, number>>((acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }), {});

describe('concurrent contributions from one holder', () => {
  it('50 at once asking for more than the holder has: the affordable ones succeed, the rest 422, never below zero', async () => {
    const pool = await createPool(h, coop);
    const holder = await holderInPool(pool.id, '1000.00');

    // 50 × 30.00 = 1500.00 asked of 1000.00: exactly 33 fit (990.00), 17 must be refused.
    // Balance reads run alongside: none may ever see the funds below zero or above what was received.
    const writes = Array.from({ length: 50 }, () => contribution(pool.id, holder.memberId, '30.00'));
    const reads = Array.from({ length: 20 }, () => balanceOf(holder.memberId));
    const [responses, seen] = await Promise.all([Promise.all(writes), Promise.all(reads)]);

    expect(statusesOf(responses)).toEqual({ 201: 33, 422: 17 });
    for (const refused of responses.filter((r) => r.status === 422)) {
      const problem = refused.json(InsufficientFunds);
      expect(problem.type).toBe(INSUFFICIENT);
      expect(cents(only(problem.shortfalls, 'shortfall').available)).toBeLessThan(3000);
    }
    const entryIds = responses.filter((r) => r.status === 201).map((r) => r.body.entryId);
    expect(new Set(entryIds).size).toBe(33);
    for (const balance of seen) {
      expect(cents(balance.funds)).toBeGreaterThanOrEqual(0);
      expect(cents(balance.total)).toBe(100000);
    }

    const balance = await balanceOf(holder.memberId);
    expect(balance.funds).toBe('10.00');
    expect(balance.pools).toEqual([expect.objectContaining({ poolId: pool.id, share: '990.00' })]);
    expect((await entriesOf(holder.memberId)).filter((e) => e.kind === 'pool_contribution')).toHaveLength(33);
    await expectLedgerConsistent(h);
  });

  it('50 at once of different sizes: funds end at 1000 minus exactly what succeeded, and nothing refused would have fitted', async () => {
    const pool = await createPool(h, coop);
    const holder = await holderInPool(pool.id, '1000.00');
    const amounts = Array.from({ length: 50 }, (_, i) => money(1000 + ((i * 3779) % 6000))); // 10.00 .. 69.99
    const total = amounts.reduce((s, a) => s + cents(a), 0);
    expect(total).toBeGreaterThan(100000);

    const responses = await Promise.all(amounts.map((a) => contribution(pool.id, holder.memberId, a)));
    expect(responses.every((r) => r.status === 201 || r.status === 422)).toBe(true);
    const succeeded = amounts.filter((_, i) => responses[i]?.status === 201);
    const refused = amounts.filter((_, i) => responses[i]?.status === 422);
    expect(refused.length).toBeGreaterThan(0);
    for (const r of responses.filter((x) => x.status === 422)) expect(r.json(Problem).type).toBe(INSUFFICIENT);

    const spent = succeeded.reduce((s, a) => s + cents(a), 0);
    expect(spent).toBeLessThanOrEqual(100000);
    const balance = await balanceOf(holder.memberId);
    expect(balance.funds).toBe(money(100000 - spent));
    expect(balance.pools[0]?.share).toBe(money(spent));
    // Funds only fall, so each refusal saw at least the final funds: every refused amount exceeds them.
    for (const a of refused) expect(cents(a)).toBeGreaterThan(100000 - spent);
    expect((await entriesOf(holder.memberId)).filter((e) => e.kind === 'pool_contribution')).toHaveLength(
      succeeded.length,
    );
    await expectLedgerConsistent(h);
  });
});

describe('concurrent requests with one Idempotency-Key', () => {
  it('20 identical contributions at once: exactly one entry, the others replay it (or are told to retry)', async () => {
    const pool = await createPool(h, coop);
    const holder = await holderInPool(pool.id, '100.00');
    const key = `race-${Date.now()}`;

    const responses = await Promise.all(
      Array.from({ length: 20 }, () => contribution(pool.id, holder.memberId, '70.00', key)),
    );

    const fresh = expectPostedOnce(responses);

    const balance = await balanceOf(holder.memberId);
    expect(balance.funds).toBe('30.00');
    expect(balance.pools[0]?.share).toBe('70.00');
    expect((await entriesOf(holder.memberId)).filter((e) => e.kind === 'pool_contribution').map((e) => e.id)).toEqual([
      fresh.body.entryId,
    ]);

    // After the race, the key replays.
    const later = await contribution(pool.id, holder.memberId, '70.00', key);
    expect(later.status).toBe(201);
    expect(later.headers['idempotency-replayed']).toBe('true');
    expect(later.body.entryId).toBe(fresh.body.entryId);
    await expectLedgerConsistent(h);
  });

  it('20 identical receipts at once: exactly one entry', async () => {
    const holder = await createHolder(h, coop);
    const key = `race-receipt-${Date.now()}`;
    const body = { memberId: holder.memberId, amount: '123.45', receivedOn: '2026-01-05', reference: 'BACS-RACE' };
    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        h.call<Receipt>('POST', `/v1/coops/${coop.coopId}/receipts`, {
          token: coop.treasurerToken,
          body,
          headers: { 'idempotency-key': key },
        }),
      ),
    );
    expectPostedOnce(responses);
    expect((await balanceOf(holder.memberId)).funds).toBe('123.45');
    expect(await entriesOf(holder.memberId)).toHaveLength(1);
    await expectLedgerConsistent(h);
  });

  it('one key, two different bodies at once: one entry; same-body requests replay it, the others are refused as reused', async () => {
    const pool = await createPool(h, coop);
    const holder = await holderInPool(pool.id, '100.00');
    const key = `race-mixed-${Date.now()}`;
    const amounts = Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? '10.00' : '20.00'));
    const responses = await Promise.all(amounts.map((a) => contribution(pool.id, holder.memberId, a, key)));

    const fresh = only(
      responses.filter((r) => r.status === 201 && r.headers['idempotency-replayed'] === undefined),
      'fresh 201',
    );
    const winner = fresh.body.amount;
    responses.forEach((r, i) => {
      if (r === fresh) return;
      if (r.status === 409) expect(r.json(Problem).type).toBe(CONCURRENT);
      else if (amounts[i] === winner) {
        expect(r.status).toBe(201);
        expect(r.body.entryId).toBe(fresh.body.entryId);
      } else {
        expect(r.status).toBe(422);
        expect(r.json(Problem).type).toBe(REUSED);
      }
    });
    const balance = await balanceOf(holder.memberId);
    expect(balance.pools[0]?.share).toBe(winner);
    expect(balance.funds).toBe(money(10000 - cents(winner)));
    expect((await entriesOf(holder.memberId)).filter((e) => e.kind === 'pool_contribution')).toHaveLength(1);
    await expectLedgerConsistent(h);
  });

  it('20 identical unaffordable contributions at once: all 422 insufficient funds, nothing posted', async () => {
    const pool = await createPool(h, coop);
    const holder = await holderInPool(pool.id, '5.00');
    const key = `race-refused-${Date.now()}`;
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => contribution(pool.id, holder.memberId, '5.01', key)),
    );
    for (const r of responses) {
      if (r.status === 409) expect(r.json(Problem).type).toBe(CONCURRENT);
      else {
        expect(r.status).toBe(422);
        expect(r.json(Problem).type).toBe(INSUFFICIENT);
      }
    }
    expect(responses.filter((r) => r.status === 422).length).toBeGreaterThan(0);
    expect((await balanceOf(holder.memberId)).funds).toBe('5.00');
    expect((await entriesOf(holder.memberId)).filter((e) => e.kind === 'pool_contribution')).toHaveLength(0);
    // The refusal is what the key now stands for.
    const later = await contribution(pool.id, holder.memberId, '5.01', key);
    expect(later.status).toBe(422);
    expect(later.headers['idempotency-replayed']).toBe('true');
    await expectLedgerConsistent(h);
  });
});

describe('concurrent reversals of one entry', () => {
  it('20 at once when the reversal is affordable many times over: one 201, the rest 409 already-reversed', async () => {
    const holder = await createHolder(h, coop);
    await receive(h, coop, holder.memberId, '500.00');
    const wrong = await receive(h, coop, holder.memberId, '100.00');

    const responses = await Promise.all(Array.from({ length: 20 }, () => reversal(wrong.entryId)));
    expect(statusesOf(responses)).toEqual({ 201: 1, 409: 19 });
    for (const r of responses.filter((x) => x.status === 409)) expect(r.json(Problem).type).toBe(ALREADY_REVERSED);

    const reversals = (await entriesOf(holder.memberId)).filter((e) => e.kind === 'reversal');
    expect(only(reversals, 'reversal').reverses).toBe(wrong.entryId);
    expect((await balanceOf(holder.memberId)).funds).toBe('500.00');
    await expectLedgerConsistent(h);
  });

  it('20 at once when the money can only go back once: still one 201 and the rest 409 already-reversed (not 422)', async () => {
    const holder = await createHolder(h, coop);
    const wrong = await receive(h, coop, holder.memberId, '100.00');

    const responses = await Promise.all(Array.from({ length: 20 }, () => reversal(wrong.entryId)));
    // Whatever the race, never two reversals and never money below zero.
    expect(responses.filter((r) => r.status === 201)).toHaveLength(1);
    expect((await balanceOf(holder.memberId)).funds).toBe('0.00');
    expect((await entriesOf(holder.memberId)).filter((e) => e.kind === 'reversal')).toHaveLength(1);
    await expectLedgerConsistent(h);
    // Reversing twice is a 409 (API.md), whether the second arrives after the first or alongside it.
    const refusals = responses.filter((r) => r.status !== 201);
    expect(refusals.map((r) => `${r.status} ${r.json(Problem).type}`)).toEqual(
      refusals.map(() => `409 ${ALREADY_REVERSED}`),
    );
  });

  it('20 at once with one Idempotency-Key: one reversal, the rest replay it', async () => {
    const holder = await createHolder(h, coop);
    await receive(h, coop, holder.memberId, '50.00');
    const wrong = await receive(h, coop, holder.memberId, '25.00');
    const key = `race-reversal-${Date.now()}`;
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => reversal(wrong.entryId, 'Keyed in error', key)),
    );
    expectPostedOnce(responses);
    expect((await entriesOf(holder.memberId)).filter((e) => e.kind === 'reversal')).toHaveLength(1);
    expect((await balanceOf(holder.memberId)).funds).toBe('50.00');
    await expectLedgerConsistent(h);
  });

  it('a reversal racing contributions that spend the same money: never below zero, figures add up', async () => {
    const pool = await createPool(h, coop);
    const holder = await holderInPool(pool.id, '60.00');
    const wrong = await receive(h, coop, holder.memberId, '40.00'); // funds 100.00
    // Reversing the receipt needs 40.00 of funds; ten contributions of 10.00 want all 100.00.
    const [reversed, contributions] = await Promise.all([
      reversal(wrong.entryId),
      Promise.all(Array.from({ length: 10 }, () => contribution(pool.id, holder.memberId, '10.00'))),
    ]);
    expect([201, 422]).toContain(reversed.status);
    if (reversed.status === 422) expect(reversed.json(Problem).type).toBe(INSUFFICIENT);
    for (const c of contributions) {
      expect([201, 422]).toContain(c.status);
      if (c.status === 422) expect(c.json(Problem).type).toBe(INSUFFICIENT);
    }
    const contributed = contributions.filter((c) => c.status === 201).length * 1000;
    const reversedCents = reversed.status === 201 ? 4000 : 0;
    expect(contributed + reversedCents).toBeLessThanOrEqual(10000);
    const balance = await balanceOf(holder.memberId);
    expect(balance.funds).toBe(money(10000 - contributed - reversedCents));
    expect(balance.pools[0]?.share).toBe(money(contributed));
    // Whatever is left cannot pay another 10.00 contribution, or a contribution was wrongly refused.
    if (contributions.some((c) => c.status === 422)) expect(10000 - contributed - reversedCents).toBeLessThan(1000);
    await expectLedgerConsistent(h);
  });
});

describe('concurrent contributions of different holders into one pool', () => {
  it('10 holders × 8 contributions at once: each holder stops at their own funds, the pool holds exactly the sum', async () => {
    const pool = await createPool(h, coop);
    const holders: HolderFixture[] = [];
    for (let i = 0; i < 10; i += 1) holders.push(await holderInPool(pool.id, '100.00'));

    // Each asks 8 × 15.00 = 120.00 of 100.00: exactly 6 fit (90.00), 2 are refused — per holder, independently.
    // Issued round by round, holder after holder, so that different holders' transactions really overlap.
    const requests = Array.from({ length: 8 }).flatMap(() =>
      holders.map(async (holder) => ({ holder, res: await contribution(pool.id, holder.memberId, '15.00') })),
    );
    const answered = await Promise.all(requests);
    expect(statusesOf(answered.map((a) => a.res))).toEqual({ 201: 60, 422: 20 });

    for (const holder of holders) {
      const mine = answered.filter((x) => x.holder === holder);
      expect(mine.filter((x) => x.res.status === 201)).toHaveLength(6);
      const balance = await balanceOf(holder.memberId);
      expect(balance.funds).toBe('10.00');
      expect(balance.pools[0]?.share).toBe('90.00');
    }
    const poolBalance = await h.call<PoolBalance>('GET', `/v1/coops/${coop.coopId}/pools/${pool.id}/balance`, {
      token: coop.treasurerToken,
    });
    expect(poolBalance.status).toBe(200);
    expect(poolBalance.body.total).toBe('900.00');
    expect(poolBalance.body.shares).toHaveLength(10);
    for (const share of poolBalance.body.shares) expect(share.share).toBe('90.00');
    await expectLedgerConsistent(h);
  });
});
