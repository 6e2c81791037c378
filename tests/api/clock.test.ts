import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CoopFixture, type HolderFixture, createCoop, createHolder } from '../support/fixtures';
import { type TypedHarness, createHarness } from '../support/harness';
import { Problem, problemType } from '../support/problems';

/**
 * The service reads the clock once per request, through the app's `clock`: fixing it fixes "today" for every rule
 * that uses it (no future value dates, a balance "now", a leave without a date), in London time.
 */
let moment = new Date('2026-03-15T12:00:00Z');
let h: TypedHarness;
let coop: CoopFixture;
let holder: HolderFixture;

beforeAll(async () => {
  h = await createHarness({ clock: () => moment });
  coop = await createCoop(h);
  holder = await createHolder(h, coop);
});
afterAll(async () => h?.close());

const receipt = (receivedOn: string) =>
  h.call('POST', `/v1/coops/${coop.coopId}/receipts`, {
    token: coop.treasurerToken,
    body: { memberId: holder.memberId, amount: '10.00', receivedOn, reference: `R-${receivedOn}-${Math.random()}` },
  });

describe('a fixed clock', () => {
  it('refuses a receipt dated the day after its today, naming the field, and takes one dated today', async () => {
    moment = new Date('2026-03-15T12:00:00Z');
    const tomorrow = await receipt('2026-03-16');
    expect(tomorrow.status).toBe(422);
    const problem = tomorrow.json(Problem);
    expect(problem.type).toBe(problemType('unprocessable'));
    expect(problem.errors).toEqual([{ path: 'body.receivedOn', message: 'must not be after today' }]);
    expect((await receipt('2026-03-15')).status).toBe(201);
  });

  it('answers a balance without a date as of its today', async () => {
    moment = new Date('2026-03-20T09:00:00Z');
    const res = await h.call<{ asOf: string; funds: string }>(
      'GET',
      `/v1/coops/${coop.coopId}/members/${holder.memberId}/balance`,
      { token: coop.treasurerToken },
    );
    expect(res.status).toBe(200);
    expect(res.body.asOf).toBe('2026-03-20');
    expect(res.body.funds).toBe('10.00');
  });

  it('takes today in London: 23:30 UTC once summer time has begun is already the next day there', async () => {
    moment = new Date('2026-03-29T23:30:00Z'); // BST from 29 March: 00:30 on 30 March in London
    expect((await receipt('2026-03-30')).status).toBe(201);
    moment = new Date('2026-03-28T23:30:00Z'); // GMT: still 23:30 on 28 March in London
    expect((await receipt('2026-03-29')).status).toBe(422);
  });

  it('expires tokens by it: the treasurer token, capped at the admin token’s 90 days, stops working after them', async () => {
    moment = new Date('2026-06-12T12:00:00Z'); // the admin token was made on 15 March: 90 days end on 13 June
    expect((await receipt('2026-06-12')).status).toBe(201);
    moment = new Date('2026-06-14T12:00:00Z');
    expect((await receipt('2026-06-14')).status).toBe(401);
  });
});
