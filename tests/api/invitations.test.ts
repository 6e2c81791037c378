import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCoop, createHolder } from '../support/fixtures';
import { type TypedHarness, createHarness } from '../support/harness';
import { problemType } from '../support/problems';
import { PASSWORD, PageClient, inviteAndAccept, uniqueEmail } from '../support/web';

/** A clock the tests move: sessions and invitations lapse by it. */
let now = new Date('2026-03-02T10:00:00Z');
let h: TypedHarness;
beforeAll(async () => {
  h = await createHarness({ clock: () => now });
});
afterAll(async () => {
  await h?.close();
});
const minutes = (n: number) => new Date(now.getTime() + n * 60_000);

describe('POST /v1/invitations', () => {
  it('who may invite whom', async () => {
    const coop = await createCoop(h);
    const otherCoop = await createCoop(h);
    const holder = await createHolder(h, coop);
    const strangerHolder = await createHolder(h, otherCoop);
    const invite = (token: string, body: Record<string, unknown>) =>
      h.call('POST', '/v1/invitations', { token, body: { name: 'Someone', ...body } });
    expect((await invite(coop.treasurerToken, { role: 'treasurer', coopId: coop.coopId })).status).toBe(403);
    expect((await invite(coop.treasurerToken, { role: 'la_officer', localAuthorityId: coop.laId })).status).toBe(403);
    expect((await invite(h.adminToken, { role: 'holder', memberId: holder.memberId })).status).toBe(403);
    expect((await invite(holder.token, { role: 'holder', memberId: holder.memberId })).status).toBe(403);
    expect((await invite(coop.laOfficerToken, { role: 'holder', memberId: holder.memberId })).status).toBe(403);
    const elsewhere = await invite(coop.treasurerToken, { role: 'holder', memberId: strangerHolder.memberId });
    expect(elsewhere.status).toBe(404);
    const supportElsewhere = await invite(coop.treasurerToken, {
      role: 'supporter',
      supports: [{ memberId: strangerHolder.memberId, access: 'view' }],
    });
    expect(supportElsewhere.status).toBe(404);
    const missing = await invite(h.adminToken, { role: 'treasurer' });
    expect(missing.status).toBe(422);
    expect(missing.json<{ errors: { path: string }[] }>().errors[0]?.path).toBe('body.coopId');
    const ok = await invite(coop.treasurerToken, { role: 'holder', memberId: holder.memberId });
    expect(ok.status, ok.text).toBe(201);
    expect(ok.json<{ url: string }>().url).toMatch(
      /^http:\/\/127\.0\.0\.1:3000\/invitations\/cronfa_[A-Za-z0-9_-]{43}$/,
    );
  });

  it('a supporter may only support holders (not a worker)', async () => {
    const coop = await createCoop(h);
    const worker = await h.call<{ id: string }>('POST', `/v1/coops/${coop.coopId}/members`, {
      token: coop.treasurerToken,
      body: { name: 'Worker', stakeholderClass: 'worker', preferredLanguage: 'en' },
    });
    const res = await h.call('POST', '/v1/invitations', {
      token: coop.treasurerToken,
      body: { role: 'supporter', name: 'S', supports: [{ memberId: worker.body.id, access: 'view' }] },
    });
    expect(res.status).toBe(422);
    expect(res.json<{ errors: { path: string }[] }>().errors[0]?.path).toBe('body.supports.0.memberId');
  });

  it('an email used by another person is a 409 naming the field, and nothing is created', async () => {
    const coop = await createCoop(h);
    const email = uniqueEmail('taken');
    const first = await inviteAndAccept(h, h.adminToken, { role: 'treasurer', name: 'T', email, coopId: coop.coopId });
    expect(first.email).toBe(email);
    const holder = await createHolder(h, coop);
    const res = await h.call('POST', '/v1/invitations', {
      token: coop.treasurerToken,
      body: { role: 'holder', name: 'H', email: email.toUpperCase(), memberId: holder.memberId },
    });
    expect(res.status).toBe(409);
    expect(res.json<{ type: string }>().type).toBe(problemType('duplicate'));
    expect(res.json<{ errors: { path: string }[] }>().errors[0]?.path).toBe('body.email');
  });

  it('a link works once, can be withdrawn, and lapses after 7 days; inviting again resets the password', async () => {
    const coop = await createCoop(h);
    const holder = await createHolder(h, coop);
    const invite = async () => {
      const res = await h.call<{ id: string; url: string; expiresAt: string }>('POST', '/v1/invitations', {
        token: coop.treasurerToken,
        body: { role: 'holder', name: 'H', email: uniqueEmail('h'), memberId: holder.memberId },
      });
      expect(res.status, res.text).toBe(201);
      return { id: res.body.id, path: new URL(res.body.url).pathname, expiresAt: res.body.expiresAt };
    };
    const first = await invite();
    expect(first.expiresAt).toBe(new Date(now.getTime() + 7 * 86_400_000).toISOString());
    const pending = await h.call<{ items: { id: string }[] }>('GET', '/v1/invitations', { token: coop.treasurerToken });
    expect(pending.body.items.map((i) => i.id)).toContain(first.id);
    expect((await h.call('DELETE', `/v1/invitations/${first.id}`, { token: coop.treasurerToken })).status).toBe(204);
    expect((await new PageClient(h).get(first.path)).status).toBe(410);
    expect((await h.call('DELETE', `/v1/invitations/${first.id}`, { token: coop.treasurerToken })).status).toBe(404);

    const second = await invite();
    const client = new PageClient(h);
    await client.get(second.path);
    expect((await client.post(second.path, { password: PASSWORD, confirmation: PASSWORD })).status).toBe(303);
    const reused = new PageClient(h);
    expect((await reused.get(second.path)).status).toBe(410);

    const lapsed = await invite();
    now = minutes(7 * 24 * 60 + 1);
    expect((await new PageClient(h).get(lapsed.path)).status).toBe(410);

    // A new link resets the password, and ends the sessions signed in with the old one.
    const reset = await invite();
    const other = new PageClient(h);
    await other.get(reset.path);
    const newPassword = 'a different long passphrase';
    expect((await other.post(reset.path, { password: newPassword, confirmation: newPassword })).status).toBe(303);
    expect((await client.get(`/accounts/${holder.memberId}`)).status).toBe(303);
  });

  it('a co-op’s invitations are the co-op’s: another treasurer of it sees and withdraws them, another co-op does not', async () => {
    const coop = await createCoop(h);
    const other = await createCoop(h);
    const holder = await createHolder(h, coop);
    const invited = await h.call<{ id: string }>('POST', '/v1/invitations', {
      token: coop.treasurerToken,
      body: { role: 'supporter', name: 'S', supports: [{ memberId: holder.memberId, access: 'view' }] },
    });
    expect(invited.status, invited.text).toBe(201);
    const second = await h.call<{ token: string }>('POST', '/v1/tokens', {
      token: h.adminToken,
      body: { role: 'treasurer', label: 'second treasurer', coopId: coop.coopId },
    });
    const list = (token: string) => h.call<{ items: { id: string }[] }>('GET', '/v1/invitations', { token });
    expect((await list(second.body.token)).body.items.map((i) => i.id)).toContain(invited.body.id);
    expect((await list(other.treasurerToken)).body.items.map((i) => i.id)).not.toContain(invited.body.id);
    const withdrawnElsewhere = await h.call('DELETE', `/v1/invitations/${invited.body.id}`, {
      token: other.treasurerToken,
    });
    expect(withdrawnElsewhere.status).toBe(404);
    const withdrawn = await h.call('DELETE', `/v1/invitations/${invited.body.id}`, { token: second.body.token });
    expect(withdrawn.status).toBe(204);
  });

  it('refuses a weak or mismatched password and keeps the link open', async () => {
    const coop = await createCoop(h);
    const holder = await createHolder(h, coop);
    const res = await h.call<{ url: string }>('POST', '/v1/invitations', {
      token: coop.treasurerToken,
      body: { role: 'holder', name: 'Bethan Morgan', email: uniqueEmail('bethan'), memberId: holder.memberId },
    });
    const path = new URL(res.body.url).pathname;
    const client = new PageClient(h);
    await client.get(path);
    for (const [password, confirmation, message] of [
      ['short', 'short', 'Password must be 10 characters or more'],
      ['password123!', 'password123!', 'Choose a password that is harder to guess'],
      ['1234567890', '1234567890', 'Choose a password that is harder to guess'],
      ['bethan.morgan', 'bethan.morgan', 'Password must not be your name or email address'],
      ['a long enough passphrase', 'a different passphrase', 'Passwords do not match'],
    ] as const) {
      const page = await client.post(path, { password, confirmation });
      expect(page.status, password).toBe(400);
      expect(page.html, password).toContain(message);
    }
    expect((await client.get(path)).status).toBe(200);
  });
});

