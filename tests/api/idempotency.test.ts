import { beforeAll, describe, expect, it } from 'vitest';
import type { Contribution, Entry, MemberBalance, Page, Receipt } from '../support/api';
import {
  type CoopFixture,
  type HolderFixture,
  createCoop,
  createHolder,
  createPool,
  createToken,
  expectLedgerConsistent,
  joinPool,
  receive,
} from '../support/fixtures';
import type { Response } from '../support/harness';
import { InsufficientFunds, Problem, problemType } from '../support/problems';
import { useHarness } from '../support/use-harness';

/**
 * API.md, Idempotency: same key + same body (same co-op) → the original status and body again, nothing posted;
 * same key + different body → 422 idempotency-key-reused; keys are 1–255 characters.
 */

const { h, coop } = useHarness();
let other: CoopFixture;
let keyCounter = 0;
const newKey = (label: string) => `${label}-${Date.now().toString(36)}-${(keyCounter++).toString(36)}`;

beforeAll(async () => {
  other = await createCoop(h);
});

function post<T = unknown>(
  c: CoopFixture,
  path: string,
  body: unknown,
  key?: string,
  token = c.treasurerToken,
): Promise<Response<T>> {
  return h.call<T>('POST', `/v1/coops/${c.coopId}${path}`, {
    token,
    body,
    ...(key === undefined ? {} : { headers: { 'idempotency-key': key } }),
  });
}

async function entriesOf(c: CoopFixture, memberId?: string) {
  const res = await h.call<Page<Entry>>(
    'GET',
    `/v1/coops/${c.coopId}/entries?limit=500${memberId ? `&memberId=${memberId}` : ''}`,
    { token: c.treasurerToken },
  );
  expect(res.status).toBe(200);
  expect(res.body.nextCursor).toBeNull();
  return res.body.items;
}

async function balanceOf(c: CoopFixture, memberId: string) {
  const res = await h.call<MemberBalance>('GET', `/v1/coops/${c.coopId}/members/${memberId}/balance`, {
    token: c.treasurerToken,
  });
  expect(res.status).toBe(200);
  return res.body;
}

function expectFresh(res: Response, status: number) {
  expect(res.status, res.text).toBe(status);
  expect(res.headers['idempotency-replayed']).toBeUndefined();
}

function expectReplayOf(res: Response, original: Response) {
  expect(res.status).toBe(original.status);
  expect(res.headers['idempotency-replayed']).toBe('true');
  expect(res.body).toEqual(original.body);
  expect(String(res.headers['content-type'])).toBe(String(original.headers['content-type']));
}

function expectReused(res: Response) {
  expect(res.status).toBe(422);
  expect(res.headers['content-type']).toContain('application/problem+json');
  expect(res.json(Problem).type).toBe(problemType('idempotency-key-reused'));
  expect(res.headers['idempotency-replayed']).toBeUndefined();
}

async function holderWithFunds(c: CoopFixture, amount: string): Promise<HolderFixture> {
  const holder = await createHolder(h, c);
  await receive(h, c, holder.memberId, amount);
  return holder;
}

