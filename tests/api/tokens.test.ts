import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { hashToken, newTokenSecret } from '../../src/auth/token-secret';
import type { IssuedToken, Member, Page, Token } from '../support/api';
import { defined, first } from '../support/assert';
import { type CoopFixture, createCoop, createHolder, createToken } from '../support/fixtures';
import { Problem } from '../support/problems';
import { useHarness } from '../support/use-harness';

/** Tokens have a lifecycle a security reviewer signs off: who made each, when it expires, when it was last used. */
const { h, coop } = useHarness();
let other: CoopFixture;
const DAY_MS = 86_400_000;

beforeAll(async () => {
  other = await createCoop(h);
});

const tokensOf = async (token: string, query = '') => {
  const res = await h.call<Page<Token>>('GET', `/v1/tokens${query}`, { token });
  expect(res.status).toBe(200);
  return res.body.items;
};

const adminTokenId = async () => first(await tokensOf(h.adminToken, '?role=admin'), 'admin token').id;

describe('issuing tokens', () => {
  it('lets a treasurer issue holder tokens of their own co-op and nothing more powerful', async () => {
    const holder = await createHolder(h, coop);
    const treasurerMint = await h.call('POST', '/v1/tokens', {
      token: coop.treasurerToken,
      body: { role: 'treasurer', label: 'my deputy', coopId: coop.coopId },
    });
    expect(treasurerMint.status).toBe(403);
    const officerMint = await h.call('POST', '/v1/tokens', {
      token: coop.treasurerToken,
      body: { role: 'la_officer', label: 'x', localAuthorityId: coop.laId },
    });
    expect(officerMint.status).toBe(403);
    const foreign = await h.call('POST', '/v1/tokens', {
      token: other.treasurerToken,
      body: { role: 'holder', label: 'x', coopId: coop.coopId, memberId: holder.memberId },
    });
    expect(foreign.status).toBe(403);
    const holderToken = await h.call('POST', '/v1/tokens', {
      token: holder.token,
      body: { role: 'holder', label: 'x', coopId: coop.coopId, memberId: holder.memberId },
    });
    expect(holderToken.status).toBe(403);
  });

  it('issues a holder token only for a member who holds a Direct Payment', async () => {
    const worker = await h.call<Member>('POST', `/v1/coops/${coop.coopId}/members`, {
      token: coop.treasurerToken,
      body: { name: 'Bethan Lewis', stakeholderClass: 'worker', preferredLanguage: 'cy' },
    });
    const res = await h.call('POST', '/v1/tokens', {
      token: coop.treasurerToken,
      body: { role: 'holder', label: 'x', coopId: coop.coopId, memberId: worker.body.id },
    });
    expect(res.status).toBe(422);
    expect(res.json(Problem).errors).toEqual([{ path: 'body.memberId', message: 'not a holder' }]);
  });

  it("never outlives the token that creates it, and lasts at most its role's lifetime", async () => {
    const holder = await createHolder(h, coop);
    const issued = await h.call<IssuedToken>('POST', '/v1/tokens', {
      token: coop.treasurerToken,
      body: { role: 'holder', label: 'capped', coopId: coop.coopId, memberId: holder.memberId },
    });
    expect(issued.status).toBe(201);
    const treasurer = first(await tokensOf(h.adminToken, `?coopId=${coop.coopId}&role=treasurer`), 'treasurer token');
    // The treasurer token came from the admin token (90 days): a 365-day holder token is cut to the same moment.
    expect(issued.body.expiresAt).toBe(treasurer.expiresAt);
    expect(Date.parse(issued.body.expiresAt) - Date.now()).toBeLessThanOrEqual(90 * DAY_MS);
    expect(issued.body.createdBy).toBe(treasurer.id);

    const tooLong = await h.call('POST', '/v1/tokens', {
      token: h.adminToken,
      body: { role: 'admin', label: 'forever', expiresAt: new Date(Date.now() + 400 * DAY_MS).toISOString() },
    });
    expect(tooLong.status).toBe(422);
    expect(tooLong.json(Problem).errors).toEqual([{ path: 'body.expiresAt', message: expect.any(String) }]);
    const past = await h.call('POST', '/v1/tokens', {
      token: h.adminToken,
      body: { role: 'admin', label: 'past', expiresAt: '2020-01-01T00:00:00Z' },
    });
    expect(past.status).toBe(422);
    const sooner = new Date(Date.now() + 7 * DAY_MS).toISOString();
    const short = await h.call<IssuedToken>('POST', '/v1/tokens', {
      token: h.adminToken,
      body: { role: 'admin', label: 'a week', expiresAt: sooner },
    });
    expect(short.status).toBe(201);
    expect(Date.parse(short.body.expiresAt)).toBe(Date.parse(sooner));
  });

  it('refuses a token once it has expired', async () => {
    const secret = newTokenSecret();
    await h.db.rows(sql`
      insert into tokens (id, token_hash, role, label, created_at, expires_at)
      values (gen_random_uuid(), ${hashToken(secret)}, 'admin', 'old', now() - interval '2 days', now() - interval '1 day')`);
    expect((await h.call('GET', '/v1/local-authorities', { token: secret })).status).toBe(401);
  });
});

