import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoTokens, seedDemo } from '../../scripts/demo-seed';
import { parseMoney } from '../../src/domain/money';
import { parse } from 'csv-parse/sync';
import { LA_STATEMENT_CSV_COLUMNS } from '../../src/domain/statements/la-statement';
import type {
  HolderStatement,
  IssuedStatement,
  LaStatement,
  Member,
  MemberBalance,
  Page,
  Pool,
  PoolBalance,
  PoolStatement,
} from '../support/api';
import { defined, first, only } from '../support/assert';
import { createToken } from '../support/fixtures';
import { type TypedHarness, createHarness } from '../support/harness';

let h: TypedHarness;
let demo: DemoTokens;
let members: Member[];
const c = () => `/v1/coops/${demo.coopId}`;
const balanceOn = async (memberId: string, asOf: string) =>
  (await h.call<MemberBalance>('GET', `${c()}/members/${memberId}/balance?asOf=${asOf}`, { token: demo.treasurer }))
    .body;
const memberNamed = (name: string) =>
  defined(
    members.find((m) => m.name === name),
    `the demo member ${name}`,
  );

interface Movement {
  funds: { in: string | null; out: string | null; balance: string };
  pools: { in: string | null; out: string | null; share: string }[];
  total: string;
}
interface Balances {
  funds: string;
  pools: { share: string }[];
  total: string;
}

/** Opening figures, plus each row's in and out, give that row's figures, and the last row's are the closing ones. */
function expectFiguresFollow(statement: { opening: Balances; movements: Movement[]; closing: Balances }) {
  const amount = (text: string | null) => parseMoney(text ?? '0.00');
  let funds = parseMoney(statement.opening.funds);
  let shares = statement.opening.pools.map((p) => parseMoney(p.share));
  for (const m of statement.movements) {
    funds = funds.plus(amount(m.funds.in)).minus(amount(m.funds.out));
    expect(m.funds.balance).toBe(funds.toFixed(2));
    shares = shares.map((share, i) => {
      const pool = defined(m.pools[i], `pool ${i} of a movement`);
      return share.plus(amount(pool.in)).minus(amount(pool.out));
    });
    expect(m.pools.map((p) => p.share)).toEqual(shares.map((share) => share.toFixed(2)));
    expect(m.total).toBe(shares.reduce((a, b) => a.plus(b), funds).toFixed(2));
  }
  expect(funds.toFixed(2)).toBe(statement.closing.funds);
  expect(shares.map((share) => share.toFixed(2))).toEqual(statement.closing.pools.map((p) => p.share));
}