describe('POST /receipts with an Idempotency-Key', () => {
  it('replays the same request: same status and body, marked replayed, one entry, money once', async () => {
    const holder = await createHolder(h, coop);
    const key = newKey('receipt');
    const body = { memberId: holder.memberId, amount: '212.34', receivedOn: '2026-01-05', reference: 'LA-BACS-0001' };

    const first = await post<Receipt>(coop, '/receipts', body, key);
    expectFresh(first, 201);
    expect(first.body).toMatchObject({ memberId: holder.memberId, amount: '212.34' });

    const second = await post<Receipt>(coop, '/receipts', body, key);
    expectReplayOf(second, first);
    expect(second.body.entryId).toBe(first.body.entryId);
    const third = await post(coop, '/receipts', body, key);
    expectReplayOf(third, first);

    const entries = await entriesOf(coop, holder.memberId);
    expect(entries.map((e) => e.id)).toEqual([first.body.entryId]);
    expect((await balanceOf(coop, holder.memberId)).funds).toBe('212.34');
    await expectLedgerConsistent(h);
  });

  it('is keyed by co-op, not by token: another treasurer token of the same co-op gets the replay', async () => {
    const holder = await createHolder(h, coop);
    const key = newKey('receipt-token');
    const body = { memberId: holder.memberId, amount: '10.00', receivedOn: '2026-01-05', reference: 'LA-BACS-0002' };
    const first = await post(coop, '/receipts', body, key);
    expectFresh(first, 201);
    const secondTreasurer = await createToken(h, h.adminToken, { role: 'treasurer', coopId: coop.coopId });
    const again = await post(coop, '/receipts', body, key, secondTreasurer.token);
    expectReplayOf(again, first);
    expect(await entriesOf(coop, holder.memberId)).toHaveLength(1);
    expect((await balanceOf(coop, holder.memberId)).funds).toBe('10.00');
  });

  it('refuses the same key with a different body (422 idempotency-key-reused) and posts nothing', async () => {
    const holder = await createHolder(h, coop);
    const key = newKey('receipt-reuse');
    const body = { memberId: holder.memberId, amount: '50.00', receivedOn: '2026-01-05', reference: 'LA-BACS-0003' };
    const first = await post(coop, '/receipts', body, key);
    expectFresh(first, 201);

    expectReused(await post(coop, '/receipts', { ...body, amount: '50.01' }, key));
    expectReused(await post(coop, '/receipts', { ...body, reference: 'LA-BACS-0004' }, key));
    expectReused(await post(coop, '/receipts', { ...body, receivedOn: '2026-01-06' }, key));
    const otherHolder = await createHolder(h, coop);
    expectReused(await post(coop, '/receipts', { ...body, memberId: otherHolder.memberId }, key));

    expect(await entriesOf(coop, holder.memberId)).toHaveLength(1);
    expect(await entriesOf(coop, otherHolder.memberId)).toHaveLength(0);
    expect((await balanceOf(coop, holder.memberId)).funds).toBe('50.00');
    expect((await balanceOf(coop, otherHolder.memberId)).funds).toBe('0.00');

    // The original request still replays after the refusals.
    expectReplayOf(await post(coop, '/receipts', body, key), first);
    await expectLedgerConsistent(h);
  });

  it('treats the same key in another co-op as independent', async () => {
    const key = newKey('shared');
    const here = await createHolder(h, coop);
    const there = await createHolder(h, other);
    const mine = await post<Receipt>(
      coop,
      '/receipts',
      { memberId: here.memberId, amount: '30.00', receivedOn: '2026-01-05', reference: 'R-1' },
      key,
    );
    expectFresh(mine, 201);
    // Same key, a different request, in another co-op: not "reused", posted on its own.
    const theirs = await post<Receipt>(
      other,
      '/receipts',
      { memberId: there.memberId, amount: '45.00', receivedOn: '2026-01-05', reference: 'R-1' },
      key,
    );
    expectFresh(theirs, 201);
    expect(theirs.body.entryId).not.toBe(mine.body.entryId);
    expect((await balanceOf(other, there.memberId)).funds).toBe('45.00');
    expect((await balanceOf(coop, here.memberId)).funds).toBe('30.00');
    // And each co-op replays its own.
    expectReplayOf(
      await post(
        other,
        '/receipts',
        { memberId: there.memberId, amount: '45.00', receivedOn: '2026-01-05', reference: 'R-1' },
        key,
      ),
      theirs,
    );
    expectReplayOf(
      await post(
        coop,
        '/receipts',
        { memberId: here.memberId, amount: '30.00', receivedOn: '2026-01-05', reference: 'R-1' },
        key,
      ),
      mine,
    );
    expect(await entriesOf(other, there.memberId)).toHaveLength(1);
    expect(await entriesOf(coop, here.memberId)).toHaveLength(1);
    await expectLedgerConsistent(h);
  });

  it('without a key, the same receipt again is refused as a duplicate of its remittance reference', async () => {
    const holder = await createHolder(h, coop);
    const body = { memberId: holder.memberId, amount: '7.00', receivedOn: '2026-01-05', reference: 'R-nokey' };
    const first = await post<Receipt>(coop, '/receipts', body);
    expectFresh(first, 201);
    const again = await post(coop, '/receipts', body);
    expect(again.status).toBe(409);
    expect(again.json(Problem)).toMatchObject({
      type: problemType('duplicate'),
      entryId: first.body.entryId,
      errors: [{ path: 'body.reference' }],
    });
    expect(await entriesOf(coop, holder.memberId)).toHaveLength(1);
    expect((await balanceOf(coop, holder.memberId)).funds).toBe('7.00');
  });

  it('without a key, a contribution sent twice posts twice (keys are what make retries safe)', async () => {
    const holder = await holderWithFunds(coop, '20.00');
    const pool = await createPool(h, coop);
    await joinPool(h, coop, pool.id, holder.memberId);
    const body = { memberId: holder.memberId, amount: '7.00', date: '2026-01-06' };
    expectFresh(await post(coop, `/pools/${pool.id}/contributions`, body), 201);
    expectFresh(await post(coop, `/pools/${pool.id}/contributions`, body), 201);
    expect((await balanceOf(coop, holder.memberId)).funds).toBe('6.00');
  });
});

