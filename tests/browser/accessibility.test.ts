import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageRoutesOf } from '../../src/web/plugin';
import { type Served, expectAccessible, newVisitor, screenshots, serveWithBrowser } from '../support/browser';
import { createCoop, createHolder, createPool, contribute, joinPool, receive } from '../support/fixtures';
import { currentCode } from '../../src/services/people/second-factor';
import { PASSWORD, uniqueEmail } from '../support/web';

/**
 * Every page, in both languages, empty, full and with its form's errors: axe finds no violation, and a screenshot
 * at 320 and 1280 px is left under .tmp/screens/. A page route that no visit below covers fails the last test.
 */
let served: Served;
const visitors = new Map<string, BrowserContext>();
interface Visit {
  name: string;
  /** The route pattern the visit covers (as registered). */
  route: string;
  who: string;
  url: string;
  /** What the page must show, so a visit that lands on the wrong page fails. */
  shows: string;
  status?: number;
}
const visits: Visit[] = [];

async function signedIn(name: string, link: string): Promise<void> {
  const context = await newVisitor(served, { javaScript: true });
  const page = await context.newPage();
  await page.goto(link);
  if (await page.locator('#email').count()) await page.fill('#email', uniqueEmail(name.replace(/\W/g, '')));
  await page.fill('#password', PASSWORD);
  await page.fill('#confirmation', PASSWORD);
  await page.click('button[type="submit"].govuk-button:not(.govuk-button--secondary)');
  await page.waitForURL((url) => !url.pathname.startsWith('/invitations/'));
  await page.close();
  visitors.set(name, context);
}

async function invite(token: string, body: Record<string, unknown>): Promise<string> {
  const res = await served.h.call<{ url: string }>('POST', '/v1/invitations', { token, body });
  expect(res.status, res.text).toBe(201);
  return new URL(res.body.url).pathname;
}

