import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CSV_PRESETS } from '../../src/domain/bank-files/csv-presets';
import { Problem, problemType } from '../support/problems';
import { useHarness } from '../support/use-harness';

/** Uploads and previews as a treasurer sends them: the file as it came from the bank, unedited. */
const { h, coop } = useHarness();
const c = () => `/v1/coops/${coop.coopId}`;
const send = (path: string, body: string | Buffer, query: string, contentType = 'text/csv') =>
  h.call('POST', `${c()}${path}?${query}`, {
    token: coop.treasurerToken,
    rawBody: body,
    headers: { 'content-type': contentType },
  });
const Statement = z.looseObject({ layout: z.string(), lineCount: z.number(), skippedCount: z.number() });
const Preview = z.looseObject({
  layout: z.string().optional(),
  lines: z.array(z.looseObject({ postedOn: z.string(), amount: z.string(), description: z.string() })).optional(),
  problem: z.looseObject({ line: z.number().nullable(), reason: z.string() }).nullable(),
});

const storedStatements = async () =>
  h.db.rows<{ n: number }>(sql`select count(*)::int as n from bank_statements where coop_id = ${coop.coopId}::uuid`);

const NATIONWIDE = [
  '"Account Name:","Business Current ****45678"',
  '"Account Balance:","£1,782.60"',
  '',
  `"${CSV_PRESETS.nationwide.sampleHeader.split(',').join('","')}"`,
  '"01 Oct 2026","Bank credit","WREXHAM CBC DP Môn","","£1,842.60","£1,842.60"',
  '"05 Oct 2026","Direct debit","CAFFI\'R LLAN, OCT","£60.00","","£1,782.60"',
  '"","","","","",""',
].join('\r\n');