describe('POST /pools/:poolId/contributions with an Idempotency-Key', () => {
  it('replays the same contribution, moving the money once', async () => {
    const holder = await holderWithFunds(coop, '100.00');
    const pool = await createPool(h, coop);
    await joinPool(h, coop, pool.id, holder.memberId);
    const key = newKey('contribution');
    const body = { memberId: holder.memberId, amount: '60.00', date: '2026-01-06' };

    const first = await post<Contribution>(coop, `/pools/${pool.id}/contributions`, body, key);
    expectFresh(first, 201);
    // A second contribution of 60.00 would be refused (only 40.00 left): the replay must not even try.
    const second = await post<Contribution>(coop, `/pools/${pool.id}/contributions`, body, key);
    expectReplayOf(second, first);
    expect(second.body.entryId).toBe(first.body.entryId);

    const contributions = (await entriesOf(coop, holder.memberId)).filter((e) => e.kind === 'pool_contribution');
    expect(contributions.map((e) => e.id)).toEqual([first.body.entryId]);
    const balance = await balanceOf(coop, holder.memberId);
    expect(balance.funds).toBe('40.00');
    expect(balance.pools).toEqual([expect.objectContaining({ poolId: pool.id, share: '60.00' })]);
    await expectLedgerConsistent(h);
  });

  it('refuses the same key with a different amount, memo, date or pool, posting nothing', async () => {
    const holder = await holderWithFunds(coop, '100.00');
    const pool = await createPool(h, coop);
    const pool2 = await createPool(h, coop);
    await joinPool(h, coop, pool.id, holder.memberId);
    await joinPool(h, coop, pool2.id, holder.memberId);
    const key = newKey('contribution-reuse');
    const body = { memberId: holder.memberId, amount: '10.00', date: '2026-01-06' };
    const first = await post(coop, `/pools/${pool.id}/contributions`, body, key);
    expectFresh(first, 201);

    expectReused(await post(coop, `/pools/${pool.id}/contributions`, { ...body, amount: '11.00' }, key));
    expectReused(await post(coop, `/pools/${pool.id}/contributions`, { ...body, memo: 'March' }, key));
    expectReused(await post(coop, `/pools/${pool.id}/contributions`, { ...body, date: '2026-01-07' }, key));
    expectReused(await post(coop, `/pools/${pool2.id}/contributions`, body, key));

    const balance = await balanceOf(coop, holder.memberId);
    expect(balance.funds).toBe('90.00');
    expect(Object.fromEntries(balance.pools.map((p) => [p.poolId, p.share]))).toEqual({
      [pool.id]: '10.00',
      [pool2.id]: '0.00',
    });
    expect((await entriesOf(coop, holder.memberId)).filter((e) => e.kind === 'pool_contribution')).toHaveLength(1);
    await expectLedgerConsistent(h);
  });

  it('refuses a key first used for a receipt when it comes back on a contribution', async () => {
    const holder = await createHolder(h, coop);
    const pool = await createPool(h, coop);
    await joinPool(h, coop, pool.id, holder.memberId);
    const key = newKey('cross-route');
    expectFresh(
      await post(
        coop,
        '/receipts',
        { memberId: holder.memberId, amount: '20.00', receivedOn: '2026-01-05', reference: 'R-x' },
        key,
      ),
      201,
    );
    expectReused(
      await post(
        coop,
        `/pools/${pool.id}/contributions`,
        { memberId: holder.memberId, amount: '5.00', date: '2026-01-06' },
        key,
      ),
    );
    expect((await balanceOf(coop, holder.memberId)).funds).toBe('20.00');
  });

  it('replays a refusal: insufficient funds with a key gives the same 422 again, even after money arrives', async () => {
    const holder = await holderWithFunds(coop, '10.00');
    const pool = await createPool(h, coop);
    await joinPool(h, coop, pool.id, holder.memberId);
    const key = newKey('refused');
    const body = { memberId: holder.memberId, amount: '25.00', date: '2026-01-06' };

    const first = await post(coop, `/pools/${pool.id}/contributions`, body, key);
    expectFresh(first, 422);
    expect(first.headers['content-type']).toContain('application/problem+json');
    const refused = first.json(InsufficientFunds);
    expect(refused.type).toBe(problemType('insufficient-funds'));
    expect(refused.shortfalls).toEqual([
      { memberId: holder.memberId, account: 'funds', available: '10.00', shortBy: '15.00' },
    ]);

    const second = await post(coop, `/pools/${pool.id}/contributions`, body, key);
    expectReplayOf(second, first);

    // Money arrives; the key still stands for the refused request.
    await receive(h, coop, holder.memberId, '100.00');
    const third = await post(coop, `/pools/${pool.id}/contributions`, body, key);
    expectReplayOf(third, first);
    // A different body under the refused key is still "reused".
    expectReused(await post(coop, `/pools/${pool.id}/contributions`, { ...body, amount: '5.00' }, key));

    let balance = await balanceOf(coop, holder.memberId);
    expect(balance.funds).toBe('110.00');
    expect(balance.pools[0]?.share).toBe('0.00');
    expect((await entriesOf(coop, holder.memberId)).filter((e) => e.kind === 'pool_contribution')).toHaveLength(0);

    // A new key is a new request and now succeeds.
    expectFresh(await post(coop, `/pools/${pool.id}/contributions`, body, newKey('after-refusal')), 201);
    balance = await balanceOf(coop, holder.memberId);
    expect(balance.funds).toBe('85.00');
    expect(balance.pools[0]?.share).toBe('25.00');
    await expectLedgerConsistent(h);
  });
});

