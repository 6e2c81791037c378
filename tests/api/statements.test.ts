import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoTokens, seedDemo } from '../../scripts/demo-seed';
import { parseMoney } from '../../src/domain/money';
import { LA_STATEMENT_CSV_COLUMNS } from '../../src/domain/statements/la-statement';
import { createToken } from '../support/fixtures';
import { type Harness, createHarness } from '../support/harness';

let h: Harness;
let demo: DemoTokens;
let members: {
  id: string;
  name: string;
  preferredLanguage: string;
  stakeholderClass: string;
  localAuthorityId: string | null;
}[];
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
      const res = await h.call('GET', `${c()}/statements/holders/${holder.id}?from=${from}&to=${today}`, {
        token: demo.treasurer,
      });
      expect(res.status).toBe(200);
      const opening = (
        await h.call('GET', `${c()}/members/${holder.id}/balance?asOf=${dayBefore(from)}`, { token: demo.treasurer })
      ).body;
      const closing = (
        await h.call('GET', `${c()}/members/${holder.id}/balance?asOf=${today}`, { token: demo.treasurer })
      ).body;
      expect(res.body.opening.funds).toBe(opening.funds);
      expect(res.body.opening.total).toBe(opening.total);
      expect(res.body.closing.funds).toBe(closing.funds);
      expect(res.body.closing.total).toBe(closing.total);
      expect(res.body.closing.pools.map((p: { share: string }) => p.share).sort()).toEqual(
        closing.pools.map((p: { share: string }) => p.share).sort(),
      );
      // Opening plus every movement in and out is the closing balance.
      const moved = res.body.movements.reduce(
        (acc: ReturnType<typeof parseMoney>, m: { in: string | null; out: string | null }) =>
          acc.plus(parseMoney(m.in ?? '0')).minus(parseMoney(m.out ?? '0')),
        parseMoney(res.body.opening.total),
      );
      expect(moved.toFixed(2)).toBe(closing.total);
    }
  });

  it("shows each shared cost with its split method, and purchases with their saving, in the holder's language", async () => {
    const dafydd = members.find((m) => m.name === 'Dafydd Tŷ-Gwyn')!;
    const res = await h.call('GET', `${c()}/statements/holders/${dafydd.id}?from=${from}&to=${today}`, {
      token: demo.holder.token,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ title: 'Datganiad deiliad', language: 'cy', member: { name: 'Dafydd Tŷ-Gwyn' } });
    const bookkeeper = res.body.sharedCosts.find((s: { description: string }) => s.description === 'Bookkeeper');
    expect(bookkeeper).toMatchObject({ total: '300.00', method: 'equal', memberCount: 12, share: '25.00' });
    expect(bookkeeper.text).toBe("£300.00 admin, wedi'i rannu'n gyfartal rhwng 12 aelod: £25.00");
    expect(res.body.purchases.length).toBeGreaterThan(0);
    for (const p of res.body.purchases) expect(parseMoney(p.saving).gte(0)).toBe(true);
    expect(res.body.award).toMatchObject({ amount: '212.40', frequency: 'weekly', weekly: '212.40' });
    // Movements are described in Welsh from the entries' details, not from the English memos kept in the ledger.
    const descriptions = res.body.movements.map((m: { description: string }) => m.description);
    expect(descriptions).toContain('I mewn i Shared PA team');
    expect(descriptions).not.toContain('I mewn i ');
    expect(descriptions.some((d: string) => d.startsWith("Taliad Uniongyrchol wedi'i dderbyn (LA-"))).toBe(true);
    expect(descriptions.some((d: string) => d.startsWith('Cydweithfa Cymorth Wrecsam, anfoneb CCW-'))).toBe(true);
    expect(descriptions).toContain('Cost a rennir: Bookkeeper');
    expect(descriptions.join(' ')).not.toMatch(/Contribution to|Invoice|Direct Payment received/);
    const weeks = parseMoney(res.body.closing.total).div(parseMoney('212.40')).toFixed(1);
    expect(res.body.closingWeeksOfAward).toBe(weeks);

    const english = await h.call('GET', `${c()}/statements/holders/${dafydd.id}?from=${from}&to=${today}&lang=en`, {
      token: demo.holder.token,
    });
    expect(english.body.title).toBe('Holder statement');
    expect(english.body.sharedCosts.find((s: { description: string }) => s.description === 'Bookkeeper').text).toBe(
      '£300.00 admin, split equally between 12 members: £25.00',
    );
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
    expect(
      forHolder.every(
        (i: { sha256: string; from: string; to: string }) => i.sha256 === sha && i.from === from && i.to === today,
      ),
    ).toBe(true);
  });

  it("lets an LA officer read only their own LA's holders", async () => {
    const wrexhamHolder = members.find((m) => m.localAuthorityId === demo.laOfficer.laId)!;
    const otherHolder = members.find(
      (m) => m.stakeholderClass === 'holder' && m.localAuthorityId !== demo.laOfficer.laId,
    )!;
    const own = await h.call('GET', `${c()}/statements/holders/${wrexhamHolder.id}?from=${from}&to=${today}`, {
      token: demo.laOfficer.token,
    });
    expect(own.status).toBe(200);
    const other = await h.call('GET', `${c()}/statements/holders/${otherHolder.id}?from=${from}&to=${today}`, {
      token: demo.laOfficer.token,
    });
    expect(other.status).toBe(404);
    const holderToken = await createToken(h, demo.treasurer, {
      role: 'holder',
      coopId: demo.coopId,
      memberId: otherHolder.id,
    });
    const notTheirs = await h.call('GET', `${c()}/statements/holders/${wrexhamHolder.id}?from=${from}&to=${today}`, {
      token: holderToken.token,
    });
    expect(notTheirs.status).toBe(404);
    const backwards = await h.call('GET', `${c()}/statements/holders/${wrexhamHolder.id}?from=${today}&to=${from}`, {
      token: demo.treasurer,
    });
    expect(backwards.status).toBe(422);
  });
});

