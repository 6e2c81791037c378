import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app';
import { CSV_PRESETS } from '../../src/domain/bank-files/csv-presets';
import { RECONCILIATION_WORKER_DEFAULTS } from '../../src/workers/limits';
import { type ReconciliationWorkers, createReconciliationWorkers } from '../../src/workers/reconciliation-workers';
import { type CoopFixture, type HolderFixture, createCoop, createHolder, receive } from '../support/fixtures';
import type { MemberBalance } from '../support/api';
import { type TypedHarness, createHarness } from '../support/harness';

/**
 * One co-op's large import does not hold up another co-op on a real PostgreSQL server: while co-op A's file is
 * read, and then while its lines are written (in one transaction, nothing visible until it commits), co-op B's
 * balance is answered.
 */
let h: TypedHarness;
let app: FastifyInstance;
let a: CoopFixture;
let b: CoopFixture;
let holder: HolderFixture;
const real = createReconciliationWorkers(RECONCILIATION_WORKER_DEFAULTS);
const events = { readStarted: () => {}, readFinished: () => {} };
const watched: ReconciliationWorkers = {
  readBankFile: (task) => {
    events.readStarted();
    return real.readBankFile(task).finally(() => events.readFinished());
  },
  autoMatch: (task) => real.autoMatch(task),
  close: () => real.close(),
};

beforeAll(async () => {
  expect(process.env.TEST_DATABASE_URL, 'tests/pg runs only against a PostgreSQL server').toBeTruthy();
  h = await createHarness();
  expect(h.db.kind).toBe('postgres');
  app = await buildApp(
    { logLevel: 'silent', requestTimeoutMs: 60_000 },
    { database: h.db.database, reconciliationWorkers: watched },
  );
  await app.ready();
  a = await createCoop(h);
  b = await createCoop(h);
  holder = await createHolder(h, b);
  await receive(h, b, holder.memberId, '310.00');
});
afterAll(async () => {
  await app.close();
  await h.close();
});

/** A Lloyds export of `lines` receipts from New Year, a thousand a day, newest first, balances chaining. */
function lloydsExport(lines: number): string {
  const rows: string[] = [];
  let balancePence = 0;
  for (let i = 0; i < lines; i += 1) {
    const pence = 1000 + (i % 7000);
    balancePence += pence;
    const [year, month, day] = new Date(Date.UTC(2026, 0, 1 + Math.floor(i / 1000)))
      .toISOString()
      .slice(0, 10)
      .split('-');
    rows.push(
      `${day}/${month}/${year},BGC,'30-94-57,12345678,COUNCIL DP ISO-${i},,${(pence / 100).toFixed(2)},${(balancePence / 100).toFixed(2)}`,
    );
  }
  return [CSV_PRESETS.lloyds.sampleHeader, ...rows.reverse()].join('\n');
}

async function balanceOfB(): Promise<string> {
  const res = await h.call<MemberBalance>('GET', `/v1/coops/${b.coopId}/members/${holder.memberId}/balance`, {
    token: b.treasurerToken,
  });
  expect(res.status).toBe(200);
  return res.body.funds;
}

async function linesOfA(): Promise<number> {
  const row = await h.db.one<{ n: number }>(
    sql`select count(*)::int as n from bank_lines where coop_id = ${a.coopId}::uuid`,
  );
  return row.n;
}

describe("another co-op's reads while a large file is imported", () => {
  it('are answered while the file is read and while its lines are written, which appear all at once', async () => {
    const readStarted = new Promise<void>((resolve) => (events.readStarted = resolve));
    const readFinished = new Promise<void>((resolve) => (events.readFinished = resolve));
    let read = false;
    void readFinished.then(() => (read = true));
    const importing = app.inject({
      method: 'POST',
      url: `/v1/coops/${a.coopId}/bank-statements?format=csv&preset=lloyds`,
      headers: { authorization: `Bearer ${a.treasurerToken}`, 'content-type': 'text/csv' },
      payload: lloydsExport(100_000),
    });
    let settled = false;
    void importing.then(() => (settled = true));

    await readStarted;
    expect(await balanceOfB()).toBe('310.00');
    expect(read).toBe(false);

    await readFinished;
    // The import's transaction is writing 100,000 lines now: B is answered meanwhile, and A's lines are not yet
    // visible to anyone.
    expect(await balanceOfB()).toBe('310.00');
    expect(await linesOfA()).toBe(0);
    expect(settled).toBe(false);

    const res = await importing;
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ lineCount: 100_000, importedCount: 100_000, duplicatesSkipped: 0 });
    expect(await linesOfA()).toBe(100_000);
  });
});
