import { describe, expect, it } from 'vitest';
import type { AuditEvent, Entry, MemberBalance, Page, Pool, PoolBalance, PoolLeave } from '../support/api';
import { defined } from '../support/assert';
import { contribute, createHolder, createPool, expectLedgerConsistent, joinPool, receive } from '../support/fixtures';
import { InsufficientFunds, Problem, problemType } from '../support/problems';
import { useHarness } from '../support/use-harness';

const { h, coop } = useHarness();

const c = () => `/v1/coops/${coop.coopId}`;

describe('corrections are reversals', () => {
  it('reverses an entry once, linking both ways and restoring every balance', async () => {
    const holder = await createHolder(h, coop);
    await receive(h, coop, holder.memberId, '50.00', '2026-02-01');
    const wrong = await receive(h, coop, holder.memberId, '75.25', '2026-02-02');
    const reversal = await h.call<Entry>('POST', `${c()}/entries/${wrong.entryId}/reversal`, {
      token: coop.treasurerToken,
      body: { reason: 'Entered twice', valueDate: '2026-02-03' },
    });
    expect(reversal.status).toBe(201);
    expect(reversal.body).toMatchObject({
      kind: 'reversal',
      valueDate: '2026-02-03',
      reverses: wrong.entryId,
      reversedBy: null,
      memo: 'Reversal: Entered twice',
    });
    expect(reversal.body.postings.map((p) => p.amount).sort()).toEqual(['-75.25', '75.25']);

    const original = await h.call<Entry>('GET', `${c()}/entries/${wrong.entryId}`, { token: coop.treasurerToken });
    expect(original.body.reversedBy).toBe(reversal.body.id);

    const again = await h.call('POST', `${c()}/entries/${wrong.entryId}/reversal`, {
      token: coop.treasurerToken,
      body: { reason: 'again' },
    });
    expect(again.status).toBe(409);
    expect(again.json(Problem).type).toBe(problemType('already-reversed'));

    const ofReversal = await h.call('POST', `${c()}/entries/${reversal.body.id}/reversal`, {
      token: coop.treasurerToken,
      body: { reason: 'undo the undo' },
    });
    expect(ofReversal.status).toBe(422);

    const balance = await h.call<MemberBalance>('GET', `${c()}/members/${holder.memberId}/balance`, {
      token: coop.treasurerToken,
    });
    expect(balance.body.funds).toBe('50.00');
    const onTheDay = await h.call<MemberBalance>('GET', `${c()}/members/${holder.memberId}/balance?asOf=2026-02-02`, {
      token: coop.treasurerToken,
    });
    expect(onTheDay.body.funds).toBe('125.25');
    await expectLedgerConsistent(h);
  });

  it('refuses to reverse a receipt whose money has since gone into a pool', async () => {
    const holder = await createHolder(h, coop);
    const receipt = await receive(h, coop, holder.memberId, '100.00');
    const pool = await createPool(h, coop);
    await joinPool(h, coop, pool.id, holder.memberId);
    expect((await contribute(h, coop, pool.id, holder.memberId, '60.00')).status).toBe(201);
    const refused = await h.call('POST', `${c()}/entries/${receipt.entryId}/reversal`, {
      token: coop.treasurerToken,
      body: { reason: 'wrong holder' },
    });
    expect(refused.status).toBe(422);
    expect(refused.json(InsufficientFunds).shortfalls).toEqual([
      { memberId: holder.memberId, account: 'funds', available: '40.00', shortBy: '60.00' },
    ]);
    await expectLedgerConsistent(h);
  });
});

describe('leaving a pool', () => {
  it('returns the remaining share to the holder in one entry and lets them rejoin', async () => {
    const holder = await createHolder(h, coop);
    await receive(h, coop, holder.memberId, '300.00');
    const pool = await createPool(h, coop);
    await joinPool(h, coop, pool.id, holder.memberId);
    await contribute(h, coop, pool.id, holder.memberId, '123.45');
    const left = await h.call<PoolLeave>(
      'DELETE',
      `${c()}/pools/${pool.id}/members/${holder.memberId}?leftOn=2026-01-10`,
      {
        token: coop.treasurerToken,
      },
    );
    expect(left.status).toBe(200);
    expect(left.body).toMatchObject({ returned: '123.45', leftOn: '2026-01-10' });
    const entry = await h.call<Entry>('GET', `${c()}/entries/${defined(left.body.entryId)}`, {
      token: coop.treasurerToken,
    });
    expect(entry.body.kind).toBe('pool_withdrawal');
    expect(entry.body.valueDate).toBe('2026-01-10');
    expect(entry.body.postings).toHaveLength(2);
    const balance = await h.call<MemberBalance>('GET', `${c()}/members/${holder.memberId}/balance`, {
      token: holder.token,
    });
    expect(balance.body).toMatchObject({ funds: '300.00', total: '300.00' });

    const notMember = await contribute(h, coop, pool.id, holder.memberId, '1.00');
    expect(notMember.status).toBe(422);
    const leaveAgain = await h.call('DELETE', `${c()}/pools/${pool.id}/members/${holder.memberId}`, {
      token: coop.treasurerToken,
    });
    expect(leaveAgain.status).toBe(404);
    await joinPool(h, coop, pool.id, holder.memberId, '2026-01-10');
    expect((await contribute(h, coop, pool.id, holder.memberId, '1.00', '2026-01-11')).status).toBe(201);
    await expectLedgerConsistent(h);
  });
});