describe('holder statement as CSV', () => {
  it('has stable columns, an opening row, one row per movement and a closing row', async () => {
    const holder = members.find((m) => m.name === 'Gwenllian Ŵyn')!;
    const json = await h.call('GET', `${c()}/statements/holders/${holder.id}?from=${from}&to=${today}&lang=en`, {
      token: demo.treasurer,
    });
    const csv = await h.call(
      'GET',
      `${c()}/statements/holders/${holder.id}?from=${from}&to=${today}&format=csv&lang=en`,
      { token: demo.treasurer },
    );
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.text.trim().split('\n');
    expect(lines[0]).toBe('date,description,category,account,in,out,balance');
    expect(lines).toHaveLength(json.body.movements.length + 3);
    expect(lines[1]).toBe(`${from},Opening balance,,,,,${json.body.opening.total}`);
    expect(lines.at(-1)).toBe(`${today},Closing balance,,,,,${json.body.closing.total}`);
  });
});

describe('local-authority monitoring statement', () => {
  it('has a row per LA holder whose figures match the balance route and add up', async () => {
    const url = `/v1/local-authorities/${demo.laOfficer.laId}/statements?coopId=${demo.coopId}&from=${from}&to=${today}`;
    const res = await h.call('GET', url, { token: demo.laOfficer.token });
    expect(res.status).toBe(200);
    const wrexham = members.filter(
      (m) => m.stakeholderClass === 'holder' && m.localAuthorityId === demo.laOfficer.laId,
    );
    expect(res.body.holders.map((r: { memberId: string }) => r.memberId).sort()).toEqual(
      wrexham.map((m) => m.id).sort(),
    );
    expect(res.body.bankReconciled).toBe(false);
    for (const row of res.body.holders) {
      const closing = (
        await h.call('GET', `${c()}/members/${row.memberId}/balance?asOf=${today}`, { token: demo.treasurer })
      ).body;
      const opening = (
        await h.call('GET', `${c()}/members/${row.memberId}/balance?asOf=${dayBefore(from)}`, { token: demo.treasurer })
      ).body;
      expect(row.closing).toBe(closing.total);
      expect(row.opening).toBe(opening.total);
      // Money only enters as DP receipts and leaves as spending: moves between funds and pools net to zero.
      expect(
        parseMoney(row.opening).plus(parseMoney(row.dpReceived)).minus(parseMoney(row.spendTotal)).toFixed(2),
      ).toBe(row.closing);
      expect(parseMoney(row.dpReceived).gt(0)).toBe(true);
    }
    const sumOf = (field: string) =>
      res.body.holders
        .reduce(
          (acc: ReturnType<typeof parseMoney>, r: Record<string, string>) => acc.plus(parseMoney(r[field]!)),
          parseMoney('0'),
        )
        .toFixed(2);
    expect(res.body.totals).toMatchObject({
      holders: wrexham.length,
      closing: sumOf('closing'),
      dpReceived: sumOf('dpReceived'),
      spendTotal: sumOf('spendTotal'),
    });

    const csv = await h.call('GET', `${url}&format=csv`, { token: demo.laOfficer.token });
    const lines = csv.text.trim().split('\n');
    expect(lines[0]).toBe(LA_STATEMENT_CSV_COLUMNS.join(','));
    expect(lines).toHaveLength(wrexham.length + 2);
    const total = lines.at(-1)!.split(',');
    expect(total[0]).toBe('TOTAL');
    expect(total[LA_STATEMENT_CSV_COLUMNS.indexOf('closing_balance')]).toBe(res.body.totals.closing);
    const again = await h.call('GET', `${url}&format=csv`, { token: demo.laOfficer.token });
    expect(again.headers['x-statement-sha256']).toBe(csv.headers['x-statement-sha256']);
  });
});

