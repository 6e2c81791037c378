import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CoopFixture,
  contribute,
  createCoop,
  createHolder,
  createPool,
  expectLedgerConsistent,
  joinPool,
  receive,
} from '../support/fixtures';
import type { Entry, MemberBalance, Page, PoolLeave } from '../support/api';
import { defined, only } from '../support/assert';
import { type Response, type TypedHarness, createHarness } from '../support/harness';
import { Problem, problemType } from '../support/problems';

/**
 * Two leaves of one pool membership at once, on a real PostgreSQL server: `inject` drives the app in-process, so
 * Promise.all over h.call gives truly concurrent transactions on the pool's connections. The membership row is the
 * queue: one leave ends it and returns the share, the other finds it already ended.
 */

const ROUNDS = 8;

let h: TypedHarness;
let coop: CoopFixture;

beforeAll(async () => {
  expect(process.env.TEST_DATABASE_URL, 'tests/pg runs only against a PostgreSQL server').toBeTruthy();
  h = await createHarness();
  expect(h.db.kind).toBe('postgres');
  coop = await createCoop(h);
});
afterAll(async () => h.close());

function leave(poolId: string, memberId: string, leftOn: string): Promise<Response<PoolLeave>> {
  return h.call<PoolLeave>('DELETE', `/v1/coops/${coop.coopId}/pools/${poolId}/members/${memberId}?leftOn=${leftOn}`, {
    token: coop.treasurerToken,
  });
}

async function entriesOf(memberId: string) {
  const res = await h.call<Page<Entry>>('GET', `/v1/coops/${coop.coopId}/entries?limit=500&memberId=${memberId}`, {
    token: coop.treasurerToken,
  });
  expect(res.status).toBe(200);
  expect(res.body.nextCursor).toBeNull();
  return res.body.items;
}

describe('concurrent leaves of one pool membership', () => {
  it(`${ROUNDS} rounds of two leaves at once: one 200 and one 404, one withdrawal, the money returned once`, async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      const pool = await createPool(h, coop);
      const holder = await createHolder(h, coop);
      await receive(h, coop, holder.memberId, '200.00', '2026-01-05');
      await joinPool(h, coop, pool.id, holder.memberId, '2026-01-01');
      expect((await contribute(h, coop, pool.id, holder.memberId, '123.45', '2026-01-06')).status).toBe(201);

      // The two ask for different days, so the winner is visible in what was posted.
      const responses = await Promise.all([
        leave(pool.id, holder.memberId, '2026-01-20'),
        leave(pool.id, holder.memberId, '2026-01-21'),
      ]);

      expect(responses.map((r) => r.status).sort()).toEqual([200, 404]);
      const won = defined(
        responses.find((r) => r.status === 200),
        'the leave that won',
      );
      const lost = defined(
        responses.find((r) => r.status === 404),
        'the leave that lost',
      );
      expect(lost.json(Problem).type).toBe(problemType('not-found'));
      expect(won.body).toMatchObject({ poolId: pool.id, memberId: holder.memberId, returned: '123.45' });

      const withdrawals = (await entriesOf(holder.memberId)).filter((e) => e.kind === 'pool_withdrawal');
      expect(only(withdrawals, 'withdrawal')).toMatchObject({ id: won.body.entryId, valueDate: won.body.leftOn });

      const balance = await h.call<MemberBalance>(
        'GET',
        `/v1/coops/${coop.coopId}/members/${holder.memberId}/balance`,
        {
          token: coop.treasurerToken,
        },
      );
      expect(balance.body.funds).toBe('200.00');
      expect(balance.body.total).toBe('200.00');
      expect(balance.body.pools).toEqual([expect.objectContaining({ poolId: pool.id, share: '0.00' })]);

      // One membership row, ended on the winner's day.
      const memberships = await h.db.rows<{ leftOn: string | null }>(sql`
        select left_on::text as "leftOn" from pool_memberships
         where pool_id = ${pool.id}::uuid and member_id = ${holder.memberId}::uuid`);
      expect(memberships).toEqual([{ leftOn: won.body.leftOn }]);
    }
    await expectLedgerConsistent(h);
  });
});