describe('journal listing and audit', () => {
  it('pages entries with a cursor and filters by member and date', async () => {
    const holder = await createHolder(h, coop);
    for (const day of ['2026-03-01', '2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05'])
      await receive(h, coop, holder.memberId, '10.00', day);
    const first = await h.call<Page<Entry>>('GET', `${c()}/entries?memberId=${holder.memberId}&limit=2`, {
      token: coop.treasurerToken,
    });
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await h.call<Page<Entry>>(
      'GET',
      `${c()}/entries?memberId=${holder.memberId}&limit=2&cursor=${first.body.nextCursor}`,
      { token: coop.treasurerToken },
    );
    const third = await h.call<Page<Entry>>(
      'GET',
      `${c()}/entries?memberId=${holder.memberId}&limit=2&cursor=${second.body.nextCursor}`,
      { token: coop.treasurerToken },
    );
    expect(third.body.items).toHaveLength(1);
    expect(third.body.nextCursor).toBeNull();
    const dates = [...first.body.items, ...second.body.items, ...third.body.items].map((e) => e.valueDate);
    expect(dates).toEqual(['2026-03-01', '2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05']);
    const ranged = await h.call<Page<Entry>>(
      'GET',
      `${c()}/entries?memberId=${holder.memberId}&from=2026-03-02&to=2026-03-03`,
      {
        token: coop.treasurerToken,
      },
    );
    expect(ranged.body.items.map((e) => e.valueDate)).toEqual(['2026-03-02', '2026-03-03']);
  });

  it('records who did what in the audit log, with ids and no names or amounts', async () => {
    const holder = await createHolder(h, coop, { name: 'Siân Llŷr' });
    const receipt = await receive(h, coop, holder.memberId, '42.42');
    const audit = await h.call<Page<AuditEvent>>('GET', `${c()}/audit?limit=500`, { token: coop.treasurerToken });
    expect(audit.status).toBe(200);
    const receiptEvent = audit.body.items.find((e) => e.targetId === receipt.entryId);
    expect(receiptEvent).toMatchObject({
      action: 'receipt.create',
      targetType: 'entry',
      actorTokenId: expect.any(String),
    });
    expect(audit.body.items.some((e) => e.action === 'member.create' && e.targetId === holder.memberId)).toBe(true);
    expect(audit.text).not.toContain('Siân');
    expect(audit.text).not.toContain('42.42');
  });

  it('filters the audit log by day, out to the first and last days a date can name', async () => {
    const holder = await createHolder(h, coop);
    const audit = (query: string) =>
      h.call<Page<AuditEvent>>('GET', `${c()}/audit?limit=500&${query}`, { token: coop.treasurerToken });
    const widest = await audit('from=0001-01-01&to=9999-12-31');
    expect(widest.status).toBe(200);
    expect(widest.body.items.some((e) => e.targetId === holder.memberId)).toBe(true);
    const past = await audit('from=0001-01-01&to=2000-01-01');
    expect(past.status).toBe(200);
    expect(past.body.items).toEqual([]);
    const future = await audit('from=9999-12-31');
    expect(future.body.items).toEqual([]);
  });

  it('shows a holder only their own share of a pool, and the pool total', async () => {
    const a = await createHolder(h, coop);
    const b = await createHolder(h, coop);
    const pool = await createPool(h, coop);
    for (const [holder, amount] of [
      [a, '30.00'],
      [b, '45.50'],
    ] as const) {
      await receive(h, coop, holder.memberId, '100.00');
      await joinPool(h, coop, pool.id, holder.memberId);
      await contribute(h, coop, pool.id, holder.memberId, amount);
    }
    const seenByA = await h.call<PoolBalance>('GET', `${c()}/pools/${pool.id}/balance`, { token: a.token });
    expect(seenByA.body.total).toBe('75.50');
    expect(seenByA.body.shares).toEqual([{ memberId: a.memberId, name: expect.any(String), share: '30.00' }]);
    const poolForA = await h.call<Pool>('GET', `${c()}/pools/${pool.id}`, { token: a.token });
    expect(poolForA.body.members).toBeUndefined();
    const seenByTreasurer = await h.call<PoolBalance>('GET', `${c()}/pools/${pool.id}/balance`, {
      token: coop.treasurerToken,
    });
    expect(seenByTreasurer.body.shares).toHaveLength(2);
  });
});
