import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Receipt, ReconciliationSummary } from '../support/api';
import { defined } from '../support/assert';
import { type HolderFixture, createHolder } from '../support/fixtures';
import { useHarness } from '../support/use-harness';

/**
 * GET /reconciliation on a co-op with more unmatched items than it shows: the counts are of everything unmatched
 * through `asOf`, the items shown are the first 500 of each side (oldest first, ties by id), and a shown line lists
 * its candidate entries (same amount, at most `windowDays` apart) when it has more than one.
 */
const { h, coop } = useHarness();
let holder: HolderFixture;
const c = () => `/v1/coops/${coop.coopId}`;
const AS_OF = '2026-02-28';
const ENTRIES = 505;
const LINES = 520;
const day = (n: number) => new Date(Date.UTC(2026, 0, 1 + n)).toISOString().slice(0, 10);
const ids: { twins: string[]; single: string; singleLine: string; twinLine: string } = {
  twins: [],
  single: '',
  singleLine: '',
  twinLine: '',
};

async function receipt(amount: string, receivedOn: string, reference: string): Promise<string> {
  const res = await h.call<Receipt>('POST', `${c()}/receipts`, {
    token: coop.treasurerToken,
    body: { memberId: holder.memberId, amount, receivedOn, reference },
  });
  expect(res.status).toBe(201);
  return res.body.entryId;
}

beforeAll(async () => {
  holder = await createHolder(h, coop);
  // Entries with amounts no line has, over January and February, except: two of 77.77 a day apart (a line of 77.77
  // between them has both as candidates) and one of 1000.03 (its line has it alone).
  for (let i = 0; i < ENTRIES - 3; i += 1) await receipt(`${200 + i}.00`, day(i % 50), `E-${i}`);
  ids.twins.push(await receipt('77.77', day(10), 'TWIN-A'), await receipt('77.77', day(9), 'TWIN-B'));
  ids.single = await receipt('1000.03', day(20), 'SINGLE');
  await receipt('5000.00', '2026-03-05', 'AFTER');

  const rows: [date: string, details: string, amount: string][] = [];
  for (let i = 0; i < LINES - 2; i += 1) rows.push([day(i % 55), `LINE ${i}`, `-${1 + i}.00`]);
  rows.push([day(10), 'TWIN LINE', '77.77'], [day(21), 'SINGLE LINE', '1000.03'], ['2026-03-06', 'LATER', '1.50']);
  rows.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  // The later lines are imported first, so the order lines were stored in (their ids) is not their date order.
  const later = rows.filter((r) => r[0] >= day(28));
  for (const part of [later, rows.filter((r) => !later.includes(r))]) {
    const csv = ['Date,Details,Amount', ...part.map((r) => r.join(','))].join('\n');
    const res = await h.call(
      'POST',
      `${c()}/bank-statements?format=csv&dateColumn=Date&dateFormat=YYYY-MM-DD&descriptionColumn=Details&amountColumn=Amount`,
      { token: coop.treasurerToken, rawBody: csv, headers: { 'content-type': 'text/csv' } },
    );
    expect(res.status).toBe(201);
  }
  const lineId = async (description: string) =>
    (
      await h.db.one<{ id: string }>(
        sql`select id from bank_lines where coop_id = ${coop.coopId}::uuid and description = ${description}`,
      )
    ).id;
  ids.twinLine = await lineId('TWIN LINE');
  ids.singleLine = await lineId('SINGLE LINE');
}, 120_000);

