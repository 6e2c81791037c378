import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LA_STATEMENT_CSV_COLUMNS } from '../../src/domain/statements/la-statement';
import {
  type CoopFixture,
  type HolderFixture,
  createCoop,
  createHolder,
  createLocalAuthority,
  createPool,
  createToken,
  receive,
} from '../support/fixtures';
import type { Coop, CoopOfLocalAuthority, IssuedStatement, LaStatement, Page } from '../support/api';
import { defined } from '../support/assert';
import { type Response, type TypedHarness, createHarness } from '../support/harness';
import { allCells, pdfPages } from '../support/pdf-cells';
import { Problem } from '../support/problems';

/**
 * LA statements and tenancy: an LA sees its own holders in every co-op they belong to, and nothing of a co-op where it
 * has none; its officer finds those co-ops; a HEAD issues nothing. LA1 has holders in co-ops A and C, LA2 in co-op B.
 */
let h: TypedHarness;
let la1: { id: string; code: string };
let coopA: CoopFixture;
let coopB: CoopFixture;
let coopC: CoopFixture;
let a1: HolderFixture;
let a2: HolderFixture;
let c1: HolderFixture;
let poolA: string;
const period = 'from=2026-01-01&to=2026-03-31';
const statementOf = (laId: string, query: string) => `/v1/local-authorities/${laId}/statements?${period}&${query}`;

/** The register of a co-op, as its treasurer reads it. */
async function register(coop: CoopFixture) {
  const res = await h.call<Page<IssuedStatement>>('GET', `/v1/coops/${coop.coopId}/statements/issued?limit=500`, {
    token: coop.treasurerToken,
  });
  expect(res.status).toBe(200);
  return res.body.items;
}

/** How many statements a co-op's register says were issued: each document counts each time it was sent. */
const issuedCount = async (coop: CoopFixture) => (await register(coop)).reduce((n, i) => n + i.timesIssued, 0);

/** A problem body without what differs between two requests. */
const problemOf = (res: Response) => ({
  status: res.status,
  type: res.headers['content-type'],
  body: { ...res.json(Problem), instance: undefined },
});

beforeAll(async () => {
  h = await createHarness();
  la1 = await createLocalAuthority(h);
  const la2 = await createLocalAuthority(h);
  coopA = await createCoop(h, la1);
  coopB = await createCoop(h, la2);
  // Co-op C has a Welsh name: its statements' file names need more than ASCII.
  const c = await h.call<Coop>('POST', '/v1/coops', {
    token: h.adminToken,
    body: { name: 'Tygwyn Care Co-operative', nameCy: 'Cydweithfa Tŷ Gwyn' },
  });
  expect(c.status, c.text).toBe(201);
  const treasurerC = await createToken(h, h.adminToken, { role: 'treasurer', coopId: c.body.id });
  coopC = { coopId: c.body.id, treasurerToken: treasurerC.token, laId: la1.id, laOfficerToken: coopA.laOfficerToken };
  a1 = await createHolder(h, coopA, { name: 'Dafydd Tŷ-Gwyn' });
  a2 = await createHolder(h, coopA, { name: 'Gwenllian Ŵyn' });
  const b1 = await createHolder(h, coopB);
  c1 = await createHolder(h, coopC, { name: 'Siân Llŷr' });
  await receive(h, coopA, a1.memberId, '100.00');
  await receive(h, coopA, a2.memberId, '50.00');
  await receive(h, coopB, b1.memberId, '70.00');
  await receive(h, coopC, c1.memberId, '30.00');
  poolA = (await createPool(h, coopA)).id;
  // Co-op C's bank agrees with its books through 5 January, and the period is closed there.
  const upload = await h.call(
    'POST',
    `/v1/coops/${coopC.coopId}/bank-statements?format=csv&dateColumn=Date&dateFormat=YYYY-MM-DD&descriptionColumn=Details&amountColumn=Amount&openingBalance=0.00`,
    {
      token: coopC.treasurerToken,
      rawBody: 'Date,Details,Amount\n2026-01-05,LA DP,30.00\n',
      headers: { 'content-type': 'text/csv' },
    },
  );
  expect(upload.status, upload.text).toBe(201);
  const close = await h.call('POST', `/v1/coops/${coopC.coopId}/periods/close`, {
    token: coopC.treasurerToken,
    body: { through: '2026-01-05' },
  });
  expect(close.status, close.text).toBe(201);
}, 120_000);
afterAll(async () => h.close());

