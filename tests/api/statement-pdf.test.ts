import { createHash } from 'node:crypto';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoTokens, seedDemo } from '../../scripts/demo-seed';
import { pounds } from '../../src/domain/statements/wording';
import { buildApp } from '../../src/app';
import { fill } from '../../src/domain/statements/wording';
import { createPdfRenderer } from '../../src/pdf/pdf-renderer';
import { WORDING } from '../../src/services/statements/wording';
import type { HolderStatement, LaStatement, Page, Pool, PoolStatement } from '../support/api';
import { defined } from '../support/assert';
import { type TypedHarness, createHarness } from '../support/harness';
import { FIGURE, allCells, pdfPages } from '../support/pdf-cells';

let h: TypedHarness;
/** The demo co-op's pools: the shared PA team and day activities. */
const demoPools = async () =>
  (await h.call<Page<Pool>>('GET', `/v1/coops/${demo.coopId}/pools`, { token: demo.treasurer })).body.items;
let demo: DemoTokens;
const today = new Date().toISOString().slice(0, 10);
const from = (() => {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() - 365);
  return d.toISOString().slice(0, 10);
})();

beforeAll(async () => {
  h = await createHarness();
  demo = await seedDemo(h.app, h.adminToken);
}, 180_000);
afterAll(async () => h.close());

/** The text of every page, as a reader (or a screen reader) gets it. */
async function pdfText(bytes: Buffer): Promise<string[]> {
  const pdf = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, isEvalSupported: false }).promise;
  const pages: string[] = [];
  for (let n = 1; n <= pdf.numPages; n += 1) {
    const content = await (await pdf.getPage(n)).getTextContent();
    pages.push(content.items.map((item) => ('str' in item ? item.str : '')).join(' '));
  }
  await pdf.destroy();
  return pages;
}

describe('holder statement PDF', () => {
  it("draws the holder's name with ŷ, the closing balance and page numbers, in Welsh", async () => {
    const url = `/v1/coops/${demo.coopId}/statements/holders/${demo.holder.memberId}?from=${from}&to=${today}`;
    const json = await h.call<HolderStatement>('GET', url, { token: demo.holder.token });
    const pdf = await h.call('GET', `${url}&format=pdf`, { token: demo.holder.token });
    expect(pdf.status).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.raw.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const pages = await pdfText(pdf.raw);
    const all = pages.join('\n');
    expect(all).toContain('Dafydd Tŷ-Gwyn');
    expect(all).toContain('Datganiad deiliad');
    expect(all).toContain('Balans cau');
    expect(all).toContain('Cwmni cydweithredol: Cronfa Gofal Gogledd Ddwyrain');
    expect(all).toContain('Arian sydd gennych');
    // Pools are named in the statement's language.
    expect(all).toContain('Eich cyfran o Tîm PA a rennir');
    expect(all).toContain('Dyfarniad wythnosol');
    expect(all).toContain("Trothwy gwarged: 8 wythnos o'r dyfarniad");
    expect(all).toContain(pounds(defined(json.body.surplusThresholdAmount, 'the surplus threshold')));
    expect(all).toContain(pounds(json.body.closing.total));
    expect(all).toContain(pounds(json.body.opening.total));
    expect(pages.length).toBeGreaterThan(1);
    pages.forEach((text, index) => expect(text).toContain(`Tudalen ${index + 1} o ${pages.length}`));
    // Tagged, with its language and title, and a Unicode font embedded.
    const raw = pdf.raw.toString('latin1');
    expect(raw).toMatch(/\/Marked true/);
    expect(raw).toContain('/Lang (cy-GB)');
    expect(raw).toMatch(/\/StructTreeRoot/);
    expect(raw).toMatch(/\/DisplayDocTitle true/);
    expect(raw).toMatch(/DejaVuSans/);
  });

  it('gives the same bytes for the same request, in English when asked', async () => {
    const url = `/v1/coops/${demo.coopId}/statements/holders/${demo.holder.memberId}?from=${from}&to=${today}&format=pdf&lang=en`;
    const first = await h.call('GET', url, { token: demo.treasurer });
    const second = await h.call('GET', url, { token: demo.treasurer });
    expect(createHash('sha256').update(second.raw).digest('hex')).toBe(
      createHash('sha256').update(first.raw).digest('hex'),
    );
    expect(first.headers['x-statement-sha256']).toBe(createHash('sha256').update(first.raw).digest('hex'));
    const pages = await pdfText(first.raw);
    expect(pages[0]).toContain('Holder statement');
    expect(pages[0]).toContain(`Page 1 of ${pages.length}`);
    expect(first.raw.toString('latin1')).toContain('/Lang (en-GB)');
  });
});