function dayBefore(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

beforeAll(async () => {
  h = await createHarness();
  demo = await seedDemo(h.app, h.adminToken);
  members = (await h.call<Page<Member>>('GET', `${c()}/members?limit=500`, { token: demo.treasurer })).body.items;
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
      const res = await h.call<HolderStatement>(
        'GET',
        `${c()}/statements/holders/${holder.id}?from=${from}&to=${today}`,
        { token: demo.treasurer },
      );
      expect(res.status).toBe(200);
      const opening = await balanceOn(holder.id, dayBefore(from));
      const closing = await balanceOn(holder.id, today);
      expect(res.body.opening.funds).toBe(opening.funds);
      expect(res.body.opening.total).toBe(opening.total);
      expect(res.body.closing.funds).toBe(closing.funds);
      expect(res.body.closing.total).toBe(closing.total);
      expect(res.body.closing.pools.map((p) => p.share).sort()).toEqual(closing.pools.map((p) => p.share).sort());
      // Every running figure continues from the one above it, and the last ones are the closing balances.
      expectFiguresFollow(res.body);
    }
  });

  it("shows each shared cost with its split method, and purchases with their saving, in the holder's language", async () => {
    const dafydd = memberNamed('Dafydd Tŷ-Gwyn');
    const res = await h.call<HolderStatement>(
      'GET',
      `${c()}/statements/holders/${dafydd.id}?from=${from}&to=${today}`,
      { token: demo.holder.token },
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ title: 'Datganiad deiliad', language: 'cy', member: { name: 'Dafydd Tŷ-Gwyn' } });
    const bookkeeper = defined(
      res.body.sharedCosts.find((s) => s.description === 'Bookkeeper'),
      'the bookkeeper cost',
    );
    expect(bookkeeper).toMatchObject({ total: '300.00', method: 'equal', memberCount: 12, share: '25.00' });
    expect(bookkeeper.text).toBe("Gweinyddu: £300.00, wedi'i rannu'n gyfartal rhwng 12 aelod. Eich cyfran: £25.00");
    expect(res.body.coop).toEqual({ name: 'Cronfa Gofal Gogledd Ddwyrain' });
    // A contribution is one row: out of the money Dafydd has and into his share of the pool.
    const into = defined(
      res.body.movements.find((m) => m.description === 'I mewn i Tîm PA a rennir'),
      'the contribution into the shared PA team',
    );
    const sharedPa = res.body.opening.pools.findIndex((p) => p.name === 'Tîm PA a rennir');
    expect(into.funds.out).toBe('240.00');
    expect(into.pools[sharedPa]).toMatchObject({ in: '240.00', out: null });
    expect(res.body.movements.filter((m) => m.entryId === into.entryId)).toHaveLength(1);
    expect(res.body.accounts.funds).toBe('Arian sydd gennych');
    expect(res.body.accounts.pools.map((p) => p.name).sort()).toEqual([
      'Eich cyfran o Gweithgareddau dydd',
      'Eich cyfran o Tîm PA a rennir',
    ]);
    expect(res.body).toMatchObject({ surplusThresholdWeeks: 8, surplusThresholdAmount: '1699.20' });
    expect(res.body.purchases.length).toBeGreaterThan(0);
    for (const p of res.body.purchases) expect(parseMoney(p.saving).gte(0)).toBe(true);
    expect(res.body.award).toMatchObject({ amount: '212.40', frequency: 'weekly', weekly: '212.40' });
    // Movements are described in Welsh from the entries' details, not from the English memos kept in the ledger.
    const descriptions = res.body.movements.map((m) => m.description);
    expect(descriptions).toContain('I mewn i Tîm PA a rennir');
    expect(descriptions).not.toContain('I mewn i ');
    expect(descriptions.some((d) => d.startsWith("Taliad Uniongyrchol wedi'i dderbyn (LA-"))).toBe(true);
    expect(descriptions.some((d) => d.startsWith('Cydweithfa Cymorth Wrecsam, anfoneb CCW-'))).toBe(true);
    expect(descriptions).toContain('Cost a rennir: Bookkeeper');
    expect(descriptions.join(' ')).not.toMatch(/Contribution to|Invoice|Direct Payment received/);
    const weeks = parseMoney(res.body.closing.total).div(parseMoney('212.40')).toFixed(1);
    expect(res.body.closingWeeksOfAward).toBe(weeks);

    const english = await h.call<HolderStatement>(
      'GET',
      `${c()}/statements/holders/${dafydd.id}?from=${from}&to=${today}&lang=en`,
      { token: demo.holder.token },
    );
    expect(english.body.title).toBe('Holder statement');
    expect(english.body.sharedCosts.find((s) => s.description === 'Bookkeeper')?.text).toBe(
      'Administration: £300.00, split equally between 12 members. Your share: £25.00',
    );
  });

  it('gives the same bytes every time and records each issue with its SHA-256', async () => {
    const holder = memberNamed('Gwenllian Ŵyn');
    const url = `${c()}/statements/holders/${holder.id}?from=${from}&to=${today}`;
    const registered = async () =>
      (
        await h.call<Page<IssuedStatement>>('GET', `${c()}/statements/issued?limit=500`, { token: demo.treasurer })
      ).body.items.filter((i) => i.subjectId === holder.id);
    const before = await registered();
    const first = await h.call('GET', url, { token: demo.treasurer });
    const second = await h.call('GET', url, { token: demo.treasurer });
    expect(second.text).toBe(first.text);
    const sha = createHash('sha256').update(first.text, 'utf8').digest('hex');
    expect(first.headers['x-statement-sha256']).toBe(sha);
    // The same document to the same caller is one row of the register, counted once more each time.
    const forHolder = only(await registered(), 'register row for the holder');
    expect(forHolder).toMatchObject({ sha256: sha, from, to: today, format: 'json' });
    expect(forHolder.timesIssued).toBe((before[0]?.timesIssued ?? 0) + 2);
  });

  it("lets an LA officer read only their own LA's holders", async () => {
    const wrexhamHolder = defined(
      members.find((m) => m.localAuthorityId === demo.laOfficer.laId),
      "a holder of the officer's LA",
    );
    const otherHolder = defined(
      members.find((m) => m.stakeholderClass === 'holder' && m.localAuthorityId !== demo.laOfficer.laId),
      'a holder of another LA',
    );
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
  it('has a column for each running figure, an opening row, one row per entry and a closing row', async () => {
    const dafydd = memberNamed('Dafydd Tŷ-Gwyn');
    const url = `${c()}/statements/holders/${dafydd.id}?from=${from}&to=${today}&lang=en`;
    const json = (await h.call<HolderStatement>('GET', url, { token: demo.treasurer })).body;
    const csv = await h.call('GET', `${url}&format=csv`, { token: demo.treasurer });
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const [header, ...rows] = parse(csv.text) as string[][];
    const pools = json.opening.pools.map((p) => p.name);
    expect([...pools].sort()).toEqual(['Day activities', 'Shared PA team']);
    expect(defined(header, 'the header row').join(',')).toBe(
      [
        'date,description,category,funds_in,funds_out,funds_balance',
        ...json.opening.pools.map((p) => `pool_in:${p.name},pool_out:${p.name},pool_share:${p.name}`),
        'total',
      ].join(','),
    );
    expect(rows).toHaveLength(json.movements.length + 2);
    const figures = (b: Balances) => [b.funds, ...b.pools.flatMap((p) => ['', '', p.share]), b.total];
    expect(rows[0]).toEqual([from, 'Opening balance', '', '', '', ...figures(json.opening)]);
    expect(rows.at(-1)).toEqual([today, 'Closing balance', '', '', '', ...figures(json.closing)]);
    // The rows between are the JSON's movements, column for column, so their figures follow on too.
    const cell = (row: string[], at: number) => defined(row[at], `cell ${at}`);
    const asJson = rows.slice(1, -1).map((row) => ({
      funds: { in: row[3] || null, out: row[4] || null, balance: cell(row, 5) },
      pools: pools.map((_, i) => ({
        in: row[6 + 3 * i] || null,
        out: row[7 + 3 * i] || null,
        share: cell(row, 8 + 3 * i),
      })),
      total: cell(row, row.length - 1),
    }));
    expect(asJson).toEqual(
      json.movements.map((m: Movement) => ({
        funds: m.funds,
        pools: m.pools.map(({ in: i, out, share }) => ({ in: i, out, share })),
        total: m.total,
      })),
    );
    expectFiguresFollow({ opening: json.opening, movements: asJson, closing: json.closing });
    // Categories by name, as a holder reads them.
    expect(rows.map((row) => row[2])).toContain('Administration');
    expect(rows.map((row) => row[2])).not.toContain('admin');
  });

  it('is saved under a name saying whose statement it is, for which period, in which language', async () => {
    const dafydd = memberNamed('Dafydd Tŷ-Gwyn');
    const base = `${c()}/statements/holders/${dafydd.id}?from=${from}&to=${today}`;
    const pdf = await h.call('GET', `${base}&format=pdf`, { token: demo.treasurer });
    expect(pdf.headers['content-disposition']).toBe(
      `attachment; filename="holder-statement-WXM-DP-1001-${from}-${today}-cy.pdf"`,
    );
    const csv = await h.call('GET', `${base}&format=csv&lang=en`, { token: demo.treasurer });
    expect(csv.headers['content-disposition']).toBe(
      `attachment; filename="holder-statement-WXM-DP-1001-${from}-${today}-en.csv"`,
    );
  });
});