describe('sessions', () => {
  it('end after 30 idle minutes, and 12 hours after sign-in whatever happens', async () => {
    const coop = await createCoop(h);
    const holder = await createHolder(h, coop);
    const person = await inviteAndAccept(h, coop.treasurerToken, {
      role: 'holder',
      name: 'H',
      memberId: holder.memberId,
    });
    const account = `/accounts/${holder.memberId}`;
    now = minutes(29);
    expect((await person.client.get(account)).status).toBe(200);
    now = minutes(31);
    expect((await person.client.get(account)).status).toBe(303);

    const again = new PageClient(h);
    await again.get('/sign-in');
    expect((await again.post('/sign-in', { email: person.email, password: person.password })).status).toBe(303);
    for (let i = 0; i < 24; i += 1) {
      now = minutes(29);
      expect((await again.get(account)).status, `after ${(i + 1) * 29} minutes`).toBe(200);
    }
    now = minutes(29);
    expect((await again.get(account)).status).toBe(303);
  });

  it('sign out everywhere ends every session of the person', async () => {
    const coop = await createCoop(h);
    const holder = await createHolder(h, coop);
    const person = await inviteAndAccept(h, coop.treasurerToken, {
      role: 'holder',
      name: 'H',
      memberId: holder.memberId,
    });
    const second = new PageClient(h);
    await second.get('/sign-in');
    expect((await second.post('/sign-in', { email: person.email, password: person.password })).status).toBe(303);
    const account = `/accounts/${holder.memberId}`;
    await person.client.get(account);
    expect((await person.client.post('/sign-out-everywhere', {})).status).toBe(303);
    expect((await person.client.get(account)).status).toBe(303);
    expect((await second.get(account)).status).toBe(303);
  });

  it('a session is not an API token: it is not listed with tokens', async () => {
    const coop = await createCoop(h);
    const holder = await createHolder(h, coop);
    await inviteAndAccept(h, coop.treasurerToken, { role: 'holder', name: 'H', memberId: holder.memberId });
    const tokens = await h.call<{ items: { memberId: string | null }[] }>('GET', '/v1/tokens?limit=500', {
      token: coop.treasurerToken,
    });
    expect(tokens.body.items.filter((t) => t.memberId === holder.memberId)).toHaveLength(1);
  });
});
