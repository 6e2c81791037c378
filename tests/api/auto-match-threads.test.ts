import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app';
import {
  type AutoMatch,
  type MatchableEntry,
  type MatchableLine,
  autoMatch,
} from '../../src/domain/reconciliation/auto-match';
import { penniesOf } from '../../src/domain/money';
import { RECONCILIATION_WORKER_DEFAULTS } from '../../src/workers/limits';
import { createReconciliationWorkers } from '../../src/workers/reconciliation-workers';
import type { AutoMatchResult, Receipt } from '../support/api';
import { type HolderFixture, createHolder } from '../support/fixtures';
import { callApp } from '../support/harness';
import { Problem, problemType } from '../support/problems';
import { useHarness } from '../support/use-harness';

/**
 * POST /reconciliation/auto runs the matcher on an auto-match thread: what it stores and answers is what the
 * domain's matcher gives, run here, for the same unmatched lines and entries (read here with SQL of the test's own).
 * The ledger has receipts, most on a few amounts over a few days (so lines have several candidates), most lines
 * quoting a reference, and receipts reversed that no bank line shows (contras).
 */
const { h, coop } = useHarness();
const holders: HolderFixture[] = [];
const c = () => `/v1/coops/${coop.coopId}`;
const day = (n: number) => new Date(Date.UTC(2026, 9, 1 + n)).toISOString().slice(0, 10);
const AMOUNTS = ['50.00', '75.00', '100.00', '125.00'];

beforeAll(async () => {
  for (let i = 0; i < 3; i += 1) holders.push(await createHolder(h, coop));
  let seed = 7;
  const next = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const lines: string[] = [];
  for (let i = 0; i < 48; i += 1) {
    const holder = holders[i % 3]!;
    // One in four on an amount of its own, so a line that quotes nothing can still be matched by amount and date.
    const amount = i % 4 === 0 ? `${300 + i}.00` : AMOUNTS[next(AMOUNTS.length)]!;
    const on = next(12);
    const res = await h.call<Receipt>('POST', `${c()}/receipts`, {
      token: coop.treasurerToken,
      body: { memberId: holder.memberId, amount, receivedOn: day(on), reference: `REF-${i}` },
    });
    expect(res.status).toBe(201);
    if (i % 16 === 4) {
      const reversal = await h.call('POST', `${c()}/entries/${res.body.entryId}/reversal`, {
        token: coop.treasurerToken,
        body: { reason: 'Recorded twice', valueDate: day(14) },
      });
      expect(reversal.status).toBe(201);
      continue;
    }
    if (i % 11 === 3) continue; // the bank never shows it
    const text = i % 3 === 0 ? 'BANK GIRO CREDIT' : i % 3 === 1 ? `DP REF-${i}` : `COUNCIL DP ${holder.laReference}`;
    lines.push(`${day(on + next(3))},${text},${amount}`);
  }
  lines.push(`${day(4)},UNKNOWN CREDIT,33.00`, `${day(6)},SERVICE CHARGE,-7.50`);
  lines.sort();
  const res = await h.call(
    'POST',
    `${c()}/bank-statements?format=csv&dateColumn=Date&dateFormat=YYYY-MM-DD&descriptionColumn=Details&amountColumn=Amount`,
    {
      token: coop.treasurerToken,
      rawBody: ['Date,Details,Amount', ...lines].join('\n'),
      headers: { 'content-type': 'text/csv' },
    },
  );
  expect(res.status).toBe(201);
}, 120_000);

