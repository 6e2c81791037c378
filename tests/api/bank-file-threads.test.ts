import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app';
import type { BankFile } from '../../src/domain/bank-files/bank-file';
import { readCsvBankFile } from '../../src/domain/bank-files/csv-file';
import type { CsvLayout } from '../../src/domain/bank-files/csv-layouts';
import { CSV_PRESETS } from '../../src/domain/bank-files/csv-presets';
import { decodeBankFile } from '../../src/domain/bank-files/decode';
import { readOfxBankFile } from '../../src/domain/bank-files/ofx-file';
import { dedupeKeysOf } from '../../src/domain/bank-files/statement-order';
import { formatMoney, parseMoney } from '../../src/domain/money';
import { RECONCILIATION_WORKER_DEFAULTS } from '../../src/workers/limits';
import { type ReconciliationWorkers, createReconciliationWorkers } from '../../src/workers/reconciliation-workers';
import { type CoopFixture, createCoop, createHolder, receive } from '../support/fixtures';
import { type TypedHarness, createHarness } from '../support/harness';
import { problemType } from '../support/problems';

/**
 * Bank files are read on a bank-file thread: the serving thread answers other requests while a large file is read,
 * and what is stored (every line, its dedupe key, the counts) is exactly what reading the file on the serving
 * thread with the same domain functions gives.
 */
let h: TypedHarness;
let app: FastifyInstance;
const real = createReconciliationWorkers(RECONCILIATION_WORKER_DEFAULTS);
/** Set while a file is on a bank-file thread; resolved when one is handed to it. */
let reading: { started: () => void; finished: boolean } | null = null;
const watched: ReconciliationWorkers = {
  readBankFile: (task) => {
    const current = reading;
    current?.started();
    return real.readBankFile(task).finally(() => {
      if (current) current.finished = true;
    });
  },
  autoMatch: (task) => real.autoMatch(task),
  close: () => real.close(),
};

beforeAll(async () => {
  h = await createHarness();
  app = await buildApp(
    { logLevel: 'silent', requestTimeoutMs: 60_000 },
    { database: h.db.database, reconciliationWorkers: watched },
  );
  await app.ready();
});
afterAll(async () => {
  await app.close();
  await h.close();
});

function upload(coop: CoopFixture, body: string | Buffer, query: string, type = 'text/csv') {
  return app.inject({
    method: 'POST',
    url: `/v1/coops/${coop.coopId}/bank-statements?${query}`,
    headers: { authorization: `Bearer ${coop.treasurerToken}`, 'content-type': type },
    payload: body,
  });
}

/**
 * A Lloyds export of lines `from` to `from + lines` of one account's history (a thousand receipts a day from New
 * Year), newest first as Lloyds writes it, balances chaining; a line is the same in every export that has it.
 */
function lloydsExport(lines: number, from = 0): string {
  const rows: string[] = [];
  let balancePence = 0;
  for (let i = 0; i < from + lines; i += 1) {
    const pence = 1000 + (i % 7000);
    balancePence += pence;
    const [year, month, day] = new Date(Date.UTC(2026, 0, 1 + Math.floor(i / 1000)))
      .toISOString()
      .slice(0, 10)
      .split('-');
    if (i >= from)
      rows.push(
        `${day}/${month}/${year},BGC,'30-94-57,12345678,COUNCIL DP T-${i},,${(pence / 100).toFixed(2)},${(balancePence / 100).toFixed(2)}`,
      );
  }
  return [CSV_PRESETS.lloyds.sampleHeader, ...rows.reverse()].join('\n');
}

describe('while a large file is read', () => {
  it("answers other requests, and another co-op's balance, before the file is read", async () => {
    const a = await createCoop(h);
    const b = await createCoop(h);
    const holder = await createHolder(h, b);
    await receive(h, b, holder.memberId, '250.00');
    let handedOver!: () => void;
    const started = new Promise<void>((resolve) => (handedOver = resolve));
    reading = { started: () => handedOver(), finished: false };
    const watch = reading;
    const importing = upload(a, lloydsExport(60_000), 'format=csv&preset=lloyds');
    let settled = false;
    void importing.then(() => (settled = true));

    await started;
    const health = await app.inject({ method: 'GET', url: '/health' });
    expect(health.statusCode).toBe(200);
    const balance = await app.inject({
      method: 'GET',
      url: `/v1/coops/${b.coopId}/members/${holder.memberId}/balance`,
      headers: { authorization: `Bearer ${b.treasurerToken}` },
    });
    expect(balance.statusCode).toBe(200);
    expect(balance.json().funds).toBe('250.00');
    expect(watch.finished).toBe(false);
    expect(settled).toBe(false);

    const res = await importing;
    reading = null;
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ lineCount: 60_000, importedCount: 60_000, duplicatesSkipped: 0 });
  });
});

const fixture = (name: string) => readFileSync(new URL(`../fixtures/bank/${name}`, import.meta.url));
const GENERIC: CsvLayout = {
  name: 'generic',
  headerRow: true,
  date: 'Date',
  dateFormats: ['DD/MM/YYYY'],
  description: ['Details'],
  amount: { paidIn: 'Paid in', paidOut: 'Paid out' },
  balance: 'Balance',
};

