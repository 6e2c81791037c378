import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoTokens, seedDemo } from '../../scripts/demo-seed';
import { parseMoney } from '../../src/domain/money';
import { createToken } from '../support/fixtures';
import { type Harness, createHarness } from '../support/harness';

let h: Harness;
let demo: DemoTokens;
let members: { id: string; name: string; preferredLanguage: string; stakeholderClass: string; localAuthorityId: string | null }[];
const c = () => `/v1/coops/${demo.coopId}`;

function dayBefore(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

beforeAll(async () => {
  h = await createHarness();
  demo = await seedDemo(h.app, h.adminToken);
  members = (await h.call('GET', `${c()}/members?limit=500`, { token: demo.treasurer })).body.items;
}, 180_000);
afterAll(async () => h.close());

const today = new Date().toISOString().slice(0, 10);
const from = (() => {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() - 60);
  return d.toISOString().slice(0, 10);
})();

describe('holder statements', () => {
  it('agree with the balance route at both ends of the period, for every demo holder', async () => {
    const holders = members.filter((m) => m.stakeholderClass === 'holder');
    expect(holders).toHaveLength(12);
    for (const holder of holders) {
      const res = await h.call('GET', `${c()}/statements/holders/${holder.id}?from=${from}&to=${today}`, { token: demo.treasurer });
      expect(res.status).toBe(200);
      const opening = (await h.call('GET', `${c()}/members/${holder.id}/balance?asOf=${dayBefore(from)}`, { token: demo.treasurer })).body;
      const closing = (await h.call('GET', `${c()}/members/${holder.id}/balance?asOf=${today}`, { token: demo.treasurer })).body;
      expect(res.body.opening.funds).toBe(opening.funds);
      expect(res.body.opening.total).toBe(opening.total);
      expect(res.body.closing.funds).toBe(closing.funds);
      expect(res.body.closing.total).toBe(closing.total);
      expect(res.body.closing.pools.map((p: { share: string }) => p.share).sort()).toEqual(closing.pools.map((p: { share: string }) => p.share).sort());
      // Opening plus every movement in and out is the closing balance.
      const moved = res.body.movements.reduce(
        (acc: ReturnType<typeof parseMoney>, m: { in: string | null; out: string | null }) => acc.plus(parseMoney(m.in ?? '0')).minus(parseMoney(m.out ?? '0')),
        parseMoney(res.body.opening.total),
      );
      expect(moved.toFixed(2)).toBe(closing.total);
    }
  });

  it('shows each shared cost with its split method, and purchases with their saving, in the holder\'s language', async () => {
    const dafydd = members.find((m) => m.name === 'Dafydd Tŷ-Gwyn')!;
    const res = await h.call('GET', `${c()}/statements/holders/${dafydd.id}?from=${from}&to=${today}`, { token: demo.holder.token });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ title: 'Datganiad deiliad', language: 'cy', member: { name: 'Dafydd Tŷ-Gwyn' } });
    const bookkeeper = res.body.sharedCosts.find((s: { description: string }) => s.description === 'Bookkeeper');
    expect(bookkeeper).toMatchObject({ total: '300.00', method: 'equal', memberCount: 12, share: '25.00' });
    expect(bookkeeper.text).toBe("£300.00 admin, wedi'i rannu'n gyfartal rhwng 12 aelod: £25.00");
    expect(res.body.purchases.length).toBeGreaterThan(0);
    for (const p of res.body.purchases) expect(parseMoney(p.saving).gte(0)).toBe(true);
    expect(res.body.award).toMatchObject({ amount: '212.40', frequency: 'weekly', weekly: '212.40' });
    const weeks = parseMoney(res.body.closing.total).div(parseMoney('212.40')).toFixed(1);
    expect(res.body.closingWeeksOfAward).toBe(weeks);

    const english = await h.call('GET', `${c()}/statements/holders/${dafydd.id}?from=${from}&to=${today}&lang=en`, { token: demo.holder.token });
    expect(english.body.title).toBe('Holder statement');
    expect(english.body.sharedCosts.find((s: { description: string }) => s.description === 'Bookkeeper').text).toBe('£300.00 admin, split equally between 12 members: £25.00');
  });

  it('gives the same bytes every time and records each issue with its SHA-256', async () => {
    const holder = members.find((m) => m.name === 'Gwenllian Ŵyn')!;
    const url = `${c()}/statements/holders/${holder.id}?from=${from}&to=${today}`;
    const first = await h.call('GET', url, { token: demo.treasurer });
    const second = await h.call('GET', url, { token: demo.treasurer });
    expect(second.text).toBe(first.text);
    const sha = createHash('sha256').update(first.text, 'utf8').digest('hex');
    expect(first.headers['x-statement-sha256']).toBe(sha);
    const issued = await h.call('GET', `${c()}/statements/issued?limit=500`, { token: demo.treasurer });
    const forHolder = issued.body.items.filter((i: { subjectId: string }) => i.subjectId === holder.id);
    expect(forHolder.length).toBeGreaterThanOrEqual(2);
    expect(forHolder.every((i: { sha256: string; from: string; to: string }) => i.sha256 === sha && i.from === from && i.to === today)).toBe(true);
  });

  it("lets an LA officer read only their own LA's holders", async () => {
    const wrexhamHolder = members.find((m) => m.localAuthorityId === demo.laOfficer.laId)!;
    const otherHolder = members.find((m) => m.stakeholderClass === 'holder' && m.localAuthorityId !== demo.laOfficer.laId)!;
    const own = await h.call('GET', `${c()}/statements/holders/${wrexhamHolder.id}?from=${from}&to=${today}`, { token: demo.laOfficer.token });
    expect(own.status).toBe(200);
    const other = await h.call('GET', `${c()}/statements/holders/${otherHolder.id}?from=${from}&to=${today}`, { token: demo.laOfficer.token });
    expect(other.status).toBe(404);
    const holderToken = await createToken(h, demo.treasurer, { role: 'holder', coopId: demo.coopId, memberId: otherHolder.id });
    const notTheirs = await h.call('GET', `${c()}/statements/holders/${wrexhamHolder.id}?from=${from}&to=${today}`, { token: holderToken.token });
    expect(notTheirs.status).toBe(404);
    const backwards = await h.call('GET', `${c()}/statements/holders/${wrexhamHolder.id}?from=${today}&to=${from}`, { token: demo.treasurer });
    expect(backwards.status).toBe(422);
  });
});
