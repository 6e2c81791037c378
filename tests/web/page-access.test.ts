import { describe, expect, it } from 'vitest';
import { pageRoutesOf } from '../../src/web/plugin';
import { createCoop, createHolder } from '../support/fixtures';
import { useHarness } from '../support/use-harness';
import { PageClient, inviteAndAccept, signedInHolder, uniqueEmail } from '../support/web';

const handle = useHarness();
const h = () => handle.h;

/** A page URL with its parameters filled in for a person who is not the one asking. */
const fill = (url: string, params: Record<string, string>) =>
  url.replace(/:(\w+)/g, (_, name: string) => params[name] ?? '00000000-0000-4000-8000-000000000000');

describe('who may open which page', () => {
  it('every page route declares who may open it', () => {
    const routes = pageRoutesOf(h().app);
    expect(routes.length).toBeGreaterThan(10);
    expect(routes.filter((r) => !r.page).map((r) => `${r.method} ${r.url}`)).toEqual([]);
  });

  it('signed out, every page but the public ones sends to sign-in', async () => {
    const visitor = new PageClient(h());
    for (const route of pageRoutesOf(h().app)) {
      if (route.page === 'public' || route.method !== 'GET') continue;
      const page = await visitor.get(fill(route.url, {}));
      expect(page.status, route.url).toBe(303);
      expect(page.location, route.url).toMatch(/^\/sign-in\?next=/);
    }
  });

  it('a holder, a supporter and an officer each get a not-found page for every page of another person, co-op and LA', async () => {
    const mine = await createCoop(h());
    const theirs = await createCoop(h());
    const holder = await signedInHolder(h(), mine);
    const supported = await createHolder(h(), mine);
    const supporter = await inviteAndAccept(h(), mine.treasurerToken, {
      role: 'supporter',
      name: 'Supporter',
      supports: [{ memberId: supported.memberId, access: 'act' }],
    });
    const officer = await inviteAndAccept(h(), h().adminToken, {
      role: 'la_officer',
      name: 'Officer',
      localAuthorityId: mine.laId,
    });
    const stranger = await createHolder(h(), theirs);
    const sameCoop = await createHolder(h(), mine);
    for (const [who, client] of [
      ['holder', holder.client],
      ['supporter', supporter.client],
      ['officer', officer.client],
    ] as const) {
      for (const route of pageRoutesOf(h().app)) {
        if (route.page === 'public' || route.page === 'person' || route.page === 'second-factor') continue;
        if (route.method === 'POST') continue;
        if (route.page === 'la_officer' && who === 'officer') continue;
        for (const target of [stranger.memberId, sameCoop.memberId]) {
          const page = await client.get(fill(route.url, { memberId: target }));
          expect(page.status, `${who} ${route.url} ${target}`).toBe(404);
          expect(page.html).toContain('Page not found');
        }
      }
    }
    // An officer's holder pages hold only their own LA's holders.
    const other = await officer.client.get(`/holders/${stranger.memberId}/statements`);
    expect(other.status).toBe(404);
    const own = await officer.client.get(`/holders/${sameCoop.memberId}/statements`);
    expect(own.status).toBe(200);
    // Downloads too: a statement of another holder is not found, and nothing is issued.
    const download = await holder.client.get(
      `/accounts/${sameCoop.memberId}/statements?download=1&from-day=1&from-month=1&from-year=2026&to-day=2&to-month=1&to-year=2026&format=pdf`,
    );
    expect(download.status).toBe(404);
    // A supporter cannot remove the holder's supporters; only the holder can.
    const removal = await supporter.client.post(
      `/accounts/${supported.memberId}/people/${supported.memberId}/remove`,
      {},
    );
    expect(removal.status).toBe(303);
    expect(removal.location).toBe(`/accounts/${supported.memberId}`);
  });

  it('a suspended person and a signed-out session are refused on their next request', async () => {
    const coop = await createCoop(h());
    const holder = await signedInHolder(h(), coop);
    expect((await holder.client.get(`/accounts/${holder.memberId}`)).status).toBe(200);
    const people = await h().call<{ items: { id: string; memberId: string | null }[] }>('GET', '/v1/people?limit=500', {
      token: coop.treasurerToken,
    });
    const person = people.body.items.find((p) => p.memberId === holder.memberId);
    expect(person).toBeDefined();
    const suspended = await h().call('DELETE', `/v1/people/${person?.id}`, { token: coop.treasurerToken });
    expect(suspended.status, suspended.text).toBe(200);
    const after = await holder.client.get(`/accounts/${holder.memberId}`);
    expect(after.status).toBe(303);
    const fresh = new PageClient(h());
    await fresh.get('/sign-in');
    const again = await fresh.post('/sign-in', { email: holder.email, password: holder.password });
    expect(again.status).toBe(400);
  });

  it('an address that is no page gives a browser the not-found page, and the API its problem', async () => {
    const browser = await new PageClient(h()).get('/no-such-page', { accept: 'text/html,application/xhtml+xml' });
    expect(browser.status).toBe(404);
    expect(browser.html).toContain('Page not found');
    const api = await h().call('GET', '/v1/no-such-route', { headers: { accept: 'text/html' } });
    expect(api.status).toBe(404);
    expect(api.headers['content-type']).toContain('application/problem+json');
    const client = await h().call('GET', '/no-such-page');
    expect(client.headers['content-type']).toContain('application/problem+json');
  });

  it('a form without its CSRF token changes nothing', async () => {
    const coop = await createCoop(h());
    const holder = await signedInHolder(h(), coop);
    await holder.client.get(`/accounts/${holder.memberId}`);
    const forged = await holder.client.post('/sign-out', { _csrf: 'forged' });
    expect(forged.status).toBe(303);
    expect(forged.location).toBe('/');
    // A form that has a page of its own is shown again.
    const signIn = new PageClient(h());
    expect((await signIn.post('/sign-in', { email: holder.email, password: holder.password })).location).toBe(
      '/sign-in',
    );
    expect((await holder.client.get(`/accounts/${holder.memberId}`)).status).toBe(200);
  });

  it('sign-in is throttled per account, and a signed-in session from the same address is not refused for it', async () => {
    const coop = await createCoop(h());
    const attacked = await signedInHolder(h(), coop);
    const bystander = await signedInHolder(h(), coop);
    const attacker = new PageClient(h());
    await attacker.get('/sign-in');
    for (let i = 0; i < 5; i += 1) {
      expect((await attacker.post('/sign-in', { email: attacked.email, password: `wrong guess ${i}` })).status).toBe(
        400,
      );
    }
    const right = await attacker.post('/sign-in', { email: attacked.email, password: attacked.password });
    expect(right.status).toBe(429);
    expect(right.html).toContain('Too many attempts');
    // Same address (inject's), a different account and a live session: both still work.
    expect((await bystander.client.get(`/accounts/${bystander.memberId}`)).status).toBe(200);
    const other = new PageClient(h());
    await other.get('/sign-in');
    expect((await other.post('/sign-in', { email: bystander.email, password: bystander.password })).status).toBe(303);
  });

  it('an unknown email takes a password check too (no answer says whether an email exists)', async () => {
    const visitor = new PageClient(h());
    await visitor.get('/sign-in');
    const page = await visitor.post('/sign-in', { email: uniqueEmail('nobody'), password: 'any password at all' });
    expect(page.status).toBe(400);
    expect(page.html).toContain('Enter a correct email address and password');
  });
});
