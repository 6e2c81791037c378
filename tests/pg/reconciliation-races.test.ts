import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CoopFixture,
  type HolderFixture,
  createCoop,
  createHolder,
  expectLedgerConsistent,
} from '../support/fixtures';
import type { AutoMatchResult, Period, Receipt, ReconciliationSummary } from '../support/api';
import { defined } from '../support/assert';
import { type TypedHarness, createHarness } from '../support/harness';
import { Problem } from '../support/problems';

/**
 * Reconciliation races on a real PostgreSQL server: a close racing postings into the period it closes, auto-match
 * runs racing each other, and manual matches racing for one bank line.
 */
let h: TypedHarness;
let coop: CoopFixture;
let holder: HolderFixture;
const c = () => `/v1/coops/${coop.coopId}`;

function receipt(amount: string, receivedOn: string, reference: string) {
  return h.call<Receipt>('POST', `${c()}/receipts`, {
    token: coop.treasurerToken,
    body: { memberId: holder.memberId, amount, receivedOn, reference },
  });
}

function upload(lines: string[]) {
  const text = ['Date,Details,Amount', ...lines].join('\n');
  return h.call(
    'POST',
    `${c()}/bank-statements?format=csv&dateColumn=Date&dateFormat=YYYY-MM-DD&descriptionColumn=Details&amountColumn=Amount`,
    {
      token: coop.treasurerToken,
      rawBody: text,
      headers: { 'content-type': 'text/csv' },
    },
  );
}

beforeAll(async () => {
  expect(process.env.TEST_DATABASE_URL, 'tests/pg runs only against a PostgreSQL server').toBeTruthy();
  h = await createHarness();
  expect(h.db.kind).toBe('postgres');
  coop = await createCoop(h);
  holder = await createHolder(h, coop);
});
afterAll(async () => h.close());

describe('a close racing postings into its period', () => {
  it('lets nothing into the period after the close has measured it', async () => {
    const racing = Array.from({ length: 30 }, (_, i) => receipt('1.00', '2026-09-15', `RACE-${i}`));
    const close = h.call<Period>('POST', `${c()}/periods/close`, {
      token: coop.treasurerToken,
      body: { through: '2026-09-30', force: true, reason: 'Race test' },
    });
    const [closed, receipts] = await Promise.all([close, Promise.all(racing)]);
    expect(closed.status).toBe(201);
    const statuses = receipts.map((r) => r.status);
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    for (const refused of receipts.filter((r) => r.status === 409))
      expect(refused.json(Problem).closedThrough).toBe('2026-09-30');
    // The close recorded the ledger's bank balance through its date; nothing posted since may have changed it.
    const now = await h.db.one<{ balance: string }>(sql`
      select coalesce(sum(p.amount), 0)::text as balance from postings p join accounts a on a.id = p.account_id join journal_entries e on e.id = p.entry_id
       where a.coop_id = ${coop.coopId}::uuid and a.kind = 'bank' and e.value_date <= '2026-09-30'`);
    expect(now.balance).toBe(closed.body.ledgerBankBalance);
    expect(Number(now.balance)).toBe(statuses.filter((s) => s === 201).length);
    await expectLedgerConsistent(h);
  });
});

describe('auto-match runs racing each other', () => {
  it('match every line exactly once between them', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 40; i += 1) {
      const amount = `${10 + i}.00`;
      expect((await receipt(amount, '2026-10-05', `AUTO-${i}`)).status).toBe(201);
      lines.push(`2026-10-06,BACS AUTO-${i},${amount}`);
    }
    expect((await upload(lines)).status).toBe(201);
    const runs = await Promise.all(
      Array.from({ length: 6 }, () =>
        h.call<AutoMatchResult>('POST', `${c()}/reconciliation/auto`, { token: coop.treasurerToken }),
      ),
    );
    expect(runs.map((r) => r.status)).toEqual(Array(6).fill(200));
    const matched = runs.reduce((n, r) => n + r.body.matched.byReference + r.body.matched.byAmountAndDate, 0);
    expect(matched).toBe(40);
    const counts = await h.db.one<{ lines: number; distinct: number }>(sql`
      select count(*)::int as lines, count(distinct bank_line_id)::int as distinct from match_bank_lines where coop_id = ${coop.coopId}::uuid`);
    expect(counts).toEqual({ lines: 40, distinct: 40 });
  });
});

describe('manual matches racing for one bank line', () => {
  it('one wins and the others are told the line is taken', async () => {
    expect(
      (await upload(['2026-10-20,CANCEL IN,7.77', '2026-10-20,CANCEL OUT,-7.77', '2026-10-20,OTHER OUT,-7.77'])).status,
    ).toBe(201);
    const summary = await h.call<ReconciliationSummary>('GET', `${c()}/reconciliation?asOf=2026-10-31`, {
      token: coop.treasurerToken,
    });
    const idOf = (d: string) =>
      defined(
        summary.body.unmatchedBankLines.find((l) => l.description === d),
        `the unmatched line "${d}"`,
      ).id;
    const attempts = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        h.call('POST', `${c()}/reconciliation/matches`, {
          token: coop.treasurerToken,
          body: { bankLineIds: [idOf('CANCEL IN'), idOf(i % 2 === 0 ? 'CANCEL OUT' : 'OTHER OUT')] },
        }),
      ),
    );
    const statuses = attempts.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(9);
  });
});
