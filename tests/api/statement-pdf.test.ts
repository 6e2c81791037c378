import { createHash } from 'node:crypto';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoTokens, seedDemo } from '../../scripts/demo-seed';
import { pounds } from '../../src/domain/statements/wording';
import { createPdfRenderer } from '../../src/pdf/pdf-renderer';
import { WORDING } from '../../src/services/statements/wording';
import { type Harness, createHarness } from '../support/harness';

let h: Harness;
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
    const json = await h.call('GET', url, { token: demo.holder.token });
    const pdf = await h.call('GET', `${url}&format=pdf`, { token: demo.holder.token });
    expect(pdf.status).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.raw.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const pages = await pdfText(pdf.raw);
    const all = pages.join('\n');
    expect(all).toContain('Dafydd Tŷ-Gwyn');
    expect(all).toContain('Datganiad deiliad');
    expect(all).toContain('Balans cau');
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
    const json = await h.call('GET', url, { token: demo.laOfficer.token });
    const pdf = await h.call('GET', `${url}&format=pdf`, { token: demo.laOfficer.token });
    expect(pdf.status).toBe(200);
    const all = (await pdfText(pdf.raw)).join('\n');
    expect(all).toContain('Datganiad monitro awdurdod lleol');
    expect(all).toContain('Wrecsam');
    expect(all).toContain('Heb ei gysoni');
    for (const row of json.body.holders) expect(all).toContain(row.laReference);
    expect(all).toContain('Dafydd Tŷ-Gwyn');
    expect(all).toContain('Gwenllian Ŵyn');
    expect(all).toContain(pounds(json.body.totals.closing));
    const again = await h.call('GET', `${url}&format=pdf`, { token: demo.laOfficer.token });
    expect(again.headers['x-statement-sha256']).toBe(pdf.headers['x-statement-sha256']);
  });
});

describe('pool statement PDF', () => {
  it('shows every share and the closing total', async () => {
    const pools = (await h.call('GET', `/v1/coops/${demo.coopId}/pools`, { token: demo.treasurer })).body.items;
    const url = `/v1/coops/${demo.coopId}/statements/pools/${pools[0].id}?from=${from}&to=${today}`;
    const json = await h.call('GET', url, { token: demo.treasurer });
    const pdf = await h.call('GET', `${url}&format=pdf&lang=cy`, { token: demo.treasurer });
    expect(pdf.status).toBe(200);
    const all = (await pdfText(pdf.raw)).join('\n');
    expect(all).toContain('Datganiad cronfa');
    expect(all).toContain(pounds(json.body.totals.closing));
    for (const share of json.body.shares) expect(all).toContain(share.laReference);
  });
});

describe('render threads', () => {
  it('draw the same bytes as drawing on the serving thread, from the statement the JSON format gives', async () => {
    const pools = (await h.call('GET', `/v1/coops/${demo.coopId}/pools`, { token: demo.treasurer })).body.items;
    const cases = [
      {
        url: `/v1/coops/${demo.coopId}/statements/holders/${demo.holder.memberId}?from=${from}&to=${today}&lang=cy`,
        kind: 'holder' as const,
        language: 'cy' as const,
      },
      {
        url: `/v1/coops/${demo.coopId}/statements/pools/${pools[0].id}?from=${from}&to=${today}&lang=en`,
        kind: 'pool' as const,
        language: 'en' as const,
      },
      {
        url: `/v1/local-authorities/${demo.laOfficer.laId}/statements?coopId=${demo.coopId}&from=${from}&to=${today}&lang=cy`,
        kind: 'local_authority' as const,
        language: 'cy' as const,
      },
    ];
    const onThisThread = createPdfRenderer(0);
    for (const { url, kind, language } of cases) {
      const json = await h.call('GET', url, { token: demo.treasurer });
      const threaded = await h.call('GET', `${url}&format=pdf`, { token: demo.treasurer });
      expect(threaded.status).toBe(200);
      const wording = WORDING[language];
      const task =
        kind === 'pool' ? { kind, statement: json.body, wording, language } : { kind, statement: json.body, wording };
      const drawnHere = await onThisThread.render(task);
      expect(drawnHere.equals(threaded.raw), `${kind} statement`).toBe(true);
    }
  });
});
