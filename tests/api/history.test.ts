import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ProblemCode } from '../../src/http/problem-types';
import type {
  Account,
  AwardChange,
  Entry,
  HolderStatement,
  IssuedStatement,
  LaStatement,
  Member,
  MemberBalance,
  Page,
  Payment,
  Pool,
  PoolBalance,
  PoolLeave,
  PoolMembership,
  Provider,
  Purchase,
  PurchaseCreated,
  Receipt,
  SharedCost,
  SharedCostPreview,
} from '../support/api';
import { defined, only } from '../support/assert';
import {
  type CoopFixture,
  type HolderFixture,
  contribute,
  createCoop,
  createHolder,
  createLocalAuthority,
  createPool,
  expectLedgerConsistent,
  joinPool,
  receive,
} from '../support/fixtures';
import type { Response } from '../support/harness';
import { Problem, problemType } from '../support/problems';
import { useHarness } from '../support/use-harness';

/**
 * Dated history and corrections: awards and pool memberships have dates, and a past period's figures never change;
 * splits follow who was in a pool on the day; invoices and receipts are corrected by reversal, never twice over.
 */

const { h, coop } = useHarness();

const base = (fixture: CoopFixture = coop) => `/v1/coops/${fixture.coopId}`;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** A refusal of the given status and problem type whose `errors` name the field; returns the problem. */
function expectRefused(res: Response, status: number, code: ProblemCode, path?: string): Problem {
  expect(res.status, res.text).toBe(status);
  const problem = res.json(Problem);
  expect(problem.type).toBe(problemType(code));
  if (path !== undefined) expect((problem.errors ?? []).map((e) => e.path)).toContain(path);
  return problem;
}

function putAward(fixture: CoopFixture, memberId: string, body: Record<string, unknown>) {
  return h.call<AwardChange>('PUT', `${base(fixture)}/members/${memberId}/award`, {
    token: fixture.treasurerToken,
    body,
  });
}

async function entryIdsOf(fixture: CoopFixture, memberId: string): Promise<string[]> {
  const res = await h.call<Page<Entry>>('GET', `${base(fixture)}/entries?memberId=${memberId}&limit=500`, {
    token: fixture.treasurerToken,
  });
  expect(res.status).toBe(200);
  expect(res.body.nextCursor).toBeNull();
  return res.body.items.map((e) => e.id);
}

async function balanceOf(fixture: CoopFixture, memberId: string): Promise<MemberBalance> {
  const res = await h.call<MemberBalance>('GET', `${base(fixture)}/members/${memberId}/balance`, {
    token: fixture.treasurerToken,
  });
  expect(res.status).toBe(200);
  return res.body;
}

async function poolShares(fixture: CoopFixture, poolId: string): Promise<Record<string, string>> {
  const res = await h.call<PoolBalance>('GET', `${base(fixture)}/pools/${poolId}/balance`, {
    token: fixture.treasurerToken,
  });
  expect(res.status).toBe(200);
  return Object.fromEntries(res.body.shares.map((s) => [s.memberId, s.share]));
}

function reverse(fixture: CoopFixture, entryId: string, reason = 'Keyed in error') {
  return h.call<Entry>('POST', `${base(fixture)}/entries/${entryId}/reversal`, {
    token: fixture.treasurerToken,
    body: { reason },
  });
}