describe('listing tokens', () => {
  it('shows an admin every token, filterable by co-op, and a treasurer only their co-op holder tokens', async () => {
    const holder = await createHolder(h, coop);
    const made = await createToken(h, coop.treasurerToken, {
      role: 'holder',
      coopId: coop.coopId,
      memberId: holder.memberId,
    });
    await createHolder(h, other);

    const all = await tokensOf(h.adminToken, '?limit=500');
    expect(new Set(all.map((t) => t.role))).toEqual(new Set(['admin', 'treasurer', 'la_officer', 'holder']));
    const ofCoop = await tokensOf(h.adminToken, `?coopId=${coop.coopId}&limit=500`);
    expect(ofCoop.every((t) => t.coopId === coop.coopId)).toBe(true);
    expect(ofCoop.map((t) => t.id)).toContain(made.id);

    const seenByTreasurer = await tokensOf(coop.treasurerToken, `?coopId=${other.coopId}&limit=500`);
    expect(seenByTreasurer).toEqual([]);
    const own = await tokensOf(coop.treasurerToken, '?limit=500');
    expect(own.length).toBeGreaterThan(0);
    expect(own.every((t) => t.role === 'holder' && t.coopId === coop.coopId)).toBe(true);
    const listed = (await h.call('GET', '/v1/tokens?limit=500', { token: coop.treasurerToken })).text;
    expect(listed).not.toContain(made.token);
    expect(listed).not.toContain(hashToken(made.token));

    expect((await h.call('GET', '/v1/tokens', { token: holder.token })).status).toBe(403);
    expect((await h.call('GET', '/v1/tokens', { token: coop.laOfficerToken })).status).toBe(403);
  });

  it('records when a token was last used', async () => {
    const holder = await createHolder(h, coop);
    const before = (await tokensOf(coop.treasurerToken, '?limit=500')).find((t) => t.id === holder.tokenId);
    expect(before).toMatchObject({ lastUsedAt: null });
    await h.call('GET', `/v1/coops/${coop.coopId}/members/${holder.memberId}/balance`, { token: holder.token });
    const after = (await tokensOf(coop.treasurerToken, '?limit=500')).find((t) => t.id === holder.tokenId);
    expect(Date.parse(defined(after?.lastUsedAt, 'lastUsedAt'))).toBeGreaterThan(Date.now() - 60_000);
  });

  it('hides revoked and expired tokens unless asked for all', async () => {
    const holder = await createHolder(h, coop);
    await h.call('DELETE', `/v1/tokens/${holder.tokenId}`, { token: coop.treasurerToken });
    expect((await tokensOf(coop.treasurerToken, '?limit=500')).map((t) => t.id)).not.toContain(holder.tokenId);
    const all = await tokensOf(coop.treasurerToken, '?limit=500&all=true');
    expect(all.find((t) => t.id === holder.tokenId)).toMatchObject({ revokedAt: expect.any(String) });
  });
});

describe('revoking tokens', () => {
  it("lets a treasurer revoke their co-op's holder tokens, never the tokens an admin gave treasurers", async () => {
    const deputy = await createToken(h, h.adminToken, { role: 'treasurer', coopId: coop.coopId });
    expect((await h.call('DELETE', `/v1/tokens/${deputy.id}`, { token: coop.treasurerToken })).status).toBe(404);
    expect((await h.call('GET', `/v1/coops/${coop.coopId}`, { token: deputy.token })).status).toBe(200);
    const adminId = await adminTokenId();
    expect((await h.call('DELETE', `/v1/tokens/${adminId}`, { token: coop.treasurerToken })).status).toBe(404);
    const holder = await createHolder(h, coop);
    expect((await h.call('DELETE', `/v1/tokens/${holder.tokenId}`, { token: other.treasurerToken })).status).toBe(404);
    expect((await h.call('DELETE', `/v1/tokens/${holder.tokenId}`, { token: coop.treasurerToken })).status).toBe(204);
    expect(
      (await h.call('GET', `/v1/coops/${coop.coopId}/members/${holder.memberId}`, { token: holder.token })).status,
    ).toBe(401);
  });

  it('lets anyone revoke their own token, and then it stops working', async () => {
    const holder = await createHolder(h, coop);
    expect((await h.call('DELETE', `/v1/tokens/${holder.tokenId}`, { token: holder.token })).status).toBe(204);
    expect((await h.call('GET', `/v1/coops/${coop.coopId}`, { token: holder.token })).status).toBe(401);
  });

  it('with cascade, revokes every token the token created, transitively, and nothing else', async () => {
    const root = await createToken(h, h.adminToken, { role: 'admin' });
    const treasurer = await createToken(h, root.token, { role: 'treasurer', coopId: coop.coopId });
    const holder = await createHolder(h, coop);
    const grandchild = await createToken(h, treasurer.token, {
      role: 'holder',
      coopId: coop.coopId,
      memberId: holder.memberId,
    });
    const bystander = await createToken(h, h.adminToken, { role: 'treasurer', coopId: coop.coopId });

    const plain = await h.call('DELETE', `/v1/tokens/${root.id}`, { token: h.adminToken });
    expect(plain.status).toBe(204);
    // Without cascade, what the revoked token made keeps working.
    expect((await h.call('GET', `/v1/coops/${coop.coopId}`, { token: treasurer.token })).status).toBe(200);

    const cascade = await h.call('DELETE', `/v1/tokens/${root.id}?cascade=true`, { token: h.adminToken });
    expect(cascade.status).toBe(204);
    for (const token of [treasurer.token, grandchild.token]) {
      expect((await h.call('GET', `/v1/coops/${coop.coopId}`, { token })).status).toBe(401);
    }
    expect((await h.call('GET', `/v1/coops/${coop.coopId}`, { token: bystander.token })).status).toBe(200);
    const audit = await h.db.one<{ n: number }>(
      sql`select count(*)::int as n from audit_log where action = 'token.revoke' and target_id in (${root.id}::uuid, ${treasurer.id}::uuid, ${grandchild.id}::uuid)`,
    );
    expect(audit.n).toBe(3);
  });
});