describe('POST /entries/:entryId/reversal with an Idempotency-Key', () => {
  it('replays the reversal: same reversing entry, one reversal only, money back once', async () => {
    const holder = await holderWithFunds(coop, '300.00');
    const wrong = await receive(h, coop, holder.memberId, '99.99');
    const key = newKey('reversal');
    const body = { reason: 'Keyed twice', valueDate: '2026-01-08' };

    const first = await post<Entry>(coop, `/entries/${wrong.entryId}/reversal`, body, key);
    expectFresh(first, 201);
    expect(first.body).toMatchObject({ kind: 'reversal', reverses: wrong.entryId, valueDate: '2026-01-08' });
    const second = await post<Entry>(coop, `/entries/${wrong.entryId}/reversal`, body, key);
    expectReplayOf(second, first);
    expect(second.body.id).toBe(first.body.id);

    const entries = await entriesOf(coop, holder.memberId);
    expect(entries.filter((e) => e.kind === 'reversal').map((e) => e.id)).toEqual([first.body.id]);
    expect(entries.find((e) => e.id === wrong.entryId)?.reversedBy).toBe(first.body.id);
    expect((await balanceOf(coop, holder.memberId)).funds).toBe('300.00');

    // Same key, different reason: reused. A fresh key: the entry is already reversed (409), not replayed.
    expectReused(await post(coop, `/entries/${wrong.entryId}/reversal`, { ...body, reason: 'Another reason' }, key));
    const again = await post(coop, `/entries/${wrong.entryId}/reversal`, body, newKey('reversal-2'));
    expectFresh(again, 409);
    expect(again.json(Problem).type).toBe(problemType('already-reversed'));
    expect((await entriesOf(coop, holder.memberId)).filter((e) => e.kind === 'reversal')).toHaveLength(1);
    expect((await balanceOf(coop, holder.memberId)).funds).toBe('300.00');
    await expectLedgerConsistent(h);
  });

  it('refuses the key of one reversal reused to reverse a different entry', async () => {
    const holder = await holderWithFunds(coop, '300.00');
    const one = await receive(h, coop, holder.memberId, '1.00');
    const two = await receive(h, coop, holder.memberId, '2.00');
    const key = newKey('reversal-reuse');
    expectFresh(await post(coop, `/entries/${one.entryId}/reversal`, { reason: 'Wrong' }, key), 201);
    expectReused(await post(coop, `/entries/${two.entryId}/reversal`, { reason: 'Wrong' }, key));
    const entries = await entriesOf(coop, holder.memberId);
    expect(entries.find((e) => e.id === two.entryId)?.reversedBy).toBeNull();
    expect((await balanceOf(coop, holder.memberId)).funds).toBe('302.00');
  });
});