describe('local-authority statement PDF', () => {
  it('lists every holder of the LA with the totals, in Welsh, and says the bank is not reconciled', async () => {
    const url = `/v1/local-authorities/${demo.laOfficer.laId}/statements?coopId=${demo.coopId}&from=${from}&to=${today}&lang=cy`;
    const json = await h.call<LaStatement>('GET', url, { token: demo.laOfficer.token });
    const pdf = await h.call('GET', `${url}&format=pdf`, { token: demo.laOfficer.token });
    expect(pdf.status).toBe(200);
    const all = (await pdfText(pdf.raw)).join('\n');
    expect(all).toContain('Datganiad monitro awdurdod lleol');
    expect(all).toContain('Wrecsam');
    expect(all).toContain('Heb ei gysoni');
    expect(all).toContain('Cwmni cydweithredol: Cronfa Gofal Gogledd Ddwyrain');
    // What a screen reader reads in each row of the table: the reference, the holder's name, the figures.
    const rows = (await pdfPages(pdf.raw))
      .flatMap((page) => page.tables.flat())
      .map((row) => row.map((cell) => cell.lines.join(' ')));
    for (const holder of json.body.holders)
      expect(rows).toContainEqual(
        expect.arrayContaining([holder.laReference, holder.name, pounds(holder.closing), pounds(holder.dpReceived)]),
      );
    expect(rows.map((row) => row[1])).toEqual(expect.arrayContaining(['Dafydd Tŷ-Gwyn', 'Gwenllian Ŵyn']));
    expect(rows).toContainEqual(expect.arrayContaining(['Cyfanswm', pounds(json.body.totals.closing)]));
    const again = await h.call('GET', `${url}&format=pdf`, { token: demo.laOfficer.token });
    expect(again.headers['x-statement-sha256']).toBe(pdf.headers['x-statement-sha256']);
  });
});

describe('pool statement PDF', () => {
  it('shows every share and the closing total', async () => {
    const [pool] = await demoPools();
    const url = `/v1/coops/${demo.coopId}/statements/pools/${defined(pool, 'a pool').id}?from=${from}&to=${today}`;
    const json = await h.call<PoolStatement>('GET', url, { token: demo.treasurer });
    const pdf = await h.call('GET', `${url}&format=pdf&lang=cy`, { token: demo.treasurer });
    expect(pdf.status).toBe(200);
    const all = (await pdfText(pdf.raw)).join('\n');
    expect(all).toContain('Datganiad cronfa');
    expect(all).toContain('Cwmni cydweithredol: Cronfa Gofal Gogledd Ddwyrain');
    expect(all).toContain(pounds(json.body.totals.closing));
    for (const share of json.body.shares) expect(all).toContain(share.laReference);
  });
});