describe('a bank export uploaded unedited', () => {
  it('previews how it reads, recognising the bank, and stores nothing', async () => {
    const before = await storedStatements();
    const res = await send('/bank-statements/preview', Buffer.from(NATIONWIDE, 'latin1'), 'format=csv');
    expect(res.status).toBe(200);
    const preview = res.json(Preview);
    expect(preview).toMatchObject({ layout: 'nationwide', encoding: 'windows-1252', problem: null, skippedCount: 1 });
    expect(preview.lines?.map((l) => [l.postedOn, l.amount, l.description])).toEqual([
      ['2026-10-01', '1842.60', 'WREXHAM CBC DP Môn'],
      ['2026-10-05', '-60.00', "CAFFI'R LLAN, OCT"],
    ]);
    expect(await storedStatements()).toEqual(before);
  });

  it('previews a file it would refuse with the line and the reason, answering 200 and storing nothing', async () => {
    const broken = NATIONWIDE.replace('05 Oct 2026', '31 Sep 2026');
    const res = await send('/bank-statements/preview', broken, 'format=csv');
    expect(res.status).toBe(200);
    expect(res.json(Preview).problem).toMatchObject({ line: 6, reason: '"31 Sep 2026" is not a real date' });
  });

  it('imports with format=csv alone, saying which layout it took; the same file again is refused', async () => {
    const res = await send('/bank-statements', NATIONWIDE, 'format=csv');
    expect(res.status).toBe(201);
    expect(res.json(Statement)).toMatchObject({ layout: 'nationwide', lineCount: 2, skippedCount: 1 });
    const again = await send('/bank-statements', NATIONWIDE, 'format=csv&preset=nationwide');
    expect(again.status).toBe(409);
    expect(again.json(Problem)).toMatchObject({
      type: problemType('duplicate'),
      statementId: res.json(Statement)['id'],
    });
  });

  it('lists every import and every bank line, by import and by whether it is matched', async () => {
    const imports = await h.call('GET', `${c()}/bank-statements`, { token: coop.treasurerToken });
    expect(imports.status).toBe(200);
    const items = z.object({ items: z.array(z.looseObject({ id: z.string() })) }).parse(imports.json()).items;
    expect(items.at(-1)).toMatchObject({
      layout: 'nationwide',
      from: '2026-10-01',
      to: '2026-10-05',
      lineCount: 2,
      importedCount: 2,
      matchedCount: 0,
      closingBalance: '1782.60',
      importedBy: expect.any(String),
    });
    const lines = (query: string) =>
      h
        .call('GET', `${c()}/bank-lines?${query}`, { token: coop.treasurerToken })
        .then((res) => z.object({ items: z.array(z.looseObject({ amount: z.string() })) }).parse(res.json()).items);
    const statementId = items.at(-1)!.id;
    expect((await lines(`statementId=${statementId}`)).map((l) => [l.amount, l['matchId']])).toEqual([
      ['1842.60', null],
      ['-60.00', null],
    ]);
    expect(await lines(`statementId=${statementId}&matched=true`)).toEqual([]);
    expect(await lines(`statementId=${statementId}&from=2026-10-02`)).toHaveLength(1);
    expect(await lines(`statementId=${crypto.randomUUID()}`)).toEqual([]);

    // Two lines that cancel out, matched by hand: listed as matched, with their match.
    const pair = 'Date,Details,Amount\n06/10/2026,REFUND IN,3.21\n06/10/2026,REFUND OUT,-3.21\n';
    const mapping = 'format=csv&dateColumn=Date&dateFormat=DD/MM/YYYY&descriptionColumn=Details&amountColumn=Amount';
    const imported = await send('/bank-statements', pair, mapping);
    expect(imported.status).toBe(201);
    const pairId = imported.json(Statement)['id'];
    const both = await lines(`statementId=${String(pairId)}`);
    const match = await h.call('POST', `${c()}/reconciliation/matches`, {
      token: coop.treasurerToken,
      body: { bankLineIds: both.map((l) => l['id']) },
    });
    expect(match.status).toBe(201);
    const matchId = z.object({ id: z.string() }).parse(match.json()).id;
    expect((await lines(`statementId=${String(pairId)}&matched=true`)).map((l) => l['matchId'])).toEqual([
      matchId,
      matchId,
    ]);
    expect(await lines(`statementId=${String(pairId)}&matched=false`)).toEqual([]);
    const listed = await h.call('GET', `${c()}/bank-statements`, { token: coop.treasurerToken });
    expect(JSON.stringify(listed.json())).toContain(`"id":"${String(pairId)}"`);
    expect(
      z
        .object({ items: z.array(z.looseObject({ id: z.string(), matchedCount: z.number() })) })
        .parse(listed.json())
        .items.find((i) => i.id === pairId)?.matchedCount,
    ).toBe(2);
  });

  it('refuses a workbook, a form upload and an unknown type plainly, naming what to send', async () => {
    const workbook = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]);
    const excel = await send('/bank-statements', workbook, 'format=csv', 'application/vnd.ms-excel');
    expect(excel.status).toBe(422);
    expect(excel.json(Problem).reason).toBe(
      "it looks like an Excel workbook: export it as CSV from your bank's website",
    );
    expect(excel.text.length).toBeLessThan(400);
    const form = await send('/bank-statements', NATIONWIDE, 'format=csv', 'multipart/form-data; boundary=x');
    expect(form.status).toBe(415);
    expect(form.json(Problem).detail).toMatch(
      /^Send the file itself as the body, not a form upload: use one of text\/csv/,
    );
    const xml = await send('/bank-statements', '<OFX></OFX>', 'format=ofx', 'text/xml');
    expect(xml.status).toBe(422);
    expect(xml.json(Problem).type).toBe(problemType('invalid-bank-file'));
  });

  it('names the size limit in a 413', async () => {
    const res = await send('/bank-statements', 'x'.repeat(21 * 1024 * 1024), 'format=csv');
    expect(res.status).toBe(413);
    expect(res.json(Problem)).toMatchObject({ limitBytes: 20 * 1024 * 1024 });
    expect(res.json(Problem).detail).toContain('20 MB');
  });
});