describe('a co-op with none of the LA’s holders', () => {
  it('is not found, exactly as a co-op that does not exist, whoever asks, and nothing is issued', async () => {
    for (const format of ['json', 'csv', 'pdf']) {
      const unknown = await h.call('GET', statementOf(la1.id, `coopId=${randomUUID()}&format=${format}`), {
        token: coopA.laOfficerToken,
      });
      expect(unknown.status).toBe(404);
      // LA1's officer asking about co-op B, and co-op B's own treasurer asking for LA1's statement of it.
      for (const token of [coopA.laOfficerToken, coopB.treasurerToken]) {
        const res = await h.call('GET', statementOf(la1.id, `coopId=${coopB.coopId}&format=${format}`), { token });
        expect(problemOf(res)).toEqual(problemOf(unknown));
        expect(res.text).not.toContain(coopB.coopId);
      }
    }
    expect(await register(coopB)).toEqual([]);
  });
});

describe('the co-ops of an LA', () => {
  it("are listed for the LA's officer, with how many of its holders each has and how far each is reconciled", async () => {
    const res = await h.call<Page<CoopOfLocalAuthority>>('GET', `/v1/local-authorities/${la1.id}/coops`, {
      token: coopA.laOfficerToken,
    });
    expect(res.status).toBe(200);
    const nameA = (await h.call<Coop>('GET', `/v1/coops/${coopA.coopId}`, { token: coopA.treasurerToken })).body.name;
    expect(res.body).toEqual({
      items: [
        { id: coopA.coopId, name: nameA, nameCy: null, holderCount: 2, reconciledThrough: null },
        {
          id: coopC.coopId,
          name: 'Tygwyn Care Co-operative',
          nameCy: 'Cydweithfa Tŷ Gwyn',
          holderCount: 1,
          reconciledThrough: '2026-01-05',
        },
      ],
      nextCursor: null,
    });
    expect(res.text).not.toContain(coopB.coopId);
  });
});

describe('a HEAD of a statement', () => {
  it('answers with the statement’s headers and issues nothing', async () => {
    const urls = [
      { url: `/v1/coops/${coopA.coopId}/statements/holders/${a1.memberId}?${period}`, token: coopA.treasurerToken },
      { url: `/v1/coops/${coopA.coopId}/statements/pools/${poolA}?${period}`, token: coopA.treasurerToken },
      { url: statementOf(la1.id, `coopId=${coopA.coopId}`), token: coopA.laOfficerToken },
    ];
    const before = await issuedCount(coopA);
    for (const { url, token } of urls) {
      for (const format of ['json', 'csv', 'pdf']) {
        const head = await h.call('HEAD', `${url}&format=${format}`, { token });
        expect(head.status, `${url} ${format}`).toBe(200);
        expect(head.raw).toHaveLength(0);
        expect(head.headers['x-statement-sha256']).toMatch(/^[0-9a-f]{64}$/);
        expect(head.headers['content-disposition']).toMatch(/^attachment; filename="/);
        const get = await h.call('GET', `${url}&format=${format}`, { token });
        expect(get.headers['x-statement-sha256']).toBe(head.headers['x-statement-sha256']);
      }
    }
    // Nine GETs issued nine statements; the nine HEADs none.
    expect(await issuedCount(coopA)).toBe(before + 9);
  });
});

describe('who may ask for an LA statement', () => {
  it('needs a treasurer to name their co-op', async () => {
    const res = await h.call('GET', statementOf(la1.id, 'format=json'), { token: coopA.treasurerToken });
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json(Problem).errors).toEqual([{ path: 'querystring.coopId', message: 'required for a treasurer' }]);
  });
});

