import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MemberBalance } from '../support/api';
import { type Served, newVisitor, screenshots, serveWithBrowser, tabTo, typeAndTab } from '../support/browser';
import { createCoop, createHolder, receive } from '../support/fixtures';
import { PASSWORD, uniqueEmail } from '../support/web';

let served: Served;
beforeAll(async () => {
  served = await serveWithBrowser();
});
afterAll(async () => {
  await served?.close();
});

async function invite(token: string, body: Record<string, unknown>): Promise<string> {
  const res = await served.h.call<{ url: string }>('POST', '/v1/invitations', { token, body });
  expect(res.status, res.text).toBe(201);
  return new URL(res.body.url).pathname;
}

describe('journeys, by keyboard alone, with JavaScript off', () => {
  it('an invited holder chooses a password, reads the balance the API gives, switches to Welsh and downloads a Welsh statement the register knows', async () => {
    const h = served.h;
    const coop = await createCoop(h);
    const holder = await createHolder(h, coop, { preferredLanguage: 'en', name: 'Megan Pritchard' });
    await receive(h, coop, holder.memberId, '1512.34', '2026-01-05');
    const link = await invite(coop.treasurerToken, {
      role: 'holder',
      name: 'Megan Pritchard',
      email: uniqueEmail('megan'),
      memberId: holder.memberId,
    });
    const context = await newVisitor(served);
    const page = await context.newPage();
    await page.goto(link);
    await expect.poll(() => page.title()).toContain('Choose a password');
    await tabTo(page, '#password');
    await typeAndTab(page, PASSWORD);
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL(`**/accounts/${holder.memberId}`);

    const rest = await h.call<MemberBalance>('GET', `/v1/coops/${coop.coopId}/members/${holder.memberId}/balance`, {
      token: holder.token,
    });
    await expect.poll(() => page.locator('#money-total').textContent()).toBe('£1,512.34');
    expect(rest.body.total).toBe('1512.34');

    await tabTo(page, 'a[hreflang="cy"]');
    await page.keyboard.press('Enter');
    await page.waitForURL(/lang=cy/);
    expect(await page.getAttribute('html', 'lang')).toBe('cy');
    await expect.poll(() => page.locator('h1').textContent()).toBe('Eich arian');

    await tabTo(page, `a[href="/accounts/${holder.memberId}/statements"]`);
    await page.keyboard.press('Enter');
    await page.waitForURL(`**/accounts/${holder.memberId}/statements`);
    await tabTo(page, '#from-day');
    await page.keyboard.press('Control+A');
    await typeAndTab(page, '1');
    await page.keyboard.press('Control+A');
    await typeAndTab(page, '1');
    await page.keyboard.press('Control+A');
    await typeAndTab(page, '2026');
    // The statement's language follows the page's; a radio group is one stop for Tab.
    await tabTo(page, 'input[name="statementLanguage"]');
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).value)).toBe('cy');
    const downloading = page.waitForEvent('download');
    await tabTo(page, 'button.govuk-button');
    await page.keyboard.press('Enter');
    const download = await downloading;
    const bytes = await readFile(await download.path());
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const register = await h.call<{ items: { sha256: string; language: string; subjectId: string; format: string }[] }>(
      'GET',
      `/v1/coops/${coop.coopId}/statements/issued`,
      { token: coop.treasurerToken },
    );
    expect(register.body.items).toContainEqual(
      expect.objectContaining({ sha256, language: 'cy', subjectId: holder.memberId, format: 'pdf' }),
    );
    await context.close();
  });

  it('a supporter sees only the holder who named them, and is signed out once the holder removes them', async () => {
    const h = served.h;
    const coop = await createCoop(h);
    const holder = await createHolder(h, coop, { preferredLanguage: 'en', name: 'Gwilym Hughes' });
    const other = await createHolder(h, coop, { preferredLanguage: 'en', name: 'Someone Else' });
    await receive(h, coop, holder.memberId, '300.00', '2026-01-05');
    const supporterLink = await invite(coop.treasurerToken, {
      role: 'supporter',
      name: 'Eleri Hughes',
      email: uniqueEmail('eleri'),
      supports: [{ memberId: holder.memberId, access: 'view' }],
    });
    const holderLink = await invite(coop.treasurerToken, {
      role: 'holder',
      name: 'Gwilym Hughes',
      email: uniqueEmail('gwilym'),
      memberId: holder.memberId,
    });
    const supporter = await (await newVisitor(served)).newPage();
    await supporter.goto(supporterLink);
    await tabTo(supporter, '#password');
    await typeAndTab(supporter, PASSWORD);
    await supporter.keyboard.type(PASSWORD);
    await supporter.keyboard.press('Enter');
    await supporter.waitForURL(`**/accounts/${holder.memberId}`);
    await expect.poll(() => supporter.locator('.govuk-inset-text').textContent()).toContain('Gwilym Hughes');
    await expect.poll(() => supporter.locator('#money-total').textContent()).toBe('£300.00');
    const elsewhere = await supporter.goto(`/accounts/${other.memberId}`);
    expect(elsewhere?.status()).toBe(404);
    const people = await supporter.goto(`/accounts/${holder.memberId}/people`);
    expect(people?.url()).toMatch(new RegExp(`/accounts/${holder.memberId}$`));

    const holderPage = await (await newVisitor(served)).newPage();
    await holderPage.goto(holderLink);
    await tabTo(holderPage, '#password');
    await typeAndTab(holderPage, PASSWORD);
    await holderPage.keyboard.type(PASSWORD);
    await holderPage.keyboard.press('Enter');
    await holderPage.waitForURL(`**/accounts/${holder.memberId}`);
    await tabTo(holderPage, `a[href="/accounts/${holder.memberId}/people"]`);
    await holderPage.keyboard.press('Enter');
    await holderPage.waitForURL('**/people');
    await expect.poll(() => holderPage.locator('tbody').textContent()).toContain('Eleri Hughes');
    await tabTo(holderPage, 'button.govuk-button--warning');
    await holderPage.keyboard.press('Enter');
    await holderPage.waitForURL(/removed=/);
    await expect
      .poll(() => holderPage.locator('.govuk-notification-banner').textContent())
      .toContain('Eleri Hughes can no longer see your account.');
    await supporter.reload();
    expect(new URL(supporter.url()).pathname).toBe('/sign-in');
  });

  it('an LA officer finds the holder above the surplus threshold and downloads the monitoring CSV', async () => {
    const h = served.h;
    const coop = await createCoop(h);
    const above = await createHolder(h, coop, { preferredLanguage: 'en', name: 'Above Threshold' });
    const below = await createHolder(h, coop, { preferredLanguage: 'en', name: 'Below Threshold' });
    for (const member of [above, below]) {
      const award = await h.call('PUT', `/v1/coops/${coop.coopId}/members/${member.memberId}/award`, {
        token: coop.treasurerToken,
        body: { amount: '100.00', frequency: 'weekly', startsOn: '2026-01-01' },
      });
      expect(award.status, award.text).toBeLessThan(300);
    }
    await receive(h, coop, above.memberId, '900.00', '2026-01-05');
    await receive(h, coop, below.memberId, '300.00', '2026-01-05');
    const link = await invite(h.adminToken, {
      role: 'la_officer',
      name: 'Officer Jones',
      email: uniqueEmail('officer'),
      localAuthorityId: coop.laId,
    });
    const page = await (await newVisitor(served)).newPage();
    await page.goto(link);
    await tabTo(page, '#password');
    await typeAndTab(page, PASSWORD);
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL('**/holders');
    await tabTo(page, 'input[name="above"]');
    await page.keyboard.press('Space');
    await tabTo(page, 'button.govuk-button--secondary');
    await page.keyboard.press('Enter');
    await page.waitForURL(/above=1/);
    const rows = await page.locator('tbody tr').allTextContents();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain('Above Threshold');
    // 900.00 against a threshold of 8 weeks of £100.00.
    expect(rows[0]).toContain('£100.00');

    await tabTo(page, 'a[href="/monitoring"]');
    await page.keyboard.press('Enter');
    await page.waitForURL('**/monitoring');
    await tabTo(page, 'input[name="format"]');
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).value)).toBe('csv');
    const downloading = page.waitForEvent('download');
    await tabTo(page, 'button.govuk-button');
    await page.keyboard.press('Enter');
    const csv = (await readFile(await (await downloading).path())).toString('utf8');
    expect(csv).toContain(above.laReference);
    expect(csv).toContain(below.laReference);
    await screenshots(page, 'journey-monitoring');
  });
});