describe('render threads', () => {
  it('make the same bytes as the serving thread, for every statement in every format', async () => {
    // The same database served by an app that makes statements on its serving thread.
    const here = await buildApp(
      { logLevel: 'silent', requestTimeoutMs: 30_000 },
      {
        database: h.db.database,
        pdf: createPdfRenderer(0),
      },
    );
    try {
      await here.ready();
      const [first, second] = await demoPools();
      const urls = [
        `/v1/coops/${demo.coopId}/statements/holders/${demo.holder.memberId}?from=${from}&to=${today}&lang=cy`,
        `/v1/coops/${demo.coopId}/statements/pools/${defined(first, 'a pool').id}?from=${from}&to=${today}&lang=en`,
        `/v1/coops/${demo.coopId}/statements/pools/${defined(second, 'a second pool').id}?from=${from}&to=${today}&lang=cy`,
        `/v1/local-authorities/${demo.laOfficer.laId}/statements?coopId=${demo.coopId}&from=${from}&to=${today}&lang=cy`,
        `/v1/local-authorities/${demo.laOfficer.laId}/statements?coopId=${demo.coopId}&from=${from}&to=${today}&lang=en`,
      ];
      for (const url of urls) {
        for (const format of ['json', 'csv', 'pdf']) {
          const threaded = await h.call('GET', `${url}&format=${format}`, { token: demo.treasurer });
          expect(threaded.status, `${url} ${format}`).toBe(200);
          const onServingThread = await here.inject({
            method: 'GET',
            url: `${url}&format=${format}`,
            headers: { authorization: `Bearer ${demo.treasurer}` },
          });
          expect(onServingThread.rawPayload.equals(threaded.raw), `${url} as ${format}`).toBe(true);
        }
      }
      // Across every co-op (an officer's), compared by the SHA-256 of a HEAD, which issues nothing.
      const everyCoop = `/v1/local-authorities/${demo.laOfficer.laId}/statements?from=${from}&to=${today}`;
      for (const format of ['json', 'csv', 'pdf']) {
        const threaded = await h.call('HEAD', `${everyCoop}&format=${format}`, { token: demo.laOfficer.token });
        expect(threaded.status).toBe(200);
        const onServingThread = await here.inject({
          method: 'HEAD',
          url: `${everyCoop}&format=${format}`,
          headers: { authorization: `Bearer ${demo.laOfficer.token}` },
        });
        expect(onServingThread.headers['x-statement-sha256']).toBe(threaded.headers['x-statement-sha256']);
      }
    } finally {
      await here.close();
    }
  });
});

describe('tables in the demo statements', () => {
  it('draw every figure on one line and break headers only between words, in English and Welsh', async () => {
    const pools = await demoPools();
    const urls = [
      `/v1/coops/${demo.coopId}/statements/holders/${demo.holder.memberId}?from=${from}&to=${today}`,
      ...pools.map((p) => `/v1/coops/${demo.coopId}/statements/pools/${p.id}?from=${from}&to=${today}`),
      `/v1/local-authorities/${demo.laOfficer.laId}/statements?coopId=${demo.coopId}&from=${from}&to=${today}`,
    ];
    for (const language of ['en', 'cy'] as const) {
      // Every header a statement's tables may have, in this language.
      const wording = WORDING[language];
      const headers = new Set([
        ...Object.values(wording.pdf),
        wording.funds,
        ...pools.flatMap((p) => {
          const name = language === 'cy' ? (p.nameCy ?? p.name) : p.name;
          return [
            fill(wording.poolShare, { pool: name }),
            fill(wording.pdf.inOrOutOf, { account: fill(wording.poolShare, { pool: name }) }),
          ];
        }),
      ]);
      for (const url of urls) {
        const pdf = await h.call('GET', `${url}&format=pdf&lang=${language}`, { token: demo.treasurer });
        expect(pdf.status).toBe(200);
        const cells = allCells(await pdfPages(pdf.raw));
        expect(cells.length).toBeGreaterThan(10);
        for (const cell of cells) {
          if (FIGURE.test(cell.lines.join(''))) expect(cell.lines, `${url}: ${cell.lines.join('')}`).toHaveLength(1);
          if (cell.role === 'TH')
            expect(headers, `${url}: header "${cell.lines.join(' ')}"`).toContain(cell.lines.join(' '));
        }
      }
    }
  });
});