describe('local-authority monitoring statement', () => {
  it('has a row per LA holder whose figures match the balance route and add up', async () => {
    const url = `/v1/local-authorities/${demo.laOfficer.laId}/statements?coopId=${demo.coopId}&from=${from}&to=${today}`;
    const res = await h.call<LaStatement>('GET', url, { token: demo.laOfficer.token });
    expect(res.status).toBe(200);
    const wrexham = members.filter(
      (m) => m.stakeholderClass === 'holder' && m.localAuthorityId === demo.laOfficer.laId,
    );
    expect(res.body.holders.map((r) => r.memberId).sort()).toEqual(wrexham.map((m) => m.id).sort());
    expect(res.body.bankReconciled).toBe(false);
    for (const row of res.body.holders) {
      const closing = await balanceOn(row.memberId, today);
      const opening = await balanceOn(row.memberId, dayBefore(from));
      expect(row.closing).toBe(closing.total);
      expect(row.opening).toBe(opening.total);
      // Money only enters as DP receipts and leaves as spending: moves between funds and pools net to zero.
      expect(
        parseMoney(row.opening).plus(parseMoney(row.dpReceived)).minus(parseMoney(row.spendTotal)).toFixed(2),
      ).toBe(row.closing);
      expect(parseMoney(row.dpReceived).gt(0)).toBe(true);
    }
    const sumOf = (field: 'closing' | 'dpReceived' | 'spendTotal') =>
      res.body.holders.reduce((acc, r) => acc.plus(parseMoney(r[field])), parseMoney('0')).toFixed(2);
    expect(res.body.totals).toMatchObject({
      holders: wrexham.length,
      closing: sumOf('closing'),
      dpReceived: sumOf('dpReceived'),
      spendTotal: sumOf('spendTotal'),
    });

    const csv = await h.call('GET', `${url}&format=csv`, { token: demo.laOfficer.token });
    const lines = csv.text.trim().split('\n');
    expect(lines[0]).toBe(LA_STATEMENT_CSV_COLUMNS.join(','));
    // A one-co-op statement keeps its columns: no co-op columns after the holder's name.
    expect(lines[0]).toMatch(/^la_reference,holder_name,opening_balance,dp_received,spend_own_admin,/);
    expect(lines).toHaveLength(wrexham.length + 2);
    const total = defined(lines.at(-1), 'the total row').split(',');
    expect(total[0]).toBe('TOTAL');
    expect(total[LA_STATEMENT_CSV_COLUMNS.indexOf('closing_balance')]).toBe(res.body.totals.closing);
    const again = await h.call('GET', `${url}&format=csv`, { token: demo.laOfficer.token });
    expect(again.headers['x-statement-sha256']).toBe(csv.headers['x-statement-sha256']);
  });
});

