import { describe, expect, it } from 'vitest';
import type { MemberBalance } from '../support/api';
import { createCoop, receive } from '../support/fixtures';
import { useHarness } from '../support/use-harness';
import { PageClient, signedInHolder, textOf } from '../support/web';

const handle = useHarness();
const h = () => handle.h;

describe('a holder signs in and sees their money', () => {
  it('shows the balance the REST route gives, in English and Welsh', async () => {
    const coop = await createCoop(h());
    const holder = await signedInHolder(h(), coop, { preferredLanguage: 'en' });
    await receive(h(), coop, holder.memberId, '1234.50', '2026-01-05');
    const rest = await h().call<MemberBalance>('GET', `/v1/coops/${coop.coopId}/members/${holder.memberId}/balance`, {
      token: holder.token,
    });
    expect(rest.body.total).toBe('1234.50');

    const home = await holder.client.get('/');
    expect(home.status).toBe(303);
    expect(home.location).toBe(`/accounts/${holder.memberId}`);
    const page = await holder.client.get(`/accounts/${holder.memberId}`);
    expect(page.status).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(textOf(page.html)).toContain('Money you have £1,234.50');
    expect(page.html).toContain('<html lang="en"');
    expect(page.html).toMatch(/hreflang="cy"/);

    const welsh = await holder.client.get(`/accounts/${holder.memberId}?lang=cy`);
    expect(welsh.html).toContain('<html lang="cy"');
    expect(textOf(welsh.html)).toContain('Arian sydd gennych £1,234.50');
    // The choice is remembered.
    const again = await holder.client.get(`/accounts/${holder.memberId}/activity`);
    expect(again.html).toContain('<html lang="cy"');
  });

  it('sends a signed-out visitor to sign in, and refuses a wrong password with the same words as an unknown email', async () => {
    const coop = await createCoop(h());
    const holder = await signedInHolder(h(), coop);
    const stranger = new PageClient(h());
    const page = await stranger.get(`/accounts/${holder.memberId}`);
    expect(page.status).toBe(303);
    expect(page.location).toBe(`/sign-in?next=${encodeURIComponent(`/accounts/${holder.memberId}`)}`);
    const form = await stranger.get('/sign-in');
    expect(textOf(form.html)).toContain('Email address');
    const wrong = await stranger.post('/sign-in', { email: holder.email, password: 'not the password at all' });
    const unknown = await stranger.post('/sign-in', {
      email: 'nobody@example.org',
      password: 'not the password at all',
    });
    expect(wrong.status).toBe(400);
    expect(unknown.status).toBe(400);
    expect(textOf(wrong.html)).toContain('Enter a correct email address and password');
    expect(textOf(wrong.html).replace(holder.email, '')).toBe(textOf(unknown.html).replace('nobody@example.org', ''));
    expect(wrong.html).toContain('<title>Error:');
    const right = await stranger.post('/sign-in', { email: holder.email, password: holder.password });
    expect(right.status).toBe(303);
    expect((await stranger.get(`/accounts/${holder.memberId}`)).status).toBe(200);
  });

  it('a holder cannot open another holder’s pages, and a signed-out session is refused', async () => {
    const coop = await createCoop(h());
    const one = await signedInHolder(h(), coop);
    const other = await signedInHolder(h(), coop);
    for (const path of ['', '/activity', '/statements', '/pools', '/people']) {
      const page = await one.client.get(`/accounts/${other.memberId}${path}`);
      expect(page.status, path).toBe(404);
      expect(textOf(page.html)).toContain('Page not found');
    }
    await one.client.get(`/accounts/${one.memberId}`);
    const out = await one.client.post('/sign-out', {});
    expect(out.status).toBe(303);
    expect((await one.client.get(`/accounts/${one.memberId}`)).status).toBe(303);
  });

  it('the statements form names each date at fault, and downloads the statement the API gives, byte for byte', async () => {
    const coop = await createCoop(h());
    const holder = await signedInHolder(h(), coop, { preferredLanguage: 'en' });
    await receive(h(), coop, holder.memberId, '75.00', '2026-01-05');
    const base = `/accounts/${holder.memberId}/statements?download=1`;
    const bad = await holder.client.get(`${base}&from-day=31&from-month=2&from-year=2026&to-day=&to-month=&to-year=`);
    expect(bad.status).toBe(400);
    const text = textOf(bad.html);
    expect(text).toContain('The start date must be a real date');
    expect(text).toContain('Enter the end date');
    const period = 'from-day=1&from-month=1&from-year=2026&to-day=31&to-month=1&to-year=2026';
    const page = await holder.client.get(`${base}&${period}&format=csv&statementLanguage=cy`);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toContain('text/csv');
    const api = await h().call(
      'GET',
      `/v1/coops/${coop.coopId}/statements/holders/${holder.memberId}?from=2026-01-01&to=2026-01-31&format=csv&lang=cy`,
      { token: holder.token },
    );
    expect(page.raw.equals(api.raw)).toBe(true);
    expect(page.headers['x-statement-sha256']).toBe(api.headers['x-statement-sha256']);
  });
});
