import { describe, expect, it } from 'vitest';
import type { MemberBalance, PoolBalance } from '../support/api';
import { contribute, createHolder, createPool, expectLedgerConsistent, joinPool, receive } from '../support/fixtures';
import { InsufficientFunds, problemType } from '../support/problems';
import { useHarness } from '../support/use-harness';

const { h, coop } = useHarness();

describe('receipts, contributions and balances', () => {
  it('moves DP money into a pool and reports every balance to the penny', async () => {
    const holder = await createHolder(h, coop);
    const receipt = await receive(h, coop, holder.memberId, '200.00', '2026-01-05');
    expect(receipt.entryId).toMatch(/^[0-9a-f-]{36}$/);
    await receive(h, coop, holder.memberId, '200.01', '2026-01-12');
    const pool = await createPool(h, coop);
    await joinPool(h, coop, pool.id, holder.memberId);
    const contribution = await contribute(h, coop, pool.id, holder.memberId, '150.50', '2026-01-13');
    expect(contribution.status).toBe(201);

    const balance = await h.call<MemberBalance>('GET', `/v1/coops/${coop.coopId}/members/${holder.memberId}/balance`, {
      token: holder.token,
    });
    expect(balance.status).toBe(200);
    expect(balance.body.funds).toBe('249.51');
    expect(balance.body.pools).toEqual([{ poolId: pool.id, name: pool.name, share: '150.50' }]);
    expect(balance.body.total).toBe('400.01');

    const early = await h.call<MemberBalance>(
      'GET',
      `/v1/coops/${coop.coopId}/members/${holder.memberId}/balance?asOf=2026-01-06`,
      {
        token: holder.token,
      },
    );
    expect(early.body).toMatchObject({ asOf: '2026-01-06', funds: '200.00', total: '200.00' });
    expect(early.body.pools).toEqual([{ poolId: pool.id, name: pool.name, share: '0.00' }]);

    const poolBalance = await h.call<PoolBalance>('GET', `/v1/coops/${coop.coopId}/pools/${pool.id}/balance`, {
      token: coop.treasurerToken,
    });
    expect(poolBalance.body.total).toBe('150.50');
    await expectLedgerConsistent(h);
  });

  it('refuses a contribution larger than the funds, posting nothing', async () => {
    const holder = await createHolder(h, coop);
    await receive(h, coop, holder.memberId, '10.00');
    const pool = await createPool(h, coop);
    await joinPool(h, coop, pool.id, holder.memberId);
    const refused = await contribute(h, coop, pool.id, holder.memberId, '10.01');
    expect(refused.status).toBe(422);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    const problem = refused.json(InsufficientFunds);
    expect(problem.type).toBe(problemType('insufficient-funds'));
    expect(problem.shortfalls).toEqual([
      { memberId: holder.memberId, account: 'funds', available: '10.00', shortBy: '0.01' },
    ]);
    const balance = await h.call<MemberBalance>('GET', `/v1/coops/${coop.coopId}/members/${holder.memberId}/balance`, {
      token: coop.treasurerToken,
    });
    expect(balance.body.funds).toBe('10.00');
    await expectLedgerConsistent(h);
  });
});