describe('pool statement', () => {
  it("moves each member's share from opening to closing, matching the pool balance route", async () => {
    const pools = (await h.call('GET', `${c()}/pools`, { token: demo.treasurer })).body.items;
    for (const pool of pools) {
      const res = await h.call('GET', `${c()}/statements/pools/${pool.id}?from=${from}&to=${today}`, {
        token: demo.treasurer,
      });
      expect(res.status).toBe(200);
      const balance = (await h.call('GET', `${c()}/pools/${pool.id}/balance?asOf=${today}`, { token: demo.treasurer }))
        .body;
      expect(res.body.totals.closing).toBe(balance.total);
      for (const share of res.body.shares) {
        expect(share.closing).toBe(
          balance.shares.find((s: { memberId: string }) => s.memberId === share.memberId).share,
        );
        const moved = parseMoney(share.opening)
          .plus(parseMoney(share.contributions))
          .minus(parseMoney(share.returnedOnLeaving))
          .minus(parseMoney(share.sharedCosts))
          .minus(parseMoney(share.purchases));
        expect(moved.toFixed(2)).toBe(share.closing);
      }
    }
    const sharedPa = pools.find((p: { name: string }) => p.name === 'Shared PA team');
    const res = await h.call('GET', `${c()}/statements/pools/${sharedPa.id}?from=${from}&to=${today}`, {
      token: demo.treasurer,
    });
    expect(res.body.costsByCategory.map((c: { category: string }) => c.category)).toEqual(
      expect.arrayContaining(['admin', 'payroll_services']),
    );
    expect(res.body.purchasesByProvider[0]).toMatchObject({ provider: 'Cydweithfa Cymorth Wrecsam' });
    expect(parseMoney(res.body.purchasesByProvider[0].saving).gt(0)).toBe(true);
    // The demo leaves the latest invoice unpaid.
    expect(res.body.unpaidInvoices).toHaveLength(1);
    expect(res.body.unpaidTotal).toBe(res.body.unpaidInvoices[0].outstanding);
    const csv = await h.call('GET', `${c()}/statements/pools/${sharedPa.id}?from=${from}&to=${today}&format=csv`, {
      token: demo.treasurer,
    });
    const lines = csv.text.trim().split('\n');
    expect(lines[0]).toBe(
      'la_reference,member_name,opening_share,contributions,returned_on_leaving,shared_costs,purchases,closing_share',
    );
    expect(lines.at(-1)!.split(',').at(-1)).toBe(res.body.totals.closing);
  });
});
