import { expect } from 'vitest';
import { formatMoney, sum } from '../../src/domain/money';
import type { Contribution, Coop, IssuedToken, LocalAuthority, Member, Pool, PoolMembership, Receipt } from './api';
import type { Response, TypedHarness } from './harness';

/** Test-data factories that go through the public API, so every fixture is also a use of the routes. */
let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}`;

export interface CoopFixture {
  coopId: string;
  treasurerToken: string;
  laId: string;
  laOfficerToken: string;
}

export interface HolderFixture {
  memberId: string;
  token: string;
  tokenId: string;
  laReference: string;
}

/** The body of an answer that must have `expected` status (a fixture that cannot be made fails the test, saying why). */
async function ok<T>(promise: Promise<Response<T>>, expected: number): Promise<T> {
  const res = await promise;
  if (res.status !== expected) throw new Error(`expected ${expected}, got ${res.status}: ${res.text}`);
  return res.body;
}

export async function createLocalAuthority(
  h: TypedHarness,
  overrides: Record<string, unknown> = {},
): Promise<LocalAuthority> {
  const code = `LA${unique().toUpperCase().slice(-8)}`;
  return ok(
    h.call<LocalAuthority>('POST', '/v1/local-authorities', {
      token: h.adminToken,
      body: { name: `Council ${code}`, nameCy: `Cyngor ${code}`, code, ...overrides },
    }),
    201,
  );
}

export async function createToken(h: TypedHarness, token: string, body: Record<string, unknown>): Promise<IssuedToken> {
  return ok(h.call<IssuedToken>('POST', '/v1/tokens', { token, body: { label: 'test', ...body } }), 201);
}

/** A co-op with a treasurer, and an LA with an officer. */
export async function createCoop(h: TypedHarness, la?: { id: string }): Promise<CoopFixture> {
  const localAuthority = la ?? (await createLocalAuthority(h));
  const coop = await ok(
    h.call<Coop>('POST', '/v1/coops', { token: h.adminToken, body: { name: `Cwmni ${unique()}` } }),
    201,
  );
  const treasurer = await createToken(h, h.adminToken, { role: 'treasurer', coopId: coop.id });
  const officer = await createToken(h, h.adminToken, { role: 'la_officer', localAuthorityId: localAuthority.id });
  return { coopId: coop.id, treasurerToken: treasurer.token, laId: localAuthority.id, laOfficerToken: officer.token };
}

export async function createHolder(
  h: TypedHarness,
  coop: CoopFixture,
  overrides: Record<string, unknown> = {},
): Promise<HolderFixture> {
  const laReference = `DP-${unique()}`;
  const member = await ok(
    h.call<Member>('POST', `/v1/coops/${coop.coopId}/members`, {
      token: coop.treasurerToken,
      body: {
        name: 'Dafydd Tŷ-Gwyn',
        stakeholderClass: 'holder',
        localAuthorityId: coop.laId,
        laReference,
        preferredLanguage: 'cy',
        ...overrides,
      },
    }),
    201,
  );
  const token = await createToken(h, coop.treasurerToken, { role: 'holder', coopId: coop.coopId, memberId: member.id });
  return { memberId: member.id, token: token.token, tokenId: token.id, laReference };
}

export async function receive(
  h: TypedHarness,
  coop: CoopFixture,
  memberId: string,
  amount: string,
  receivedOn = '2026-01-05',
): Promise<Receipt> {
  return ok(
    h.call<Receipt>('POST', `/v1/coops/${coop.coopId}/receipts`, {
      token: coop.treasurerToken,
      body: { memberId, amount, receivedOn, reference: `R-${unique()}` },
    }),
    201,
  );
}

export async function createPool(h: TypedHarness, coop: CoopFixture, name = `Pool ${unique()}`): Promise<Pool> {
  return ok(
    h.call<Pool>('POST', `/v1/coops/${coop.coopId}/pools`, {
      token: coop.treasurerToken,
      body: { name, purpose: 'Shared personal assistants' },
    }),
    201,
  );
}

/** Joins a pool, by default from the start of the year the tests' dates are in (contributions before joining are refused). */
export async function joinPool(
  h: TypedHarness,
  coop: CoopFixture,
  poolId: string,
  memberId: string,
  joinedOn = '2026-01-01',
): Promise<PoolMembership & { poolId: string }> {
  return ok(
    h.call<PoolMembership & { poolId: string }>('POST', `/v1/coops/${coop.coopId}/pools/${poolId}/members`, {
      token: coop.treasurerToken,
      body: { memberId, joinedOn },
    }),
    201,
  );
}

/** A contribution, answered as it is (a test may expect it refused): a 201's body is the `Contribution`. */
export async function contribute(
  h: TypedHarness,
  coop: CoopFixture,
  poolId: string,
  memberId: string,
  amount: string,
  date = '2026-01-06',
): Promise<Response<Contribution>> {
  return h.call<Contribution>('POST', `/v1/coops/${coop.coopId}/pools/${poolId}/contributions`, {
    token: coop.treasurerToken,
    body: { memberId, amount, date },
  });
}

/** The invariant every scenario ends with: each cached balance equals the sum of its postings, and the co-op sums to zero. */
export async function expectLedgerConsistent(h: TypedHarness): Promise<void> {
  const { recomputedBalances } = await import('../../src/services/ledger/queries');
  const rows = await h.db.database.read((db) => recomputedBalances(db));
  const disagreeing = rows
    .filter((r) => !r.cached.eq(r.recomputed))
    .map((r) => `${r.id}: ${r.cached} vs ${r.recomputed}`);
  expect(disagreeing).toEqual([]);
  expect(formatMoney(sum(rows.map((r) => r.recomputed)))).toBe('0.00');
}