describe('awards are dated history', () => {
  // An LA whose surplus threshold is two weeks, so the surplus figures move with the award.
  let award: CoopFixture;
  let holder: HolderFixture;
  let firstAwardId: string;
  let change: Response<AwardChange>;
  const january = 'from=2026-01-01&to=2026-01-31';
  const march = 'from=2026-03-01&to=2026-03-31';
  /** A holder statement (its body typed as the JSON one; a PDF's is in `raw`). */
  const holderStatement = (period: string, format: string) =>
    h.call<HolderStatement>('GET', `${base(award)}/statements/holders/${holder.memberId}?${period}&format=${format}`, {
      token: award.treasurerToken,
    });
  /** An LA statement (its body typed as the JSON one; a CSV's is in `text`). */
  const laStatement = (period: string, format = 'json') =>
    h.call<LaStatement>(
      'GET',
      `/v1/local-authorities/${award.laId}/statements?coopId=${award.coopId}&${period}&format=${format}`,
      { token: award.laOfficerToken },
    );
  /** January's statements as issued before the award changed. */
  let before: { json: Response<HolderStatement>; pdf: Response; la: Response<LaStatement>; laCsv: Response };

  beforeAll(async () => {
    award = await createCoop(h, await createLocalAuthority(h, { surplusThresholdWeeks: 2 }));
    holder = await createHolder(h, award);
    await receive(h, award, holder.memberId, '420.00', '2026-01-05');
    const first = await putAward(award, holder.memberId, {
      amount: '100.00',
      frequency: 'weekly',
      startsOn: '2026-01-01',
    });
    expect(first.status, first.text).toBe(200);
    firstAwardId = first.body.id;
    before = {
      json: await holderStatement(january, 'json'),
      pdf: await holderStatement(january, 'pdf'),
      la: await laStatement(january),
      laCsv: await laStatement(january, 'csv'),
    };
    for (const res of Object.values(before)) expect(res.status, res.text).toBe(200);
    change = await putAward(award, holder.memberId, { amount: '200.00', frequency: 'weekly', startsOn: '2026-03-01' });
  });

  it('ends the earlier award the day before a change, and shows the award in force today and the whole history', async () => {
    expect(change.status, change.text).toBe(200);
    const earlier = {
      id: firstAwardId,
      amount: '100.00',
      frequency: 'weekly',
      startsOn: '2026-01-01',
      endsOn: '2026-02-28',
      replacedBy: null,
    };
    const later = {
      id: change.body.id,
      amount: '200.00',
      frequency: 'weekly',
      startsOn: '2026-03-01',
      endsOn: null,
      replacedBy: null,
    };
    expect(change.body).toMatchObject({ memberId: holder.memberId, ...later, award: later, awards: [earlier, later] });

    const member = await h.call<Member>('GET', `${base(award)}/members/${holder.memberId}`, {
      token: award.treasurerToken,
    });
    expect(member.status).toBe(200);
    expect(member.body.award).toEqual(later);
    expect(member.body.awards).toEqual([earlier, later]);
    // The holder reads the same history.
    const own = await h.call<Member>('GET', `${base(award)}/members/${holder.memberId}`, { token: holder.token });
    expect(own.body.awards).toEqual([earlier, later]);
  });

  it('gives a past period the same holder statement bytes (JSON) after the change, measured by the award of its time', async () => {
    const after = await holderStatement(january, 'json');
    expect(after.status).toBe(200);
    expect(after.raw.equals(before.json.raw)).toBe(true);
    expect(after.headers['x-statement-sha256']).toBe(sha256(before.json.raw));
    expect(after.headers['x-statement-sha256']).toBe(before.json.headers['x-statement-sha256']);
    // £420.00 at £100.00 a week is 4.2 weeks; two weeks' threshold is £200.00, so £220.00 above it.
    expect(after.body).toMatchObject({
      closing: { total: '420.00' },
      award: { amount: '100.00', frequency: 'weekly', weekly: '100.00' },
      closingWeeksOfAward: '4.2',
      surplusThresholdWeeks: 2,
      surplusThresholdAmount: '200.00',
      surplusAboveThreshold: '220.00',
    });
  });

  it('gives a past period the same holder statement PDF, byte for byte, after the change', async () => {
    const after = await holderStatement(january, 'pdf');
    expect(after.status).toBe(200);
    expect(after.headers['content-type']).toContain('application/pdf');
    expect(after.raw.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(sha256(after.raw)).toBe(sha256(before.pdf.raw));
    expect(after.headers['x-statement-sha256']).toBe(sha256(before.pdf.raw));
  });

  it('measures a period after the change by the new award', async () => {
    const res = await holderStatement(march, 'json');
    expect(res.status).toBe(200);
    // £420.00 at £200.00 a week is 2.1 weeks; the threshold is £400.00, so £20.00 above it.
    expect(res.body).toMatchObject({
      closing: { total: '420.00' },
      award: { amount: '200.00', frequency: 'weekly', weekly: '200.00' },
      closingWeeksOfAward: '2.1',
      surplusThresholdAmount: '400.00',
      surplusAboveThreshold: '20.00',
    });
  });

  it("keeps the LA statement's past figures (JSON and CSV) after the change, and uses the new award after it", async () => {
    const after = await laStatement(january);
    expect(after.status).toBe(200);
    const row = (res: Response<LaStatement>) => res.body.holders.find((r) => r.memberId === holder.memberId);
    expect(row(before.la)).toMatchObject({
      closing: '420.00',
      weeklyAward: '100.00',
      closingWeeksOfAward: '4.2',
      surplusAboveThreshold: '220.00',
    });
    expect(row(after)).toEqual(row(before.la));
    expect(after.headers['x-statement-sha256']).toBe(before.la.headers['x-statement-sha256']);
    expect(after.raw.equals(before.la.raw)).toBe(true);
    const csvAfter = await laStatement(january, 'csv');
    expect(csvAfter.text).toBe(before.laCsv.text);
    expect(csvAfter.headers['x-statement-sha256']).toBe(before.laCsv.headers['x-statement-sha256']);

    const inMarch = await laStatement(march);
    expect(inMarch.status).toBe(200);
    expect(row(inMarch)).toMatchObject({
      closing: '420.00',
      weeklyAward: '200.00',
      closingWeeksOfAward: '2.1',
      surplusAboveThreshold: '20.00',
    });
    await expectLedgerConsistent(h);
  });

  it('replaces an award corrected for the same start date, keeping the replaced one in the history', async () => {
    const other = await createHolder(h, award);
    const first = await putAward(award, other.memberId, {
      amount: '150.00',
      frequency: 'monthly',
      startsOn: '2026-02-01',
    });
    expect(first.status).toBe(200);
    const corrected = await putAward(award, other.memberId, {
      amount: '160.00',
      frequency: 'four_weekly',
      startsOn: '2026-02-01',
    });
    expect(corrected.status, corrected.text).toBe(200);
    const replaced = {
      id: first.body.id,
      amount: '150.00',
      frequency: 'monthly',
      startsOn: '2026-02-01',
      endsOn: null,
      replacedBy: corrected.body.id,
    };
    const correction = {
      id: corrected.body.id,
      amount: '160.00',
      frequency: 'four_weekly',
      startsOn: '2026-02-01',
      endsOn: null,
      replacedBy: null,
    };
    const member = await h.call<Member>('GET', `${base(award)}/members/${other.memberId}`, {
      token: award.treasurerToken,
    });
    expect(member.body.award).toEqual(correction);
    expect(member.body.awards).toHaveLength(2);
    expect(member.body.awards).toEqual(expect.arrayContaining([replaced, correction]));
    // A statement uses the correction: £160.00 every four weeks is £40.00 a week.
    await receive(h, award, other.memberId, '100.00', '2026-02-02');
    const statement = await h.call<HolderStatement>(
      'GET',
      `${base(award)}/statements/holders/${other.memberId}?from=2026-02-01&to=2026-02-28`,
      { token: award.treasurerToken },
    );
    expect(statement.body).toMatchObject({
      award: { amount: '160.00', frequency: 'four_weekly', weekly: '40.00' },
      closingWeeksOfAward: '2.5',
    });
  });

  it('refuses an award ending before it starts (422 naming endsOn) and an award for a non-holder (422)', async () => {
    const other = await createHolder(h, award);
    const backwards = await putAward(award, other.memberId, {
      amount: '100.00',
      frequency: 'weekly',
      startsOn: '2026-02-01',
      endsOn: '2026-01-31',
    });
    expectRefused(backwards, 422, 'unprocessable', 'body.endsOn');
    // A one-day award is fine.
    const oneDay = await putAward(award, other.memberId, {
      amount: '100.00',
      frequency: 'weekly',
      startsOn: '2026-02-01',
      endsOn: '2026-02-01',
    });
    expect(oneDay.status, oneDay.text).toBe(200);
    expect(oneDay.body.awards).toHaveLength(1);

    const worker = await h.call<Member>('POST', `${base(award)}/members`, {
      token: award.treasurerToken,
      body: { name: 'Ceri Gweithiwr', stakeholderClass: 'worker', preferredLanguage: 'cy' },
    });
    expect(worker.status, worker.text).toBe(201);
    const refused = await putAward(award, worker.body.id, {
      amount: '100.00',
      frequency: 'weekly',
      startsOn: '2026-02-01',
    });
    expect(refused.status, refused.text).toBe(422);
    expect([problemType('unprocessable'), problemType('validation-error')]).toContain(refused.json(Problem).type);
    const workerNow = await h.call<Member>('GET', `${base(award)}/members/${worker.body.id}`, {
      token: award.treasurerToken,
    });
    expect(workerNow.body).toMatchObject({ award: null, awards: [] });
  });

  it('refuses (409 period-closed) an award starting on or before a closed period, and changes nothing', async () => {
    const closing = await createCoop(h);
    const other = await createHolder(h, closing);
    const first = await putAward(closing, other.memberId, {
      amount: '100.00',
      frequency: 'weekly',
      startsOn: '2026-01-01',
    });
    expect(first.status).toBe(200);
    const close = await h.call('POST', `${base(closing)}/periods/close`, {
      token: closing.treasurerToken,
      body: { through: '2026-01-31', force: true, reason: 'No bank statement imported in this test' },
    });
    expect(close.status, close.text).toBe(201);

    for (const startsOn of ['2026-01-15', '2026-01-31']) {
      const refused = await putAward(closing, other.memberId, { amount: '120.00', frequency: 'weekly', startsOn });
      expect(expectRefused(refused, 409, 'period-closed').closedThrough).toBe('2026-01-31');
    }
    const unchanged = await h.call<Member>('GET', `${base(closing)}/members/${other.memberId}`, {
      token: closing.treasurerToken,
    });
    expect(unchanged.body.awards).toEqual([first.body.award]);

    // The day after the close is open: the earlier award ends on the closing day itself.
    const open = await putAward(closing, other.memberId, {
      amount: '120.00',
      frequency: 'weekly',
      startsOn: '2026-02-01',
    });
    expect(open.status, open.text).toBe(200);
    expect(open.body.awards.map((a) => [a.startsOn, a.endsOn])).toEqual([
      ['2026-01-01', '2026-01-31'],
      ['2026-02-01', null],
    ]);
  });
});

describe('pool memberships are dated', () => {
  it('refuses contributions before joining and after leaving, dates the withdrawal, and checks every date', async () => {
    const holder = await createHolder(h, coop);
    await receive(h, coop, holder.memberId, '500.00', '2026-01-05');
    const pool = await createPool(h, coop);
    const members = `${base()}/pools/${pool.id}/members`;

    const joined = await h.call<PoolMembership & { poolId: string }>('POST', members, {
      token: coop.treasurerToken,
      body: { memberId: holder.memberId, joinedOn: '2026-02-01' },
    });
    expect(joined.status, joined.text).toBe(201);
    expect(joined.body).toMatchObject({
      poolId: pool.id,
      memberId: holder.memberId,
      joinedOn: '2026-02-01',
      leftOn: null,
    });

    const early = await contribute(h, coop, pool.id, holder.memberId, '10.00', '2026-01-31');
    expectRefused(early, 422, 'unprocessable', 'body.date');
    expect(await entryIdsOf(coop, holder.memberId)).toHaveLength(1);
    expect((await contribute(h, coop, pool.id, holder.memberId, '100.00', '2026-02-01')).status).toBe(201);
    expect((await contribute(h, coop, pool.id, holder.memberId, '50.00', '2026-02-10')).status).toBe(201);

    const shown = await h.call<Pool>('GET', `${base()}/pools/${pool.id}`, { token: coop.treasurerToken });
    expect(shown.status).toBe(200);
    expect(shown.body.members).toEqual([
      expect.objectContaining({ memberId: holder.memberId, joinedOn: '2026-02-01', leftOn: null }),
    ]);

    const leave = (leftOn: string) =>
      h.call<PoolLeave>('DELETE', `${members}/${holder.memberId}?leftOn=${leftOn}`, { token: coop.treasurerToken });
    expectRefused(await leave('2026-01-31'), 422, 'unprocessable', 'querystring.leftOn');
    // The share last moved on 2026-02-10: leaving before then would take back money the ledger says was still in.
    expectRefused(await leave('2026-02-09'), 422, 'unprocessable', 'querystring.leftOn');
    expect(await entryIdsOf(coop, holder.memberId)).toHaveLength(3);
    expect((await balanceOf(coop, holder.memberId)).pools).toEqual([
      expect.objectContaining({ poolId: pool.id, share: '150.00' }),
    ]);

    const left = await leave('2026-02-15');
    expect(left.status, left.text).toBe(200);
    expect(left.body).toMatchObject({
      poolId: pool.id,
      memberId: holder.memberId,
      leftOn: '2026-02-15',
      returned: '150.00',
    });
    const withdrawal = await h.call<Entry>('GET', `${base()}/entries/${defined(left.body.entryId)}`, {
      token: coop.treasurerToken,
    });
    expect(withdrawal.body).toMatchObject({ kind: 'pool_withdrawal', valueDate: '2026-02-15' });
    expect(withdrawal.body.postings.map((p) => p.amount).sort()).toEqual(['-150.00', '150.00']);
    expect(await balanceOf(coop, holder.memberId)).toMatchObject({ funds: '500.00', total: '500.00' });
    // On the day before leaving the money was still in the pool.
    const dayBefore = await h.call<MemberBalance>(
      'GET',
      `${base()}/members/${holder.memberId}/balance?asOf=2026-02-14`,
      {
        token: coop.treasurerToken,
      },
    );
    expect(dayBefore.body).toMatchObject({ funds: '350.00', total: '500.00' });

    for (const date of ['2026-02-12', '2026-02-20']) {
      expectRefused(
        await contribute(h, coop, pool.id, holder.memberId, '5.00', date),
        422,
        'unprocessable',
        'body.memberId',
      );
    }
    const afterLeaving = await h.call<Pool>('GET', `${base()}/pools/${pool.id}`, { token: coop.treasurerToken });
    expect(afterLeaving.body.members).toEqual([]);

    const rejoin = (joinedOn: string) =>
      h.call<PoolMembership>('POST', members, {
        token: coop.treasurerToken,
        body: { memberId: holder.memberId, joinedOn },
      });
    expectRefused(await rejoin('2026-02-14'), 422, 'unprocessable', 'body.joinedOn');
    const nextYear = `${new Date().getUTCFullYear() + 1}-01-01`;
    expectRefused(await rejoin(nextYear), 422, 'unprocessable', 'body.joinedOn');
    const back = await rejoin('2026-02-15');
    expect(back.status, back.text).toBe(201);
    expect(back.body).toMatchObject({ joinedOn: '2026-02-15', leftOn: null });
    const again = await h.call<Pool>('GET', `${base()}/pools/${pool.id}`, { token: coop.treasurerToken });
    expect(again.body.members).toEqual([
      expect.objectContaining({ memberId: holder.memberId, joinedOn: '2026-02-15', leftOn: null }),
    ]);
    expect((await contribute(h, coop, pool.id, holder.memberId, '25.00', '2026-02-16')).status).toBe(201);
    expect((await balanceOf(coop, holder.memberId)).funds).toBe('475.00');
    await expectLedgerConsistent(h);
  });

  it('refuses joining on a future date for a first-time member too', async () => {
    const holder = await createHolder(h, coop);
    const pool = await createPool(h, coop);
    const nextYear = `${new Date().getUTCFullYear() + 1}-01-01`;
    const res = await h.call('POST', `${base()}/pools/${pool.id}/members`, {
      token: coop.treasurerToken,
      body: { memberId: holder.memberId, joinedOn: nextYear },
    });
    expectRefused(res, 422, 'unprocessable', 'body.joinedOn');
    const shown = await h.call<Pool>('GET', `${base()}/pools/${pool.id}`, { token: coop.treasurerToken });
    expect(shown.body.members).toEqual([]);
  });
});

describe('shared-cost splits on a date', () => {
  let poolId: string;
  let a: HolderFixture;
  let b: HolderFixture;
  let late: HolderFixture;
  const cost = (date: string, amount: string, allocation: unknown) => ({
    category: 'admin',
    description: 'Bookkeeper',
    amount,
    date,
    allocation,
  });
  const preview = (body: unknown) =>
    h.call<SharedCostPreview>('POST', `${base()}/pools/${poolId}/costs/preview`, { token: coop.treasurerToken, body });
  const post = (body: unknown) =>
    h.call<SharedCost>('POST', `${base()}/pools/${poolId}/costs`, { token: coop.treasurerToken, body });

  beforeAll(async () => {
    poolId = (await createPool(h, coop)).id;
    a = await createHolder(h, coop);
    b = await createHolder(h, coop);
    late = await createHolder(h, coop);
    for (const [holder, joinedOn, contributedOn] of [
      [a, '2026-01-01', '2026-01-10'],
      [b, '2026-01-01', '2026-01-10'],
      [late, '2026-03-01', '2026-03-02'],
    ] as const) {
      await receive(h, coop, holder.memberId, '1000.00', '2026-01-05');
      await joinPool(h, coop, poolId, holder.memberId, joinedOn);
      expect((await contribute(h, coop, poolId, holder.memberId, '300.00', contributedOn)).status).toBe(201);
    }
  });

  it('leaves out a member who joined after the cost was incurred', async () => {
    const body = cost('2026-02-15', '100.00', { method: 'equal' });
    const seen = await preview(body);
    expect(seen.status, seen.text).toBe(200);
    const expected = [
      { memberId: a.memberId, amount: '50.00' },
      { memberId: b.memberId, amount: '50.00' },
    ];
    expect(seen.body.allocations).toHaveLength(2);
    expect(seen.body.allocations).toEqual(expect.arrayContaining(expected));
    expect(seen.body.notCharged).toEqual([]);
    const posted = await post(body);
    expect(posted.status, posted.text).toBe(201);
    expect(posted.body.allocations).toEqual(seen.body.allocations);
    expect(await poolShares(coop, poolId)).toEqual({
      [a.memberId]: '250.00',
      [b.memberId]: '250.00',
      [late.memberId]: '300.00',
    });

    // After they joined, they share.
    const march = await post(cost('2026-03-15', '90.00', { method: 'equal' }));
    expect(march.status, march.text).toBe(201);
    expect(march.body.allocations).toHaveLength(3);
    expect(await poolShares(coop, poolId)).toEqual({
      [a.memberId]: '220.00',
      [b.memberId]: '220.00',
      [late.memberId]: '270.00',
    });
    await expectLedgerConsistent(h);
  });

  it('needs a weight for every member on the day (naming the one left out), and "0" leaves one out on purpose', async () => {
    const before = await poolShares(coop, poolId);
    const missing = cost('2026-03-16', '30.00', {
      method: 'weights',
      weights: { [a.memberId]: '2', [b.memberId]: '1' },
    });
    expectRefused(await preview(missing), 422, 'unprocessable', `body.allocation.weights.${late.memberId}`);
    expectRefused(await post(missing), 422, 'unprocessable', `body.allocation.weights.${late.memberId}`);
    expect(await poolShares(coop, poolId)).toEqual(before);

    // Before the late member joined, the same two weights are the whole pool; naming the late member is refused.
    const february = await preview(
      cost('2026-02-16', '30.00', { method: 'weights', weights: { [a.memberId]: '2', [b.memberId]: '1' } }),
    );
    expect(february.status, february.text).toBe(200);
    expect(february.body.allocations).toEqual(
      expect.arrayContaining([
        { memberId: a.memberId, amount: '20.00' },
        { memberId: b.memberId, amount: '10.00' },
      ]),
    );
    const notYet = await preview(
      cost('2026-02-16', '30.00', {
        method: 'weights',
        weights: { [a.memberId]: '2', [b.memberId]: '1', [late.memberId]: '1' },
      }),
    );
    expectRefused(notYet, 422, 'unprocessable', `body.allocation.weights.${late.memberId}`);

    const onPurpose = cost('2026-03-16', '30.00', {
      method: 'weights',
      weights: { [a.memberId]: '2', [b.memberId]: '1', [late.memberId]: '0' },
    });
    const seen = await preview(onPurpose);
    expect(seen.status, seen.text).toBe(200);
    expect(seen.body.allocations).toEqual(
      expect.arrayContaining([
        { memberId: a.memberId, amount: '20.00' },
        { memberId: b.memberId, amount: '10.00' },
      ]),
    );
    expect(seen.body.notCharged).toEqual([late.memberId]);
    const posted = await post(onPurpose);
    expect(posted.status, posted.text).toBe(201);
    expect(await poolShares(coop, poolId)).toEqual({
      [a.memberId]: '200.00',
      [b.memberId]: '210.00',
      [late.memberId]: '270.00',
    });
    await expectLedgerConsistent(h);
  });

  it('lists in the preview the members a usage split does not charge', async () => {
    const before = await poolShares(coop, poolId);
    const seen = await preview(cost('2026-03-17', '12.00', { method: 'usage', units: { [b.memberId]: '4' } }));
    expect(seen.status, seen.text).toBe(200);
    expect(seen.body.method).toBe('usage');
    expect(seen.body.allocations).toEqual([{ memberId: b.memberId, amount: '12.00' }]);
    expect([...seen.body.notCharged].sort()).toEqual([a.memberId, late.memberId].sort());
    // A preview posts nothing.
    expect(await poolShares(coop, poolId)).toEqual(before);
  });
});

describe('providers, warnings and corrected invoices', () => {
  let providerId: string;
  let holder: HolderFixture;
  const invoice = (invoiceReference: string, lines: unknown[]) => ({
    providerId,
    memberId: holder.memberId,
    invoiceReference,
    invoiceDate: '2026-04-10',
    serviceFrom: '2026-04-06',
    serviceTo: '2026-04-10',
    lines,
  });
  const paLine = (units: string, unitRate: string) => ({
    serviceType: 'personal_assistance',
    description: 'Support hours',
    units,
    unitRate,
  });
  const record = (body: unknown) =>
    h.call<PurchaseCreated>('POST', `${base()}/purchases`, { token: coop.treasurerToken, body });
  const purchase = async (id: string) => {
    const res = await h.call<Purchase>('GET', `${base()}/purchases/${id}`, { token: coop.treasurerToken });
    expect(res.status).toBe(200);
    return res.body;
  };
  const pay = (id: string, amount: string, reference: string) =>
    h.call<Payment>('POST', `${base()}/purchases/${id}/payments`, {
      token: coop.treasurerToken,
      body: { amount, paidOn: '2026-04-20', reference },
    });

  beforeAll(async () => {
    const provider = await h.call<Provider>('POST', `${base()}/providers`, {
      token: coop.treasurerToken,
      body: {
        name: 'Cymorth Cymunedol Dyffryn',
        kind: 'social_enterprise',
        welshLanguageService: true,
        locality: 'Rhuthun',
      },
    });
    expect(provider.status, provider.text).toBe(201);
    providerId = provider.body.id;
    const rates = await h.call('PUT', `${base()}/providers/${providerId}/rates`, {
      token: coop.treasurerToken,
      body: {
        services: [
          {
            serviceType: 'personal_assistance',
            unit: 'hour',
            individualRate: '18.40',
            tierPeriod: 'week',
            tiers: [{ minUnits: '40', rate: '16.90' }],
          },
        ],
      },
    });
    expect(rates.status, rates.text).toBe(200);
    holder = await createHolder(h, coop);
    await receive(h, coop, holder.memberId, '1000.00', '2026-04-01');
  });

  it('warns of a line above the card rate and of a service the card does not list, and not of a line within it', async () => {
    const res = await record(
      invoice('CCD-WARN-1', [
        paLine('2', '18.40'),
        paLine('1', '19.00'),
        { serviceType: 'day_activities', description: 'Art group', units: '1', unitRate: '30.00' },
      ]),
    );
    expect(res.status, res.text).toBe(201);
    // 36.80 + 19.00 + 30.00; alone: 36.80 + 18.40 + 30.00 (no card rate: the charged rate).
    expect(res.body).toMatchObject({ total: '85.80', individualRateTotal: '85.20', saving: '-0.60' });
    expect(res.body.warnings).toEqual([
      { line: 2, code: 'above-card-rate', message: expect.any(String) },
      { line: 3, code: 'no-card-rate', message: expect.any(String) },
    ]);
    expect((await purchase(res.body.id)).total).toBe('85.80');

    const clean = await record(invoice('CCD-WARN-2', [paLine('3', '18.40'), paLine('1', '16.90')]));
    expect(clean.status, clean.text).toBe(201);
    expect(clean.body.warnings).toEqual([]);
    expect(clean.body).toMatchObject({ total: '72.10', individualRateTotal: '73.60', saving: '1.50' });
    await expectLedgerConsistent(h);
  });

  it('shows a reversed purchase as reversed with nothing outstanding, and takes its correction under the same reference', async () => {
    const fundsBefore = (await balanceOf(coop, holder.memberId)).funds;
    const wrong = await record(invoice('CCD-118', [paLine('2', '18.40')]));
    expect(wrong.status, wrong.text).toBe(201);
    expect(await purchase(wrong.body.id)).toMatchObject({
      status: 'outstanding',
      reversedBy: null,
      outstanding: '36.80',
    });
    const twice = await record(invoice('CCD-118', [paLine('2', '18.40')]));
    expectRefused(twice, 409, 'duplicate');

    const reversal = await reverse(coop, wrong.body.entryId, 'Wrong hours on the invoice');
    expect(reversal.status, reversal.text).toBe(201);
    expect(await purchase(wrong.body.id)).toMatchObject({
      status: 'reversed',
      reversedBy: reversal.body.id,
      outstanding: '0.00',
    });
    expect((await balanceOf(coop, holder.memberId)).funds).toBe(fundsBefore);

    const corrected = await record(invoice('CCD-118', [paLine('3', '18.40')]));
    expect(corrected.status, corrected.text).toBe(201);
    expect(corrected.body.id).not.toBe(wrong.body.id);
    expect(await purchase(corrected.body.id)).toMatchObject({ status: 'outstanding', outstanding: '55.20' });
    const secondLive = await record(invoice('CCD-118', [paLine('3', '18.40')]));
    expectRefused(secondLive, 409, 'duplicate');
    await expectLedgerConsistent(h);
  });

  it('refuses to reverse a paid or part-paid purchase while a payment stands, and reverses it once they are reversed', async () => {
    const fundsBefore = (await balanceOf(coop, holder.memberId)).funds;
    const bought = await record(invoice('CCD-204', [paLine('2', '20.00')]));
    expect(bought.status, bought.text).toBe(201);
    const first = await pay(bought.body.id, '15.00', 'BACS 204-1');
    expect(first.status, first.text).toBe(201);
    expect(await purchase(bought.body.id)).toMatchObject({ status: 'part_paid', paid: '15.00', outstanding: '25.00' });

    const partPaid = await reverse(coop, bought.body.entryId);
    expectRefused(partPaid, 409, 'invalid-state');
    expect(await purchase(bought.body.id)).toMatchObject({ status: 'part_paid', reversedBy: null });

    const rest = await pay(bought.body.id, '25.00', 'BACS 204-2');
    expect(rest.status, rest.text).toBe(201);
    expect(await purchase(bought.body.id)).toMatchObject({ status: 'paid', paid: '40.00', outstanding: '0.00' });
    expectRefused(await reverse(coop, bought.body.entryId), 409, 'invalid-state');

    expect((await reverse(coop, first.body.entryId, 'Paid from the wrong account')).status).toBe(201);
    expect(await purchase(bought.body.id)).toMatchObject({ status: 'part_paid', paid: '25.00', outstanding: '15.00' });
    expectRefused(await reverse(coop, bought.body.entryId), 409, 'invalid-state');
    expect((await reverse(coop, rest.body.entryId, 'Paid from the wrong account')).status).toBe(201);
    expect(await purchase(bought.body.id)).toMatchObject({ status: 'outstanding', paid: '0.00', outstanding: '40.00' });

    const reversal = await reverse(coop, bought.body.entryId, 'Invoice withdrawn by the provider');
    expect(reversal.status, reversal.text).toBe(201);
    expect(await purchase(bought.body.id)).toMatchObject({
      status: 'reversed',
      reversedBy: reversal.body.id,
      outstanding: '0.00',
    });
    expect((await balanceOf(coop, holder.memberId)).funds).toBe(fundsBefore);
    await expectLedgerConsistent(h);
  });

  it('shows providerId on provider accounts in the chart of accounts, and null on the others', async () => {
    const res = await h.call<Page<Account>>('GET', `${base()}/accounts?limit=500`, { token: coop.treasurerToken });
    expect(res.status).toBe(200);
    expect(res.body.nextCursor).toBeNull();
    const items = res.body.items;
    const payable = items.filter((a) => a.kind === 'provider_payable');
    expect(payable.map((a) => a.providerId)).toContain(providerId);
    for (const account of payable) expect(account.providerId).toEqual(expect.any(String));
    const others = items.filter((a) => a.kind !== 'provider_payable');
    expect(others.length).toBeGreaterThan(0);
    for (const account of others) expect(account).toHaveProperty('providerId', null);
    // Every invoice above is paid, reversed or still owed: the provider's account holds exactly what is owed.
    expect(payable.find((a) => a.providerId === providerId)?.balance).toBe('-213.10'); // 85.80 + 72.10 + 55.20 outstanding
  });
});

describe('DP receipt references', () => {
  const receipt = (memberId: string, reference: string, amount = '212.40', receivedOn = '2026-05-04') =>
    h.call<Receipt>('POST', `${base()}/receipts`, {
      token: coop.treasurerToken,
      body: { memberId, amount, receivedOn, reference },
    });

  it('refuses the same reference twice for one holder (naming the earlier entry), but not for another holder', async () => {
    const a = await createHolder(h, coop);
    const b = await createHolder(h, coop);
    const first = await receipt(a.memberId, 'WXM-DP-MAY');
    expect(first.status, first.text).toBe(201);

    const again = await receipt(a.memberId, 'WXM-DP-MAY', '212.40', '2026-05-05');
    expect(expectRefused(again, 409, 'duplicate', 'body.reference').entryId).toBe(first.body.entryId);
    expect(await entryIdsOf(coop, a.memberId)).toEqual([first.body.entryId]);
    expect((await balanceOf(coop, a.memberId)).funds).toBe('212.40');

    const forOther = await receipt(b.memberId, 'WXM-DP-MAY');
    expect(forOther.status, forOther.text).toBe(201);
    expect((await balanceOf(coop, b.memberId)).funds).toBe('212.40');

    const reversal = await reverse(coop, first.body.entryId, 'Wrong amount');
    expect(reversal.status).toBe(201);
    const corrected = await receipt(a.memberId, 'WXM-DP-MAY', '221.40');
    expect(corrected.status, corrected.text).toBe(201);
    expect((await balanceOf(coop, a.memberId)).funds).toBe('221.40');
    expectRefused(await receipt(a.memberId, 'WXM-DP-MAY', '221.40'), 409, 'duplicate', 'body.reference');
    await expectLedgerConsistent(h);
  });
});

describe('the statement register', () => {
  let holder: HolderFixture;
  const url = () => `${base()}/statements/holders/${holder.memberId}?from=2026-05-01&to=2026-05-31`;
  const download = async (query = '') => {
    const res = await h.call('GET', `${url()}${query}`, { token: coop.treasurerToken });
    expect(res.status, res.text).toBe(200);
    return res;
  };
  const issuedFor = async () => {
    const res = await h.call<Page<IssuedStatement>>('GET', `${base()}/statements/issued?limit=500`, {
      token: coop.treasurerToken,
    });
    expect(res.status).toBe(200);
    return res.body.items.filter((i) => i.subjectId === holder.memberId);
  };

  beforeAll(async () => {
    holder = await createHolder(h, coop);
    await receive(h, coop, holder.memberId, '300.00', '2026-05-04');
  });

  it('keeps one row for the same statement downloaded three times, counting the downloads', async () => {
    const downloads = [await download(), await download(), await download()] as const;
    const sha = sha256(downloads[0].raw);
    for (const d of downloads) expect(d.headers['x-statement-sha256']).toBe(sha);

    expect(only(await issuedFor(), 'register row')).toMatchObject({
      kind: 'holder',
      from: '2026-05-01',
      to: '2026-05-31',
      format: 'json',
      language: 'cy',
      sha256: sha,
    });
    const stored = await h.db.one<{ times: number; ordered: boolean }>(sql`
      select times_issued as "times", last_issued_at >= first_issued_at as "ordered"
        from statement_register where subject_id = ${holder.memberId}::uuid`);
    expect(Number(stored.times)).toBe(3);
    expect(stored.ordered).toBe(true);
  });

  it('gives another format or language a row of its own', async () => {
    const pdf = await download('&format=pdf');
    const english = await download('&lang=en');
    await download('&lang=en');
    const rows = await issuedFor();
    expect(rows).toHaveLength(3);
    const key = (r: IssuedStatement) => `${r.format}/${r.language}`;
    expect(rows.map(key).sort()).toEqual(['json/cy', 'json/en', 'pdf/cy']);
    expect(rows.find((r) => r.format === 'pdf')?.sha256).toBe(sha256(pdf.raw));
    expect(rows.find((r) => r.language === 'en')?.sha256).toBe(sha256(english.raw));
    const stored = await h.db.rows<{ format: string; language: string; times: number }>(sql`
      select format, language, times_issued as "times"
        from statement_register where subject_id = ${holder.memberId}::uuid order by format, language`);
    expect(stored.map((r) => [r.format, r.language, Number(r.times)])).toEqual([
      ['json', 'cy', 3],
      ['json', 'en', 2],
      ['pdf', 'cy', 1],
    ]);
  });

  it('lists each issued statement once with how many times and when last it was issued', async () => {
    const row = only(
      (await issuedFor()).filter((r) => r.format === 'json' && r.language === 'cy'),
      'register row in JSON, in Welsh',
    );
    expect(row).toMatchObject({ timesIssued: 3, lastIssuedAt: expect.any(String), issuedAt: expect.any(String) });
    expect(Date.parse(row.lastIssuedAt)).toBeGreaterThanOrEqual(Date.parse(row.issuedAt));
  });
});

describe('leaving twice', () => {
  it('answers 404 for a membership that has already ended', async () => {
    const holder = await createHolder(h, coop);
    await receive(h, coop, holder.memberId, '50.00', '2026-01-05');
    const pool = await createPool(h, coop);
    await joinPool(h, coop, pool.id, holder.memberId);
    const url = `${base()}/pools/${pool.id}/members/${holder.memberId}?leftOn=2026-01-20`;
    expect((await h.call('DELETE', url, { token: coop.treasurerToken })).status).toBe(200);
    expectRefused(await h.call('DELETE', url, { token: coop.treasurerToken }), 404, 'not-found');
  });
});