describe('an LA statement file', () => {
  it('is named after the LA, the co-op, the period and the language, with the Welsh letters kept in filename*', async () => {
    const res = await h.call('GET', statementOf(la1.id, `coopId=${coopC.coopId}&format=csv&lang=cy`), {
      token: coopC.treasurerToken,
    });
    expect(res.status).toBe(200);
    const name = `la-statement-${la1.code}-Cydweithfa-T%C5%B7-Gwyn-2026-01-01-2026-03-31-cy.csv`;
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="la-statement-${la1.code}-Cydweithfa-Ty-Gwyn-2026-01-01-2026-03-31-cy.csv"; filename*=UTF-8''${name}`,
    );
    const english = await h.call('GET', statementOf(la1.id, `coopId=${coopC.coopId}&format=pdf`), {
      token: coopC.treasurerToken,
    });
    expect(english.headers['content-disposition']).toBe(
      `attachment; filename="la-statement-${la1.code}-Tygwyn-Care-Co-operative-2026-01-01-2026-03-31-en.pdf"`,
    );
  });
});

// These issue statements across co-ops, which the register records with no co-op.
describe('an LA statement across every co-op (an officer’s, without coopId)', () => {
  it('has a row per holder in every co-op where the LA has holders, each naming its co-op', async () => {
    const res = await h.call<LaStatement>('GET', statementOf(la1.id, 'format=json'), {
      token: coopA.laOfficerToken,
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body.coop).toBeNull();
    expect(res.body.coops.map((c) => [c.id, c.reconciledThrough])).toEqual([
      [coopA.coopId, null],
      [coopC.coopId, '2026-01-05'],
    ]);
    const rows = res.body.holders.map((r) => [r.memberId, r.coopId, r.closing]);
    expect(rows.sort()).toEqual(
      [
        [a1.memberId, coopA.coopId, '100.00'],
        [a2.memberId, coopA.coopId, '50.00'],
        [c1.memberId, coopC.coopId, '30.00'],
      ].sort(),
    );
    expect(res.body.totals).toMatchObject({ holders: 3, closing: '180.00', dpReceived: '180.00' });
    expect(res.text).not.toContain(coopB.coopId);
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="la-statement-${la1.code}-all-coops-2026-01-01-2026-03-31-en.json"`,
    );
  });

  it('adds the co-op and how far it is reconciled after the holder’s name in its CSV, and names the co-op in its PDF', async () => {
    const issuedBefore = [await issuedCount(coopA), await issuedCount(coopC)];
    const csv = await h.call('GET', statementOf(la1.id, 'format=csv'), { token: coopA.laOfficerToken });
    expect(csv.status, csv.text).toBe(200);
    const [header, ...rows] = parse(csv.text) as string[][];
    expect(header).toEqual([
      'la_reference',
      'holder_name',
      'coop_name',
      'coop_reconciled_through',
      ...LA_STATEMENT_CSV_COLUMNS.slice(2),
    ]);
    const siân = defined(
      rows.find((r) => r[0] === c1.laReference),
      "Siân's row",
    );
    expect(siân.slice(0, 4)).toEqual([c1.laReference, 'Siân Llŷr', 'Tygwyn Care Co-operative', '2026-01-05']);
    const total = defined(rows.at(-1), 'the total row');
    expect(total.slice(0, 4)).toEqual(['TOTAL', '', '', '']);
    expect(total[defined(header, 'the header row').indexOf('closing_balance')]).toBe('180.00');

    const pdf = await h.call('GET', statementOf(la1.id, 'format=pdf&lang=cy'), { token: coopA.laOfficerToken });
    expect(pdf.status).toBe(200);
    const cells = allCells(await pdfPages(pdf.raw)).map((c) => c.lines.join(' '));
    expect(cells).toEqual(expect.arrayContaining(['Siân Llŷr', 'Cydweithfa Tŷ Gwyn', 'Dafydd Tŷ-Gwyn']));
    // Neither co-op's register holds it: it is no one co-op's statement.
    expect([await issuedCount(coopA), await issuedCount(coopC)]).toEqual(issuedBefore);
  });
});
