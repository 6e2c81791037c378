import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { BankStatement } from '../support/api';
import { Problem, problemType } from '../support/problems';
import { useHarness } from '../support/use-harness';

/**
 * Random and mangled bank files at the upload route, in every layout: the answer is 201 or a 422 problem naming
 * why, never a 5xx, and a refused file imports nothing.
 */
const { h, coop } = useHarness();

const LAYOUTS = [
  'format=csv&preset=lloyds',
  'format=csv&preset=natwest',
  'format=csv&preset=barclays',
  'format=csv&dateColumn=Date&dateFormat=DD/MM/YYYY&descriptionColumn=Details&amountColumn=Amount&balanceColumn=Balance',
  'format=csv&headerRow=false&dateColumn=1&dateFormat=YYYY-MM-DD&descriptionColumn=2&paidInColumn=3&paidOutColumn=4',
  'format=ofx',
];

const VALID_NATWEST = [
  'Date,Type,Description,Value,Balance,Account Name,Account Number',
  '03/10/2026,BAC,"GOFAL CYMUNEDOL CYF, INV 7",-120.00,380.00,CWMNI GOFAL,30-00-00 12345678',
  '01/10/2026,BAC,WREXHAM CBC DP WXM-0001,500.00,500.00,CWMNI GOFAL,30-00-00 12345678',
].join('\n');

const fileText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 400 }),
  fc.string({ unit: 'binary', maxLength: 400 }),
  fc
    .array(
      fc.array(
        fc.oneof(
          fc.string({ maxLength: 12 }),
          fc.constantFrom('01/10/2026', '2026-10-01', '-1.00', '£1,000.00', '(5.00)', '"', '<STMTTRN>', '<OFX>'),
        ),
        { maxLength: 8 },
      ),
      { maxLength: 12 },
    )
    .map((rows) => rows.map((r) => r.join(',')).join('\n')),
  // A valid export with one character changed, dropped or repeated.
  fc
    .tuple(fc.nat({ max: VALID_NATWEST.length - 1 }), fc.constantFrom('', ',', '"', '9', 'x', '\n', '-', '.'))
    .map(([at, insert]) => VALID_NATWEST.slice(0, at) + insert + VALID_NATWEST.slice(at + 1)),
);

async function lineCount(): Promise<number> {
  const row = await h.db.one<{ n: number }>(
    sql`select count(*)::int as n from bank_lines where coop_id = ${coop.coopId}::uuid`,
  );
  return row.n;
}

/** Why a random file may be refused: it is not a readable bank file, or the layout's query does not fit it. */
const REFUSALS = [problemType('invalid-bank-file'), problemType('unprocessable'), problemType('validation-error')];

describe('random bank files', () => {
  it.each(LAYOUTS)(
    '%s: 201 or a 422 that names the problem, never a 5xx, and a refusal imports nothing',
    async (query) => {
      await fc.assert(
        fc.asyncProperty(fileText, async (text) => {
          const before = await lineCount();
          const res = await h.call<BankStatement>('POST', `/v1/coops/${coop.coopId}/bank-statements?${query}`, {
            token: coop.treasurerToken,
            rawBody: text,
            headers: { 'content-type': 'text/csv' },
          });
          const where = `${query} ${JSON.stringify(text.slice(0, 200))} -> ${res.status} ${res.text.slice(0, 300)}`;
          expect([201, 409, 422], where).toContain(res.status);
          if (res.status === 409) {
            // The same random file twice (fast-check repeats small ones): refused as imported before.
            expect(res.json(Problem).type, where).toBe(problemType('duplicate'));
            expect(await lineCount(), where).toBe(before);
          } else if (res.status === 422) {
            expect(REFUSALS, where).toContain(res.json(Problem).type);
            expect(res.text, where).not.toMatch(/\n\s+at |\.(ts|js):\d+/);
            expect(await lineCount(), where).toBe(before);
          } else {
            expect(await lineCount(), where).toBe(before + res.body.importedCount);
          }
        }),
        { numRuns: 40 },
      );
    },
  );

  it.each(LAYOUTS)(
    '%s: a preview answers 200 (or 422 for a query that describes no layout) and stores nothing',
    async (query) => {
      await fc.assert(
        fc.asyncProperty(fileText, async (text) => {
          const before = await lineCount();
          const res = await h.call('POST', `/v1/coops/${coop.coopId}/bank-statements/preview?${query}`, {
            token: coop.treasurerToken,
            rawBody: text,
            headers: { 'content-type': 'text/csv' },
          });
          const where = `${query} ${JSON.stringify(text.slice(0, 200))} -> ${res.status} ${res.text.slice(0, 300)}`;
          expect([200, 422], where).toContain(res.status);
          if (res.status === 422) expect(REFUSALS, where).toContain(res.json(Problem).type);
          expect(res.text, where).not.toMatch(/\n\s+at |\.(ts|js):\d+/);
          expect(await lineCount(), where).toBe(before);
        }),
        { numRuns: 20 },
      );
    },
  );
});