describe('Idempotency-Key format', () => {
  it('accepts a key of 255 characters and refuses one of 256 (422), posting nothing', async () => {
    const holder = await createHolder(h, coop);
    const body = { memberId: holder.memberId, amount: '5.00', receivedOn: '2026-01-05', reference: 'R-len' };
    const longest = 'k'.repeat(255);
    const ok = await post<Receipt>(coop, '/receipts', body, longest);
    expectFresh(ok, 201);
    expectReplayOf(await post(coop, '/receipts', body, longest), ok);

    const tooLong = await post(coop, '/receipts', body, 'k'.repeat(256));
    expect(tooLong.status).toBe(422);
    expect(tooLong.headers['content-type']).toContain('application/problem+json');
    expect(tooLong.json(Problem).type).toBe(problemType('validation-error'));

    const pool = await createPool(h, coop);
    await joinPool(h, coop, pool.id, holder.memberId);
    const tooLongContribution = await post(
      coop,
      `/pools/${pool.id}/contributions`,
      { memberId: holder.memberId, amount: '1.00', date: '2026-01-06' },
      'c'.repeat(300),
    );
    expect(tooLongContribution.status).toBe(422);
    const tooLongReversal = await post(coop, `/entries/${ok.body.entryId}/reversal`, { reason: 'x' }, 'r'.repeat(256));
    expect(tooLongReversal.status).toBe(422);

    expect(await entriesOf(coop, holder.memberId)).toHaveLength(1);
    const balance = await balanceOf(coop, holder.memberId);
    expect(balance.funds).toBe('5.00');
    expect(balance.pools[0]?.share).toBe('0.00');
  });

  it('refuses an empty key (422)', async () => {
    const holder = await createHolder(h, coop);
    const res = await post(
      coop,
      '/receipts',
      { memberId: holder.memberId, amount: '5.00', receivedOn: '2026-01-05', reference: 'R-empty' },
      '',
    );
    expect(res.status).toBe(422);
    expect(await entriesOf(coop, holder.memberId)).toHaveLength(0);
  });
});