beforeAll(async () => {
  served = await serveWithBrowser();
  const h = served.h;
  const coop = await createCoop(h);
  const full = await createHolder(h, coop, { name: 'Siân Lloyd-Evans', preferredLanguage: 'en' });
  const empty = await createHolder(h, coop, { name: 'Newydd Yma', preferredLanguage: 'en' });
  await h.call('PUT', `/v1/coops/${coop.coopId}/members/${full.memberId}/award`, {
    token: coop.treasurerToken,
    body: { amount: '120.00', frequency: 'weekly', startsOn: '2025-12-01' },
  });
  const pool = await createPool(h, coop, 'Shared PA team');
  await receive(h, coop, full.memberId, '2400.00', '2026-01-05');
  await receive(h, coop, empty.memberId, '50.00', '2026-01-05');
  await joinPool(h, coop, pool.id, full.memberId);
  await joinPool(h, coop, pool.id, empty.memberId);
  expect((await contribute(h, coop, pool.id, full.memberId, '600.00')).status).toBe(201);
  expect((await contribute(h, coop, pool.id, empty.memberId, '50.00')).status).toBe(201);
  const cost = await h.call('POST', `/v1/coops/${coop.coopId}/pools/${pool.id}/costs`, {
    token: coop.treasurerToken,
    body: {
      category: 'admin',
      description: 'Bookkeeper',
      amount: '40.00',
      date: '2026-02-02',
      allocation: { method: 'equal' },
    },
  });
  expect(cost.status, cost.text).toBe(201);
  const other = await createHolder(h, coop, { name: 'Arall', preferredLanguage: 'en' });

  await signedIn(
    'full holder',
    await invite(coop.treasurerToken, {
      role: 'holder',
      name: 'Siân',
      email: uniqueEmail('sian'),
      memberId: full.memberId,
    }),
  );
  await signedIn(
    'empty holder',
    await invite(coop.treasurerToken, { role: 'holder', name: 'Newydd', memberId: empty.memberId }),
  );
  await signedIn(
    'supporter',
    await invite(coop.treasurerToken, {
      role: 'supporter',
      name: 'Cefnogwr Un',
      email: uniqueEmail('supporter'),
      supports: [
        { memberId: full.memberId, access: 'view' },
        { memberId: other.memberId, access: 'act' },
      ],
    }),
  );
  await signedIn(
    'officer',
    await invite(h.adminToken, {
      role: 'la_officer',
      name: 'Swyddog',
      email: uniqueEmail('officer'),
      localAuthorityId: coop.laId,
    }),
  );
  await signedIn(
    'treasurer',
    await invite(h.adminToken, {
      role: 'treasurer',
      name: 'Trysorydd',
      email: uniqueEmail('treasurer'),
      coopId: coop.coopId,
    }),
  );
  visitors.set('visitor', await newVisitor(served, { javaScript: true }));
  // A treasurer with a second factor, signed in again and waiting for the code.
  const waitingEmail = uniqueEmail('waiting');
  await signedIn(
    'waiting',
    await invite(h.adminToken, { role: 'treasurer', name: 'Aros', email: waitingEmail, coopId: coop.coopId }),
  );
  const waiting = visitors.get('waiting');
  if (!waiting) throw new Error('no waiting visitor');
  const setup = await waiting.newPage();
  await setup.goto('/account/two-factor');
  const key = ((await setup.locator('#second-factor-key').textContent()) ?? '').replace(/\s/g, '');
  await setup.fill('#code', currentCode(key, new Date()));
  await setup.click('main form button.govuk-button');
  await setup.waitForURL(/\/account\?done=two-factor$/);
  await setup.click('header button');
  await setup.waitForURL(/\/sign-in\?signedOut=1$/);
  await setup.fill('#email', waitingEmail);
  await setup.fill('#password', PASSWORD);
  await setup.click('main button.govuk-button');
  await setup.goto('/account');
  await setup.waitForURL(/\/sign-in\/code/);
  await setup.close();
  const openLink = await invite(coop.treasurerToken, { role: 'holder', name: 'Arall', memberId: other.memberId });

  const account = (id: string) => `/accounts/${id}`;
  const bad = 'download=1&from-day=31&from-month=2&from-year=2026&to-day=&to-month=&to-year=';
  visits.push(
    { name: 'sign-in', route: '/sign-in', who: 'visitor', url: '/sign-in', shows: 'Email address' },
    { name: 'invitation', route: '/invitations/:secret', who: 'visitor', url: openLink, shows: 'Choose a password' },
    {
      name: 'invitation-gone',
      route: '/invitations/:secret',
      who: 'visitor',
      url: `/invitations/cronfa_${'x'.repeat(43)}`,
      shows: 'This link no longer works',
      status: 410,
    },
    { name: 'no-such-page', route: '/*', who: 'visitor', url: '/no-such-page', shows: 'Page not found', status: 404 },
    {
      name: 'not-found',
      route: '/accounts/:memberId',
      who: 'full holder',
      url: account(other.memberId),
      shows: 'Page not found',
      status: 404,
    },
    { name: 'signed-in-treasurer', route: '/', who: 'treasurer', url: '/', shows: 'Signed in' },
    { name: 'choose-holder', route: '/accounts', who: 'supporter', url: '/accounts', shows: 'Whose account' },
    {
      name: 'money-full',
      route: '/accounts/:memberId',
      who: 'full holder',
      url: account(full.memberId),
      shows: 'Money you have',
    },
    {
      name: 'money-empty',
      route: '/accounts/:memberId',
      who: 'empty holder',
      url: account(empty.memberId),
      shows: 'Money you have',
    },
    {
      name: 'money-supporter',
      route: '/accounts/:memberId',
      who: 'supporter',
      url: account(full.memberId),
      shows: 'You are looking at the account of',
    },
    {
      name: 'activity-full',
      route: '/accounts/:memberId/activity',
      who: 'full holder',
      url: `${account(full.memberId)}/activity`,
      shows: 'Money in and out',
    },
    {
      name: 'activity-empty',
      route: '/accounts/:memberId/activity',
      who: 'empty holder',
      url: `${account(empty.memberId)}/activity`,
      shows: 'Money in and out',
    },
    {
      name: 'statements',
      route: '/accounts/:memberId/statements',
      who: 'full holder',
      url: `${account(full.memberId)}/statements`,
      shows: 'Download statement',
    },
    {
      name: 'statements-errors',
      route: '/accounts/:memberId/statements',
      who: 'full holder',
      url: `${account(full.memberId)}/statements?${bad}`,
      shows: 'There is a problem',
      status: 400,
    },
    {
      name: 'pools',
      route: '/accounts/:memberId/pools',
      who: 'full holder',
      url: `${account(full.memberId)}/pools`,
      shows: 'Shared PA team',
    },
    {
      name: 'people',
      route: '/accounts/:memberId/people',
      who: 'full holder',
      url: `${account(full.memberId)}/people`,
      shows: 'Cefnogwr Un',
    },
    {
      name: 'people-empty',
      route: '/accounts/:memberId/people',
      who: 'empty holder',
      url: `${account(empty.memberId)}/people`,
      shows: 'No one else can see your account',
    },
    { name: 'account-settings', route: '/account', who: 'full holder', url: '/account', shows: 'Change your password' },
    {
      name: 'change-password',
      route: '/account/password',
      who: 'full holder',
      url: '/account/password',
      shows: 'Current password',
    },
    {
      name: 'two-factor',
      route: '/account/two-factor',
      who: 'treasurer',
      url: '/account/two-factor',
      shows: 'authenticator app',
    },
    {
      name: 'second-factor-code',
      route: '/sign-in/code',
      who: 'waiting',
      url: '/sign-in/code',
      shows: 'Enter your code',
    },
    { name: 'holders', route: '/holders', who: 'officer', url: '/holders', shows: 'Siân Lloyd-Evans' },
    {
      name: 'holders-none',
      route: '/holders',
      who: 'officer',
      url: '/holders?search=nobody-at-all',
      shows: 'No holders match',
    },
    {
      name: 'holder-statements',
      route: '/holders/:memberId/statements',
      who: 'officer',
      url: `/holders/${full.memberId}/statements`,
      shows: 'Download statement',
    },
    {
      name: 'holder-statements-errors',
      route: '/holders/:memberId/statements',
      who: 'officer',
      url: `/holders/${full.memberId}/statements?${bad}`,
      shows: 'There is a problem',
      status: 400,
    },
    { name: 'monitoring', route: '/monitoring', who: 'officer', url: '/monitoring', shows: 'Bank reconciled to' },
    {
      name: 'monitoring-errors',
      route: '/monitoring',
      who: 'officer',
      url: `/monitoring?${bad}`,
      shows: 'There is a problem',
      status: 400,
    },
  );
});

