import { beforeAll, describe, expect, it } from 'vitest';
import type { ProblemCode } from '../../src/http/problem-types';
import type { Account, Entry, Member, MemberBalance, Page, Pool, PoolBalance } from '../support/api';
import { first } from '../support/assert';
import {
  type HolderFixture,
  contribute,
  createCoop,
  createHolder,
  createPool,
  expectLedgerConsistent,
  joinPool,
  receive,
} from '../support/fixtures';
import type { Response } from '../support/harness';
import { ANY_PROBLEM_TYPE, Problem, problemType } from '../support/problems';
import { useHarness } from '../support/use-harness';

/**
 * Bad input is answered with RFC 9457 problem+json naming the offending field, and changes nothing:
 * every balance, account and journal entry is the same afterwards.
 */
const { h, coop } = useHarness();
let holder: HolderFixture;
let pool: { id: string; name: string };

beforeAll(async () => {
  holder = await createHolder(h, coop);
  await receive(h, coop, holder.memberId, '100.00', '2026-01-05');
  pool = await createPool(h, coop);
  await joinPool(h, coop, pool.id, holder.memberId, '2024-01-01');
  expect((await contribute(h, coop, pool.id, holder.memberId, '40.00', '2026-01-06')).status).toBe(201);
});

const receiptsUrl = () => `/v1/coops/${coop.coopId}/receipts`;
const contributionsUrl = (poolId = pool.id) => `/v1/coops/${coop.coopId}/pools/${poolId}/contributions`;
const validReceipt = () => ({
  memberId: holder.memberId,
  amount: '10.00',
  receivedOn: '2026-01-05',
  reference: 'R-valid',
});
const validContribution = () => ({ memberId: holder.memberId, amount: '1.00', date: '2026-01-06' });

/** Everything a bad request could have changed. */
async function snapshot() {
  const t = coop.treasurerToken;
  const [member, poolBalance, entries, accounts, members, pools] = await Promise.all([
    h.call<MemberBalance>('GET', `/v1/coops/${coop.coopId}/members/${holder.memberId}/balance`, { token: t }),
    h.call<PoolBalance>('GET', `/v1/coops/${coop.coopId}/pools/${pool.id}/balance`, { token: t }),
    h.call<Page<Entry>>('GET', `/v1/coops/${coop.coopId}/entries?limit=500`, { token: t }),
    h.call<Page<Account>>('GET', `/v1/coops/${coop.coopId}/accounts?limit=500`, { token: t }),
    h.call<Page<Member>>('GET', `/v1/coops/${coop.coopId}/members?limit=500`, { token: t }),
    h.call<Page<Pool>>('GET', `/v1/coops/${coop.coopId}/pools?limit=500`, { token: t }),
  ]);
  for (const res of [member, poolBalance, entries, accounts, members, pools]) expect(res.status).toBe(200);
  return {
    member: member.body,
    pool: poolBalance.body,
    entries: entries.body,
    accounts: accounts.body,
    members: members.body,
    pools: pools.body,
  };
}

let before: Awaited<ReturnType<typeof snapshot>>;
beforeAll(async () => {
  before = await snapshot();
  expect(before.member).toMatchObject({ funds: '60.00', total: '100.00' });
  expect(before.pool.total).toBe('40.00');
});

/** A problem+json body with the RFC 9457 members, nothing internal leaked. */
function expectProblem(res: Response, status: number, code?: ProblemCode): Problem {
  expect(res.status, res.text).toBe(status);
  expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
  const problem = res.json(Problem);
  expect(problem).toMatchObject({ status, type: expect.stringMatching(ANY_PROBLEM_TYPE) });
  expect(problem.title.length).toBeGreaterThan(0);
  expect(problem.detail.length).toBeGreaterThan(0);
  if (code) expect(problem.type).toBe(problemType(code));
  expectNoLeak(res.text);
  return problem;
}