/** Every unmatched line and entry through AS_OF, oldest first, ties by id: what the summary must count and cut. */
async function everythingUnmatched() {
  const lines = await h.db.rows<{ id: string; postedOn: string; description: string; amount: string }>(sql`
    select b.id, b.posted_on::text as "postedOn", b.description, b.amount::text as amount from bank_lines b
     where b.coop_id = ${coop.coopId}::uuid and b.posted_on <= ${AS_OF}::date
       and b.id not in (select bank_line_id from match_bank_lines)
     order by b.posted_on, b.id`);
  const entries = await h.db.rows<{ id: string; valueDate: string; kind: string; memo: string; amount: string }>(sql`
    select e.id, e.value_date::text as "valueDate", e.kind, e.memo, sum(p.amount)::text as amount
      from journal_entries e join postings p on p.entry_id = e.id join accounts a on a.id = p.account_id and a.kind = 'bank'
     where e.coop_id = ${coop.coopId}::uuid and e.value_date <= ${AS_OF}::date
       and e.id not in (select entry_id from match_entries)
     group by e.id
     order by e.value_date, e.id`);
  return { lines, entries };
}

describe('the reconciliation summary of a co-op with more unmatched than it shows', () => {
  it('counts everything unmatched through asOf and shows the first 500 of each side, oldest first', async () => {
    const res = await h.call<ReconciliationSummary>('GET', `${c()}/reconciliation?asOf=${AS_OF}`, {
      token: coop.treasurerToken,
    });
    expect(res.status).toBe(200);
    const all = await everythingUnmatched();
    expect(all.lines).toHaveLength(LINES);
    expect(all.entries).toHaveLength(ENTRIES);
    expect(res.body.unmatchedBankLineCount).toBe(LINES);
    expect(res.body.unmatchedEntryCount).toBe(ENTRIES);
    expect(res.body.unmatchedBankLines.map(({ candidateEntryIds: _, ...line }) => line)).toEqual(
      all.lines.slice(0, 500),
    );
    expect(res.body.unmatchedEntries).toEqual(all.entries.slice(0, 500));
  });

  it('lists candidates for a shown line with more than one, oldest first, and none for the rest', async () => {
    const res = await h.call<ReconciliationSummary>('GET', `${c()}/reconciliation?asOf=${AS_OF}`, {
      token: coop.treasurerToken,
    });
    const candidates = new Map(res.body.unmatchedBankLines.map((l) => [l.id, l.candidateEntryIds]));
    expect(candidates.get(ids.twinLine)).toEqual([ids.twins[1], ids.twins[0]]);
    expect(candidates.get(ids.singleLine)).toEqual([]);
    const others = [...candidates].filter(([id]) => id !== ids.twinLine);
    expect(others.filter(([, entries]) => entries.length > 0)).toEqual([]);
    // A window of 0 days leaves the twin line one candidate (the entry of the same day), so none are listed.
    const narrow = await h.call<ReconciliationSummary>('GET', `${c()}/reconciliation?asOf=${AS_OF}&windowDays=0`, {
      token: coop.treasurerToken,
    });
    const twin = narrow.body.unmatchedBankLines.find((l) => l.id === ids.twinLine);
    expect(defined(twin, 'the twin line').candidateEntryIds).toEqual([]);
  });

  it('leaves out what is matched', async () => {
    const match = await h.call('POST', `${c()}/reconciliation/matches`, {
      token: coop.treasurerToken,
      body: { bankLineIds: [ids.singleLine], entryIds: [ids.single] },
    });
    expect(match.status).toBe(201);
    const res = await h.call<ReconciliationSummary>('GET', `${c()}/reconciliation?asOf=${AS_OF}`, {
      token: coop.treasurerToken,
    });
    expect(res.body.unmatchedBankLineCount).toBe(LINES - 1);
    expect(res.body.unmatchedEntryCount).toBe(ENTRIES - 1);
    const all = await everythingUnmatched();
    expect(res.body.unmatchedBankLines.map((l) => l.id)).toEqual(all.lines.slice(0, 500).map((l) => l.id));
    expect(res.body.unmatchedEntries.map((e) => e.id)).toEqual(all.entries.slice(0, 500).map((e) => e.id));
    expect(res.body.unmatchedBankLines.map((l) => l.id)).not.toContain(ids.singleLine);
  });
});