describe('pool statement', () => {
  it("moves each member's share from opening to closing, matching the pool balance route", async () => {
    const pools = (await h.call<Page<Pool>>('GET', `${c()}/pools`, { token: demo.treasurer })).body.items;
    const poolStatement = (poolId: string, query = '') =>
      h.call<PoolStatement>('GET', `${c()}/statements/pools/${poolId}?from=${from}&to=${today}${query}`, {
        token: demo.treasurer,
      });
    for (const pool of pools) {
      const res = await poolStatement(pool.id);
      expect(res.status).toBe(200);
      const balance = (
        await h.call<PoolBalance>('GET', `${c()}/pools/${pool.id}/balance?asOf=${today}`, { token: demo.treasurer })
      ).body;
      expect(res.body.totals.closing).toBe(balance.total);
      for (const share of res.body.shares) {
        expect(share.closing).toBe(balance.shares.find((s) => s.memberId === share.memberId)?.share);
        const moved = parseMoney(share.opening)
          .plus(parseMoney(share.contributions))
          .minus(parseMoney(share.returnedOnLeaving))
          .minus(parseMoney(share.sharedCosts))
          .minus(parseMoney(share.purchases));
        expect(moved.toFixed(2)).toBe(share.closing);
      }
    }
    const sharedPa = defined(
      pools.find((p) => p.name === 'Shared PA team'),
      'the shared PA team',
    );
    const res = await poolStatement(sharedPa.id);
    expect(res.body.costsByCategory.map((c) => c.category)).toEqual(
      expect.arrayContaining(['admin', 'payroll_services']),
    );
    expect(res.body.costsByCategory.map((c) => c.name)).toEqual(
      expect.arrayContaining(['Administration', 'Payroll services']),
    );
    expect(res.body.coop).toEqual({ name: 'Cronfa Gofal Gogledd Ddwyrain' });
    const welsh = await poolStatement(sharedPa.id, '&lang=cy');
    expect(welsh.body.pool.name).toBe('Tîm PA a rennir');
    expect(welsh.body.costsByCategory.map((c) => c.name)).toEqual(
      expect.arrayContaining(['Gweinyddu', 'Gwasanaethau cyflogres']),
    );
    const byProvider = first(res.body.purchasesByProvider, 'provider');
    expect(byProvider).toMatchObject({ provider: 'Cydweithfa Cymorth Wrecsam' });
    expect(parseMoney(byProvider.saving).gt(0)).toBe(true);
    // The demo leaves the latest invoice unpaid.
    const unpaid = only(res.body.unpaidInvoices, 'unpaid invoice');
    expect(res.body.unpaidTotal).toBe(unpaid.outstanding);
    const csv = await poolStatement(sharedPa.id, '&format=csv');
    const lines = csv.text.trim().split('\n');
    expect(lines[0]).toBe(
      'la_reference,member_name,opening_share,contributions,returned_on_leaving,shared_costs,purchases,closing_share',
    );
    expect(lines.at(-1)?.split(',').at(-1)).toBe(res.body.totals.closing);
  });
});