const FILES: { name: string; query: string; type: string; read: (text: string) => BankFile | Promise<BankFile> }[] = [
  {
    name: 'lloyds.csv',
    query: 'format=csv&preset=lloyds',
    type: 'text/csv',
    read: (text) => readCsvBankFile(text, CSV_PRESETS.lloyds.layout),
  },
  {
    name: 'natwest.csv',
    query: 'format=csv&preset=natwest',
    type: 'text/csv',
    read: (text) => readCsvBankFile(text, CSV_PRESETS.natwest.layout),
  },
  {
    name: 'barclays.csv',
    query: 'format=csv&preset=barclays&openingBalance=2000.00',
    type: 'text/csv',
    read: (text) => readCsvBankFile(text, CSV_PRESETS.barclays.layout, parseMoney('2000.00')),
  },
  {
    name: 'coop-generic.csv',
    query:
      'format=csv&dateColumn=Date&dateFormat=DD/MM/YYYY&descriptionColumn=Details&paidInColumn=Paid%20in&paidOutColumn=Paid%20out&balanceColumn=Balance',
    type: 'text/csv',
    read: (text) => readCsvBankFile(text, GENERIC),
  },
  { name: 'ofx1.ofx', query: 'format=ofx', type: 'application/x-ofx', read: (text) => readOfxBankFile(text) },
  { name: 'ofx2.ofx', query: 'format=ofx', type: 'application/x-ofx', read: (text) => readOfxBankFile(text) },
];

interface StoredLine {
  line_number: number;
  posted_on: string;
  description: string;
  amount: string;
  running_balance: string | null;
  bank_transaction_id: string | null;
  dedupe_key: string;
}

/** What an import stores for a file, as reading it on this thread with the domain's functions gives it. */
function expectedLines(file: BankFile): StoredLine[] {
  const keys = dedupeKeysOf(file.lines);
  return file.lines.map((line, i) => ({
    line_number: line.lineNumber,
    posted_on: line.postedOn,
    description: line.description,
    amount: formatMoney(line.amount),
    running_balance: line.runningBalance ? formatMoney(line.runningBalance) : null,
    bank_transaction_id: line.bankTransactionId,
    dedupe_key: keys[i]!,
  }));
}

/** The co-op's stored lines in the order they were written (ids are time-ordered). */
function storedLines(coop: CoopFixture) {
  return h.db.rows<StoredLine>(sql`
    select line_number, posted_on::text as posted_on, description, amount::text as amount,
           running_balance::text as running_balance, bank_transaction_id, dedupe_key
      from bank_lines where coop_id = ${coop.coopId}::uuid order by id`);
}

describe('reading on a thread stores what reading on the serving thread would', () => {
  it.each(FILES)('$name: every line, its key, the figures and the file hash', async ({ name, query, type, read }) => {
    const coop = await createCoop(h);
    const bytes = fixture(name);
    const file = await read(decodeBankFile(bytes));
    const res = await upload(coop, bytes, query, type);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      lineCount: file.lines.length,
      importedCount: file.lines.length,
      duplicatesSkipped: 0,
      from: file.lines[0]!.postedOn,
      to: file.lines[file.lines.length - 1]!.postedOn,
      openingBalance: file.openingBalance ? formatMoney(file.openingBalance) : null,
      closingBalance: file.closingBalance ? formatMoney(file.closingBalance) : null,
    });
    expect(await storedLines(coop)).toEqual(expectedLines(file));
    const [statement] = await h.db.rows<{ sha256: string; lines: number; skipped: number }>(sql`
      select file_sha256 as sha256, line_count as lines, duplicates_skipped as skipped
        from bank_statements where id = ${res.json().id}::uuid`);
    expect(statement).toEqual({
      sha256: createHash('sha256').update(bytes).digest('hex'),
      lines: file.lines.length,
      skipped: 0,
    });
  });

  it('skips, chunk by chunk, the lines an overlapping export already brought, and stores the rest', async () => {
    const coop = await createCoop(h);
    // The first 7,000 lines, then all 12,345: the first chunk of the second import is all known, the second partly,
    // the third not at all.
    const first = lloydsExport(7_000);
    expect((await upload(coop, first, 'format=csv&preset=lloyds')).statusCode).toBe(201);
    const whole = lloydsExport(12_345);
    const res = await upload(coop, whole, 'format=csv&preset=lloyds');
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ lineCount: 12_345, importedCount: 5_345, duplicatesSkipped: 7_000 });
    // The first export's lines as it gave them (its own line numbers), then the new ones, each in date order.
    const firstLines = expectedLines(readCsvBankFile(first, CSV_PRESETS.lloyds.layout));
    const known = new Set(firstLines.map((l) => l.dedupe_key));
    const newLines = expectedLines(readCsvBankFile(whole, CSV_PRESETS.lloyds.layout)).filter(
      (l) => !known.has(l.dedupe_key),
    );
    expect(newLines).toHaveLength(5_345);
    expect(await storedLines(coop)).toEqual([...firstLines, ...newLines]);
    const again = await upload(coop, `${whole}\n`, 'format=csv&preset=lloyds');
    expect(again.json()).toMatchObject({ lineCount: 12_345, importedCount: 0, duplicatesSkipped: 12_345 });
    expect(await storedLines(coop)).toHaveLength(12_345);
  });

  it('refuses a malformed file read on a thread just as before: 422, the line and the reason', async () => {
    const coop = await createCoop(h);
    const broken = lloydsExport(10).replace('01/01/2026', '31/09/2026');
    const res = await upload(coop, broken, 'format=csv&preset=lloyds');
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({
      type: problemType('invalid-bank-file'),
      line: 2,
      reason: '"31/09/2026" is not a real date',
    });
    expect(await storedLines(coop)).toEqual([]);
  });
});
