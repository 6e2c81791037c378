import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentCode } from '../../src/services/people/second-factor';
import { createCoop } from '../support/fixtures';
import { type TypedHarness, createHarness } from '../support/harness';
import { PageClient, inviteAndAccept, signedInHolder, textOf } from '../support/web';

let now = new Date('2026-05-04T09:00:00Z');
let h: TypedHarness;
beforeAll(async () => {
  h = await createHarness({ clock: () => now });
});
afterAll(async () => {
  await h?.close();
});

const keyOf = (html: string) => (/id="second-factor-key"[^>]*>([A-Z2-7 ]+)</.exec(html)?.[1] ?? '').replace(/ /g, '');

async function signIn(email: string, password: string) {
  const client = new PageClient(h);
  await client.get('/sign-in');
  const res = await client.post('/sign-in', { email, password });
  expect(res.status).toBe(303);
  return { client, location: res.location };
}

describe('a second factor (TOTP)', () => {
  it('a treasurer adds one; every sign-in then waits for the code, and nothing opens without it', async () => {
    const coop = await createCoop(h);
    const treasurer = await inviteAndAccept(h, h.adminToken, { role: 'treasurer', name: 'T', coopId: coop.coopId });
    const setup = await treasurer.client.get('/account/two-factor');
    expect(setup.status).toBe(200);
    const key = keyOf(setup.html);
    expect(key).toHaveLength(32);
    const wrong = await treasurer.client.post('/account/two-factor', { secret: key, code: '000000' });
    expect(wrong.status).toBe(400);
    expect(textOf(wrong.html)).toContain('Enter the 6-digit code your authenticator app shows now');
    const added = await treasurer.client.post('/account/two-factor', { secret: key, code: currentCode(key, now) });
    expect(added.status).toBe(303);
    expect(textOf((await treasurer.client.get('/account?done=two-factor')).html)).toContain(
      'Your second factor has been added',
    );

    now = new Date(now.getTime() + 60_000);
    const { client, location } = await signIn(treasurer.email, treasurer.password);
    expect(location).toBe('/');
    const waiting = await client.get('/');
    expect(waiting.status).toBe(303);
    expect(waiting.location).toBe('/sign-in/code?next=%2F');
    expect((await client.get('/account')).location).toMatch(/^\/sign-in\/code/);
    await client.get('/sign-in/code');
    const bad = await client.post('/sign-in/code', { code: '123 456', next: '/' });
    expect(bad.status).toBe(400);
    const good = await client.post('/sign-in/code', { code: currentCode(key, now), next: '/account' });
    expect(good.status).toBe(303);
    expect(good.location).toBe('/account');
    expect((await client.get('/account')).status).toBe(200);

    // The same code again, in the same half-minute, from another browser: refused (a code is good once).
    const again = await signIn(treasurer.email, treasurer.password);
    await again.client.get('/sign-in/code');
    const replay = await again.client.post('/sign-in/code', { code: currentCode(key, now), next: '/' });
    expect(replay.status).toBe(400);
    now = new Date(now.getTime() + 30_000);
    const fresh = await again.client.post('/sign-in/code', { code: currentCode(key, now), next: '/' });
    expect(fresh.status).toBe(303);
  });

  it('an installation can require it: a treasurer must set one up before anything opens', async () => {
    const { buildApp } = await import('../../src/app');
    const app = await buildApp(
      { logLevel: 'silent', requestTimeoutMs: 30_000, secondFactorRequiredFor: ['treasurer'] },
      { database: h.db.database, clock: () => now },
    );
    try {
      const coop = await createCoop(h);
      const treasurer = await inviteAndAccept(h, h.adminToken, { role: 'treasurer', name: 'T2', coopId: coop.coopId });
      const client = new PageClient({ ...h, app });
      await client.get('/sign-in');
      expect((await client.post('/sign-in', { email: treasurer.email, password: treasurer.password })).status).toBe(
        303,
      );
      const home = await client.get('/');
      expect(home.location).toBe('/account/two-factor');
      const setup = await client.get('/account/two-factor');
      expect(textOf(setup.html)).toContain('You must add a second factor before you can use Cronfa');
      const key = keyOf(setup.html);
      expect((await client.post('/account/two-factor', { secret: key, code: currentCode(key, now) })).status).toBe(303);
      expect((await client.get('/')).status).toBe(200);
      // A holder is not asked for one.
      const holder = await signedInHolder(h, coop);
      const holderClient = new PageClient({ ...h, app });
      await holderClient.get('/sign-in');
      await holderClient.post('/sign-in', { email: holder.email, password: holder.password });
      expect((await holderClient.get('/')).location).toBe(`/accounts/${holder.memberId}`);
    } finally {
      await app.close();
    }
  });
});

describe('changing one’s password', () => {
  it('needs the current one, keeps this session and ends the others', async () => {
    const coop = await createCoop(h);
    const holder = await signedInHolder(h, coop);
    const other = await signIn(holder.email, holder.password);
    await holder.client.get('/account/password');
    const wrong = await holder.client.post('/account/password', {
      current: 'not it at all',
      password: 'a brand new passphrase',
      confirmation: 'a brand new passphrase',
    });
    expect(wrong.status).toBe(400);
    expect(textOf(wrong.html)).toContain('Enter your current password correctly');
    const changed = await holder.client.post('/account/password', {
      current: holder.password,
      password: 'a brand new passphrase',
      confirmation: 'a brand new passphrase',
    });
    expect(changed.status).toBe(303);
    expect((await holder.client.get(`/accounts/${holder.memberId}`)).status).toBe(200);
    expect((await other.client.get(`/accounts/${holder.memberId}`)).status).toBe(303);
    await signIn(holder.email, 'a brand new passphrase');
  });
});

describe('a session is for the pages', () => {
  it('its cookie is not a bearer token for the API', async () => {
    const coop = await createCoop(h);
    const holder = await signedInHolder(h, coop);
    const secret = holder.client.cookie('cronfa_session') ?? '';
    expect(secret).toMatch(/^cronfa_/);
    const res = await h.call('GET', `/v1/coops/${coop.coopId}/members/${holder.memberId}/balance`, { token: secret });
    expect(res.status).toBe(401);
  });
});