function expectNoLeak(text: string) {
  expect(text).not.toMatch(/\bat [^\s"]+ \(|\n\s+at |\.(ts|js|mjs):\d+/); // stack frames
  expect(text).not.toMatch(/\b(select|insert|update|delete from)\b/i);
  expect(text).not.toMatch(/postgres|pglite|drizzle|node_modules|constraint|violates/i);
}

/** A 422 validation problem whose errors name `path` (`Problem` holds each error to a path and a message). */
function expectValidation(res: Response, path: string) {
  const errors = expectProblem(res, 422, 'validation-error').errors ?? [];
  expect(errors.length).toBeGreaterThan(0);
  expect(errors.map((e) => e.path)).toContain(path);
}

async function expectUnchanged() {
  expect(await snapshot()).toEqual(before);
}

const routes = [
  { name: 'POST receipts', url: receiptsUrl, valid: validReceipt, dateField: 'receivedOn' },
  { name: 'POST contributions', url: () => contributionsUrl(), valid: validContribution, dateField: 'date' },
] as const;

describe.each(routes)('$name', ({ url, valid, dateField }) => {
  const post = (body: unknown, extra: { headers?: Record<string, string> } = {}) =>
    h.call('POST', url(), { token: coop.treasurerToken, body, ...extra });

  it.each([
    ['a JSON number', 12.5],
    ['a JSON integer', 12],
    ['three decimals', '1.005'],
    ['a negative amount', '-1.00'],
    ['zero', '0.00'],
    ['negative zero', '-0.00'],
    ['exponent notation', '1e3'],
    ['a comma', '1,00'],
    ['an empty string', ''],
    ['null', null],
    ['an object', { amount: '1.00' }],
    ['more than 12 digits', '1000000000000.00'],
  ])('refuses amount as %s with 422 naming body.amount', async (_, amount) => {
    expectValidation(await post({ ...valid(), amount }), 'body.amount');
    await expectUnchanged();
  });

  it('refuses a missing amount, naming it', async () => {
    const { amount: _omit, ...body } = valid();
    expectValidation(await post(body), 'body.amount');
    await expectUnchanged();
  });

  it('refuses an unknown field, naming it', async () => {
    const errors = expectProblem(await post({ ...valid(), extra: 'x' }), 422, 'validation-error').errors ?? [];
    const named = errors.some((e) => e.path === 'body.extra' || (e.path === 'body' && e.message.includes('extra')));
    expect(named, JSON.stringify(errors)).toBe(true);
    await expectUnchanged();
  });

  it('refuses a malformed member UUID in the body', async () => {
    expectValidation(await post({ ...valid(), memberId: 'not-a-uuid' }), 'body.memberId');
    expectValidation(await post({ ...valid(), memberId: `${holder.memberId}x` }), 'body.memberId');
    await expectUnchanged();
  });

  it('answers an unknown but well-formed member with 404', async () => {
    expectProblem(await post({ ...valid(), memberId: '00000000-0000-4000-8000-000000000000' }), 404, 'not-found');
    await expectUnchanged();
  });

  it.each([
    '2026-02-30',
    '2026-13-01',
    '26-01-01',
    '2026-1-5',
    '2026-01-05T00:00:00Z',
    '05/01/2026',
    '2025-02-29',
    '0000-01-01',
    '',
  ])('refuses the impossible date %j', async (date) => {
    expectValidation(await post({ ...valid(), [dateField]: date }), `body.${dateField}`);
    await expectUnchanged();
  });

  it('accepts 29 February in a leap year as a date (then only business rules apply)', async () => {
    const res = await post({ ...valid(), amount: '0.01', [dateField]: '2024-02-29' });
    // The date is valid; whatever the outcome, it is not a validation error on the date.
    if (res.status >= 400) expect(JSON.stringify(res.json(Problem).errors ?? [])).not.toContain(dateField);
    expect(res.status).toBeLessThan(500);
    before = await snapshot();
  });

  it('refuses a future date with 422 naming the field, posting nothing', async () => {
    for (const date of ['2999-01-01', `${new Date().getUTCFullYear() + 1}-01-01`]) {
      const res = await post({ ...valid(), [dateField]: date });
      expect(res.status, res.text).toBe(422);
      expect(expectProblem(res, 422).errors?.map((e) => e.path)).toContain(`body.${dateField}`);
    }
    await expectUnchanged();
  });

  it('refuses an over-long memo or reference', async () => {
    const field = dateField === 'date' ? 'memo' : 'reference';
    expectValidation(await post({ ...valid(), [field]: 'x'.repeat(201) }), `body.${field}`);
    expectValidation(await post({ ...valid(), [field]: 'line\u0000break' }), `body.${field}`);
    await expectUnchanged();
  });

  it('refuses a body over 64 KiB with 413', async () => {
    const res = await post({ ...valid(), padding: 'x'.repeat(65 * 1024) });
    expectProblem(res, 413, 'payload-too-large');
    await expectUnchanged();
  });

  it('refuses malformed JSON with 400', async () => {
    for (const rawBody of ['{"memberId":', '{amount: "1.00"}', "{'a':1}", '{"a":1}}', 'nul']) {
      expectProblem(await h.call('POST', url(), { token: coop.treasurerToken, rawBody }), 400, 'malformed-request');
    }
    await expectUnchanged();
  });

  it('refuses an empty body', async () => {
    const res = await h.call('POST', url(), { token: coop.treasurerToken, rawBody: '' });
    expect([400, 422]).toContain(res.status);
    expectProblem(res, res.status);
    await expectUnchanged();
  });

  it.each(['text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x'])(
    'refuses the content type %s with 415',
    async (contentType) => {
      const res = await h.call('POST', url(), {
        token: coop.treasurerToken,
        rawBody: JSON.stringify(valid()),
        headers: { 'content-type': contentType },
      });
      expectProblem(res, 415, 'unsupported-media-type');
      await expectUnchanged();
    },
  );

  it('refuses an over-long or spaced Idempotency-Key, naming the header', async () => {
    expectValidation(
      await post(valid(), { headers: { 'idempotency-key': 'k'.repeat(256) } }),
      'headers.idempotency-key',
    );
    expectValidation(await post(valid(), { headers: { 'idempotency-key': 'has space' } }), 'headers.idempotency-key');
    await expectUnchanged();
  });

  it('checks who is calling before validating', async () => {
    expectProblem(await h.call('POST', url(), { body: { amount: 12.5 } }), 401, 'unauthorized');
    expectProblem(await h.call('POST', url(), { token: holder.token, body: { amount: 12.5 } }), 403, 'forbidden');
    await expectUnchanged();
  });

  it('answers a malformed co-op id in the path without revealing anything', async () => {
    const res = await h.call('POST', url().replace(coop.coopId, 'not-a-uuid'), {
      token: coop.treasurerToken,
      body: valid(),
    });
    expect([404, 422]).toContain(res.status);
    const problem = expectProblem(res, res.status);
    if (res.status === 422) expect(problem.errors?.map((e) => e.path)).toContain('params.coopId');
    await expectUnchanged();
  });
});

describe('malformed ids in paths', () => {
  it('refuses a malformed pool id with 422 naming params.poolId', async () => {
    expectValidation(
      await h.call('POST', contributionsUrl('not-a-uuid'), { token: coop.treasurerToken, body: validContribution() }),
      'params.poolId',
    );
    expectValidation(
      await h.call('GET', `/v1/coops/${coop.coopId}/pools/123/balance`, { token: coop.treasurerToken }),
      'params.poolId',
    );
    await expectUnchanged();
  });

  it('refuses a malformed member id with 422 naming params.memberId', async () => {
    expectValidation(
      await h.call('PUT', `/v1/coops/${coop.coopId}/members/nope/award`, {
        token: coop.treasurerToken,
        body: { amount: '10.00', frequency: 'weekly', startsOn: '2026-01-01' },
      }),
      'params.memberId',
    );
    expectValidation(
      await h.call('GET', `/v1/coops/${coop.coopId}/members/nope/balance`, { token: coop.treasurerToken }),
      'params.memberId',
    );
    await expectUnchanged();
  });

  it('refuses a malformed entry id on reversal with 422 naming params.entryId', async () => {
    expectValidation(
      await h.call('POST', `/v1/coops/${coop.coopId}/entries/zzz/reversal`, {
        token: coop.treasurerToken,
        body: { reason: 'typo' },
      }),
      'params.entryId',
    );
    await expectUnchanged();
  });
});

describe('other writes', () => {
  it('refuses a member or pool name over 200 characters', async () => {
    const t = coop.treasurerToken;
    const member = {
      name: 'x'.repeat(201),
      stakeholderClass: 'holder',
      localAuthorityId: coop.laId,
      laReference: 'DP-LONG',
      preferredLanguage: 'en',
    };
    expectValidation(await h.call('POST', `/v1/coops/${coop.coopId}/members`, { token: t, body: member }), 'body.name');
    expectValidation(
      await h.call('POST', `/v1/coops/${coop.coopId}/pools`, {
        token: t,
        body: { name: 'p'.repeat(201), purpose: 'x' },
      }),
      'body.name',
    );
    expectValidation(
      await h.call('POST', `/v1/coops/${coop.coopId}/pools`, {
        token: t,
        body: { name: 'ok', purpose: 'x'.repeat(1001) },
      }),
      'body.purpose',
    );
    expectValidation(
      await h.call('POST', '/v1/coops', { token: h.adminToken, body: { name: 'c'.repeat(201) } }),
      'body.name',
    );
    await expectUnchanged();
  });

  it('accepts a name of exactly 200 characters', async () => {
    const res = await h.call('POST', `/v1/coops/${coop.coopId}/pools`, {
      token: coop.treasurerToken,
      body: { name: `${'p'.repeat(199)}z`, purpose: 'boundary' },
    });
    expect(res.status, res.text).toBe(201);
    before = await snapshot();
  });

  it('refuses award amounts and dates like any other money', async () => {
    const url = `/v1/coops/${coop.coopId}/members/${holder.memberId}/award`;
    const award = { amount: '100.00', frequency: 'weekly', startsOn: '2026-01-01' };
    expectValidation(
      await h.call('PUT', url, { token: coop.treasurerToken, body: { ...award, amount: 100 } }),
      'body.amount',
    );
    expectValidation(
      await h.call('PUT', url, { token: coop.treasurerToken, body: { ...award, amount: '0.00' } }),
      'body.amount',
    );
    expectValidation(
      await h.call('PUT', url, { token: coop.treasurerToken, body: { ...award, startsOn: '2026-02-30' } }),
      'body.startsOn',
    );
    expectValidation(
      await h.call('PUT', url, { token: coop.treasurerToken, body: { ...award, frequency: 'daily' } }),
      'body.frequency',
    );
    await expectUnchanged();
  });

  it('refuses a reversal reason that is empty or over 1000 characters', async () => {
    const entryId = first(before.entries.items, 'entry').id;
    const url = `/v1/coops/${coop.coopId}/entries/${entryId}/reversal`;
    expectValidation(await h.call('POST', url, { token: coop.treasurerToken, body: { reason: '' } }), 'body.reason');
    expectValidation(
      await h.call('POST', url, { token: coop.treasurerToken, body: { reason: 'r'.repeat(1001) } }),
      'body.reason',
    );
    expectValidation(
      await h.call('POST', url, { token: coop.treasurerToken, body: { reason: 'ok', valueDate: '2026-02-30' } }),
      'body.valueDate',
    );
    await expectUnchanged();
  });
});

describe('lists', () => {
  const lists = () => [
    `/v1/coops/${coop.coopId}/members`,
    `/v1/coops/${coop.coopId}/pools`,
    `/v1/coops/${coop.coopId}/entries`,
    `/v1/coops/${coop.coopId}/accounts`,
    `/v1/coops/${coop.coopId}/audit`,
  ];

  it.each([
    ['limit=0', 'querystring.limit'],
    ['limit=501', 'querystring.limit'],
    ['limit=-1', 'querystring.limit'],
    ['limit=1.5', 'querystring.limit'],
    ['limit=abc', 'querystring.limit'],
    ['cursor=not-a-cursor', 'querystring.cursor'],
    [`cursor=${Buffer.from('select 1').toString('base64url')}`, 'querystring.cursor'],
    [`cursor=${'A'.repeat(101)}`, 'querystring.cursor'],
  ])('refuses ?%s with 422 naming %s', async (query, path) => {
    for (const url of lists())
      expectValidation(await h.call('GET', `${url}?${query}`, { token: coop.treasurerToken }), path);
  });

  it('refuses an unknown query option', async () => {
    const res = await h.call('GET', `/v1/coops/${coop.coopId}/members?colour=red`, { token: coop.treasurerToken });
    expectProblem(res, 422, 'validation-error');
  });

  it('refuses impossible dates in list filters', async () => {
    expectValidation(
      await h.call('GET', `/v1/coops/${coop.coopId}/entries?from=2026-02-30`, { token: coop.treasurerToken }),
      'querystring.from',
    );
    expectValidation(
      await h.call('GET', `/v1/coops/${coop.coopId}/reconciliation?asOf=0000-01-01`, { token: coop.treasurerToken }),
      'querystring.asOf',
    );
    expectValidation(
      await h.call('GET', `/v1/coops/${coop.coopId}/members/${holder.memberId}/balance?asOf=2026-13-01`, {
        token: coop.treasurerToken,
      }),
      'querystring.asOf',
    );
    expectValidation(
      await h.call('GET', `/v1/coops/${coop.coopId}/entries?accountId=xyz`, { token: coop.treasurerToken }),
      'querystring.accountId',
    );
  });

  it('accepts the limits at their bounds and pages with the cursor it returned', async () => {
    for (const url of lists()) {
      const max = await h.call<Page<unknown>>('GET', `${url}?limit=500`, { token: coop.treasurerToken });
      expect(max.status, `${url} ${max.text}`).toBe(200);
      const one = await h.call<Page<unknown>>('GET', `${url}?limit=1`, { token: coop.treasurerToken });
      expect(one.status).toBe(200);
      expect(one.body.items).toHaveLength(1);
      if (max.body.items.length > 1) {
        expect(one.body.nextCursor).toEqual(expect.any(String));
        const second = await h.call<Page<unknown>>('GET', `${url}?limit=1&cursor=${one.body.nextCursor}`, {
          token: coop.treasurerToken,
        });
        expect(second.status).toBe(200);
        expect(second.body.items).toEqual([max.body.items[1]]);
      }
    }
  });
});

describe('amounts at the limit of what the ledger can hold', () => {
  it('refuses, never crashes on, a receipt that would overflow the bank balance', async () => {
    const other = await createCoop(h);
    const rich = await createHolder(h, other);
    const big = { memberId: rich.memberId, amount: '999999999999.99', receivedOn: '2026-01-05' };
    const first = await h.call('POST', `/v1/coops/${other.coopId}/receipts`, {
      token: other.treasurerToken,
      body: { ...big, reference: 'BIG-1' },
    });
    expect(first.status, first.text).toBe(201);
    const second = await h.call('POST', `/v1/coops/${other.coopId}/receipts`, {
      token: other.treasurerToken,
      body: { ...big, reference: 'BIG-2' },
    });
    expect(second.status, second.text).toBeGreaterThanOrEqual(400);
    expect(second.status, second.text).toBeLessThan(500);
    expectProblem(second, second.status);
    const balance = await h.call<MemberBalance>('GET', `/v1/coops/${other.coopId}/members/${rich.memberId}/balance`, {
      token: other.treasurerToken,
    });
    expect(balance.body.funds).toBe('999999999999.99');
    await expectUnchanged();
    await expectLedgerConsistent(h);
  });
});

describe('afterwards', () => {
  it('the ledger is consistent and no bad request left a trace', async () => {
    await expectUnchanged();
    await expectLedgerConsistent(h);
  });
});