/** The co-op's unmatched lines and bank-moving entries, with the references a line may quote. */
async function unmatched(): Promise<{ lines: MatchableLine[]; entries: MatchableEntry[] }> {
  const lineRows = await h.db.rows<{ id: string; postedOn: string; amount: string; description: string }>(sql`
    select id, posted_on::text as "postedOn", amount::text as amount, description from bank_lines
     where coop_id = ${coop.coopId}::uuid and id not in (select bank_line_id from match_bank_lines)`);
  const rows = await h.db.rows<{
    id: string;
    valueDate: string;
    amount: string;
    reversesEntryId: string | null;
    reference: string | null;
    laReference: string | null;
  }>(sql`
    select e.id, e.value_date::text as "valueDate", sum(p.amount)::text as amount, e.reverses_entry_id as "reversesEntryId",
           e.reference,
           (select m.la_reference from postings hp join members m on m.id = hp.member_id
             where hp.entry_id = e.id and e.kind = 'dp_receipt' limit 1) as "laReference"
      from journal_entries e
      join postings p on p.entry_id = e.id
      join accounts a on a.id = p.account_id and a.kind = 'bank'
     where e.coop_id = ${coop.coopId}::uuid and e.id not in (select entry_id from match_entries)
     group by e.id
    having sum(p.amount) <> 0`);
  const lines: MatchableLine[] = lineRows.map((l) => ({ ...l, amount: penniesOf(l.amount) }));
  const entries: MatchableEntry[] = rows.map(({ reference, laReference, amount, ...entry }) => ({
    ...entry,
    amount: penniesOf(amount),
    references: [reference, laReference].filter((r): r is string => r !== null && r !== ''),
  }));
  return { lines, entries };
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const keyOf = (m: Pick<AutoMatch, 'method' | 'lineIds' | 'entryIds'>) =>
  `${m.method}:${[...m.lineIds].sort(byText).join(',')}|${[...m.entryIds].sort(byText).join(',')}`;

async function storedMatchKeys(): Promise<string[]> {
  const rows = await h.db.rows<{ method: string; lineIds: string[] | null; entryIds: string[] | null }>(sql`
    select m.method,
           (select json_agg(l.bank_line_id) from match_bank_lines l where l.match_id = m.id) as "lineIds",
           (select json_agg(e.entry_id) from match_entries e where e.match_id = m.id) as "entryIds"
      from reconciliation_matches m where m.coop_id = ${coop.coopId}::uuid`);
  return rows
    .map((r) =>
      keyOf({ method: r.method as AutoMatch['method'], lineIds: r.lineIds ?? [], entryIds: r.entryIds ?? [] }),
    )
    .sort(byText);
}

describe('auto-matching on a thread', () => {
  it('refuses, matching nothing, when the matcher runs over its time limit', async () => {
    const app = await buildApp(
      { logLevel: 'silent', requestTimeoutMs: 60_000 },
      {
        database: h.db.database,
        reconciliationWorkers: createReconciliationWorkers({
          ...RECONCILIATION_WORKER_DEFAULTS,
          autoMatch: { threads: 1, timeoutMs: 1, memoryMb: 1024 },
        }),
      },
    );
    try {
      const res = await callApp(app, 'POST', `${c()}/reconciliation/auto`, { token: coop.treasurerToken });
      expect(res.status).toBe(422);
      const problem = res.json(Problem);
      expect(problem).toMatchObject({ type: problemType('unprocessable'), limit: 'time', timeoutMs: 1 });
      expect(problem.detail).toContain('took longer than the 0.001 s it may take');
      expect(await storedMatchKeys()).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it("stores and answers exactly the domain matcher's matches and suggestions for the same lines and entries", async () => {
    const { lines, entries } = await unmatched();
    const expected = autoMatch(lines, entries, 3);
    const count = (method: AutoMatch['method']) => expected.matches.filter((m) => m.method === method).length;
    // The ledger exercises every pass and leaves something to choose.
    expect([count('reference'), count('amount_date'), count('contra')].every((n) => n > 0)).toBe(true);
    expect(expected.suggestions.length).toBeGreaterThan(0);

    const res = await h.call<AutoMatchResult>('POST', `${c()}/reconciliation/auto?windowDays=3`, {
      token: coop.treasurerToken,
    });
    expect(res.status).toBe(200);
    const matchedLines = expected.matches.reduce((n, m) => n + m.lineIds.length, 0);
    const matchedEntries = expected.matches.reduce((n, m) => n + m.entryIds.length, 0);
    expect(res.body).toMatchObject({
      windowDays: 3,
      matched: { byReference: count('reference'), byAmountAndDate: count('amount_date'), contra: count('contra') },
      unmatchedBankLines: lines.length - matchedLines,
      unmatchedEntries: entries.length - matchedEntries,
      suggestionCount: expected.suggestions.length,
    });
    const suggestionKeys = (list: { lineId: string; entryIds: string[] }[]) =>
      list.map((s) => `${s.lineId}:${s.entryIds.join(',')}`).sort(byText);
    expect(suggestionKeys(res.body.suggestions.map((s) => ({ lineId: s.bankLineId, entryIds: s.entryIds })))).toEqual(
      suggestionKeys(expected.suggestions),
    );
    expect(await storedMatchKeys()).toEqual(expected.matches.map(keyOf).sort(byText));
  });

  it('finds nothing new when run again', async () => {
    const before = await storedMatchKeys();
    const res = await h.call<AutoMatchResult>('POST', `${c()}/reconciliation/auto?windowDays=3`, {
      token: coop.treasurerToken,
    });
    expect(res.status).toBe(200);
    expect(res.body.matched).toEqual({ byReference: 0, byAmountAndDate: 0, contra: 0 });
    expect(await storedMatchKeys()).toEqual(before);
  });
});