afterAll(async () => {
  for (const context of visitors.values()) await context.close();
  await served?.close();
});

async function open(visit: Visit, language: 'en' | 'cy'): Promise<Page> {
  const context = visitors.get(visit.who);
  if (!context) throw new Error(`no visitor ${visit.who}`);
  const page = await context.newPage();
  const url = `${visit.url}${visit.url.includes('?') ? '&' : '?'}lang=${language}`;
  const response = await page.goto(url);
  expect(response?.status(), `${visit.name} status`).toBe(visit.status ?? 200);
  return page;
}

describe('every page meets WCAG 2.2 AA in both languages', () => {
  it('in English: no axe violation; each page shows what it should; screenshots taken', async () => {
    for (const visit of visits) {
      const page = await open(visit, 'en');
      expect(await page.locator('main').innerText(), visit.name).toContain(visit.shows);
      if (visit.status === 400) expect(await page.title()).toMatch(/^Error: /);
      await expectAccessible(page, `${visit.name} (en)`);
      await screenshots(page, `${visit.name}-en`);
      await page.close();
    }
  });

  it('in Welsh: no axe violation, the page is marked Welsh, errors start "Gwall:"', async () => {
    for (const visit of visits) {
      const page = await open(visit, 'cy');
      expect(await page.getAttribute('html', 'lang')).toBe('cy');
      expect(await page.locator('a[hreflang="en"]').count()).toBe(1);
      if (visit.status === 400) expect(await page.title()).toMatch(/^Gwall: /);
      await expectAccessible(page, `${visit.name} (cy)`);
      await screenshots(page, `${visit.name}-cy`);
      await page.close();
    }
    // Back to English for the other tests' visitors.
    for (const context of visitors.values()) await (await context.newPage()).goto('/sign-in?lang=en');
  });

  it('the sign-in and sign-up forms with errors', async () => {
    const context = await newVisitor(served, { javaScript: true });
    const page = await context.newPage();
    await page.goto('/sign-in');
    await page.click('button.govuk-button');
    expect(await page.title()).toMatch(/^Error: /);
    await expectAccessible(page, 'sign-in with errors');
    await screenshots(page, 'sign-in-errors-en');
    const link = await invite(served.h.adminToken, {
      role: 'la_officer',
      name: 'Gwall',
      localAuthorityId: (
        await served.h.call<{ items: { id: string }[] }>('GET', '/v1/local-authorities', { token: served.h.adminToken })
      ).body.items[0]?.id,
    });
    await page.goto(`${link}?lang=cy`);
    await page.fill('#password', 'password1');
    await page.fill('#confirmation', 'different');
    await page.click('button.govuk-button');
    expect(await page.title()).toMatch(/^Gwall: /);
    const summary = await page.locator('.govuk-error-summary').innerText();
    // Both problems at once, each linked to its field.
    expect(summary).toContain('Rhowch gyfeiriad e-bost yn y fformat cywir');
    expect(summary).toContain('Rhaid i’r cyfrinair fod yn 10 nod neu fwy');
    expect(await page.locator('.govuk-error-summary a[href="#password"]').count()).toBe(1);
    await expectAccessible(page, 'invitation with errors (cy)');
    await screenshots(page, 'invitation-errors-cy');
    await context.close();
  });

  it('covers every page route', () => {
    const covered = new Set(visits.map((v) => v.route));
    const pages = pageRoutesOf(served.h.app)
      .filter((r) => r.method === 'GET' && r.url !== '/assets/:name')
      .map((r) => r.url);
    expect(pages.filter((url) => !covered.has(url))).toEqual([]);
  });
});
