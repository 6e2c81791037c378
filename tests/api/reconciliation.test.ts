import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type {
  Account,
  AuditEvent,
  AutoMatchResult,
  BankStatement,
  Booking,
  HolderStatement,
  LaStatement,
  Match,
  MemberBalance,
  Page,
  Period,
  Receipt,
  ReconciliationSummary,
  SharedCost,
} from '../support/api';
import { defined, only } from '../support/assert';
import {
  type HolderFixture,
  contribute,
  createCoop,
  createHolder,
  createPool,
  expectLedgerConsistent,
  joinPool,
} from '../support/fixtures';
import { Problem, problemType } from '../support/problems';
import { useHarness } from '../support/use-harness';

/**
 * A treasurer's October, end to end: record the month, import the bank's CSV, auto-match, book what only the bank
 * knows (a charge, an unexplained credit, an LA recovery), reach a zero difference, close the period, and find the
 * closed period final.
 */
const { h, coop } = useHarness();
let holderA: HolderFixture;
let holderB: HolderFixture;
let poolId: string;
const entryIds: Record<string, string> = {};
const c = () => `/v1/coops/${coop.coopId}`;
const post = <T = unknown>(url: string, body: unknown, token = coop.treasurerToken) =>
  h.call<T>('POST', `${c()}${url}`, { token, body });
const get = <T = unknown>(url: string, token = coop.treasurerToken) => h.call<T>('GET', `${c()}${url}`, { token });
const summaryOf = (asOf: string) => get<ReconciliationSummary>(`/reconciliation?asOf=${asOf}`);

function upload(csv: string, query = 'format=csv&preset=lloyds', headers: Record<string, string> = {}) {
  return h.call<BankStatement>('POST', `${c()}/bank-statements?${query}`, {
    token: coop.treasurerToken,
    rawBody: csv,
    headers: { 'content-type': 'text/csv', ...headers },
  });
}

/** A Lloyds export, newest first as Lloyds writes it, with a running balance that chains exactly. */
function lloydsExport(): string {
  const rows: [date: string, type: string, description: string, debit: string, credit: string, balance: string][] = [
    ['12/10/2026', 'DD', `WREXHAM CBC RECOVERY ${holderA.laReference}`, '100.00', '', '734.60'],
    ['09/10/2026', 'BGC', 'CREDYD ANHYSBYS 4471', '', '50.00', '834.60'],
    ['06/10/2026', 'FEE', 'SERVICE CHARGES, OCT', '5.00', '', '784.60'],
    ['05/10/2026', 'FPO', 'PAYROLL BUREAU CYF £60', '60.00', '', '789.60'],
    ['02/10/2026', 'BGC', `WREXHAM CBC DP ${holderB.laReference}`, '', '424.80', '849.60'],
    ['02/10/2026', 'BGC', `WREXHAM CBC DP ${holderA.laReference}`, '', '424.80', '424.80'],
  ];
  const quote = (cell: string) => (/[",]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);
  const lines = rows.map(([date, type, description, debit, credit, balance]) =>
    [date, type, "'30-94-57", '12345678', description, debit, credit, balance].map(quote).join(','),
  );
  return [
    'Transaction Date,Transaction Type,Sort Code,Account Number,Transaction Description,Debit Amount,Credit Amount,Balance',
    ...lines,
  ].join('\r\n');
}

beforeAll(async () => {
  holderA = await createHolder(h, coop);
  holderB = await createHolder(h, coop);
  const pool = await createPool(h, coop, 'Tîm PA');
  poolId = pool.id;
  for (const [name, holder] of [
    ['A', holderA],
    ['B', holderB],
  ] as const) {
    const receipt = await post<Receipt>('/receipts', {
      memberId: holder.memberId,
      amount: '424.80',
      receivedOn: '2026-10-01',
      reference: `REM-${name}`,
    });
    expect(receipt.status).toBe(201);
    entryIds[`receipt${name}`] = receipt.body.entryId;
    await joinPool(h, coop, poolId, holder.memberId);
    expect((await contribute(h, coop, poolId, holder.memberId, '100.00', '2026-10-03')).status).toBe(201);
  }
  const cost = await post<SharedCost>(`/pools/${poolId}/costs`, {
    category: 'payroll_services',
    description: 'Payroll bureau, October',
    amount: '60.00',
    date: '2026-10-04',
    allocation: { method: 'equal' },
  });
  expect(cost.status).toBe(201);
  entryIds.payroll = cost.body.entryId;
});

describe('importing a bank export', () => {
  it('imports a Lloyds CSV oldest first, with its opening and closing balances', async () => {
    const res = await upload(lloydsExport());
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      format: 'csv',
      layout: 'lloyds',
      lineCount: 6,
      importedCount: 6,
      duplicatesSkipped: 0,
      from: '2026-10-02',
      to: '2026-10-12',
      openingBalance: '0.00',
      closingBalance: '734.60',
    });
  });

  it('refuses the same file uploaded again, whatever mapping comes with it, naming the first import', async () => {
    const first = await upload(lloydsExport());
    expect(first.status).toBe(409);
    const problem = first.json(Problem);
    expect(problem.type).toBe(problemType('duplicate'));
    const generic =
      'format=csv&dateColumn=Transaction Date&dateFormat=DD/MM/YYYY&descriptionColumn=Transaction Description' +
      '&paidInColumn=Credit Amount&paidOutColumn=Debit Amount';
    const again = await upload(lloydsExport(), encodeURI(generic));
    expect(again.status).toBe(409);
    expect(again.json(Problem)['statementId']).toBe(problem['statementId']);
    const summary = await summaryOf('2026-10-31');
    expect(summary.body.unmatchedBankLineCount).toBe(6);
  });

  it('skips the lines an overlapping export already brought, and says how many', async () => {
    // The same account's export a day earlier: all but the newest line (the first, newest first).
    const [header, , ...older] = lloydsExport().split('\r\n');
    const overlapping = [header, ...older].join('\r\n');
    const res = await upload(overlapping);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ lineCount: 5, importedCount: 0, duplicatesSkipped: 5 });
  });

  it('refuses a malformed file whole, naming the line and the reason', async () => {
    const broken = lloydsExport().replace('09/10/2026', '31/09/2026');
    const res = await upload(broken);
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const problem = res.json(Problem);
    expect(problem.type).toBe(problemType('invalid-bank-file'));
    expect(problem.line).toBe(3);
    expect(problem.detail).toContain('line 3');
    expect(problem.detail).toContain('31/09/2026');
  });

  it('asks for the missing piece of a generic mapping', async () => {
    const res = await upload(
      'Date,Details,Amount\n01/10/2026,x,1.00',
      'format=csv&dateColumn=Date&descriptionColumn=Details&amountColumn=Amount',
    );
    expect(res.status).toBe(422);
    expect(res.json(Problem).errors?.[0]?.path).toBe('querystring.dateFormat');
  });

  it('refuses a body that is not a bank file type', async () => {
    const res = await h.call('POST', `${c()}/bank-statements?format=csv&preset=lloyds`, {
      token: coop.treasurerToken,
      body: { not: 'a file' },
    });
    expect(res.status).toBe(422);
  });
});

describe('matching', () => {
  it('shows the difference before anything is matched', async () => {
    const res = await summaryOf('2026-10-31');
    expect(res.status).toBe(200);
    // Ledger: 424.80 × 2 − 60.00 = 789.60; bank: 789.60 − 5.00 + 50.00 − 100.00 = 734.60.
    expect(res.body).toMatchObject({
      ledgerBankBalance: '789.60',
      statementBalance: '734.60',
      difference: '55.00',
      unmatchedEntryCount: 3,
    });
  });

  it('auto-matches the two same-day, same-amount receipts by their LA references, and the payroll by amount and date', async () => {
    const res = await post<AutoMatchResult>('/reconciliation/auto', undefined);
    expect(res.status).toBe(200);
    expect(res.body.matched).toEqual({ byReference: 2, byAmountAndDate: 1, contra: 0 });
    expect(res.body).toMatchObject({ unmatchedBankLines: 3, unmatchedEntries: 0 });
    const again = await post<AutoMatchResult>('/reconciliation/auto', undefined);
    expect(again.body.matched).toEqual({ byReference: 0, byAmountAndDate: 0, contra: 0 });
  });

  it('refuses a manual match whose amounts disagree, or that reuses a matched line', async () => {
    const summary = await summaryOf('2026-10-31');
    const charge = defined(
      summary.body.unmatchedBankLines.find((l) => l.amount === '-5.00'),
      'the unmatched line of the bank charge',
    );
    const taken = await post('/reconciliation/matches', { bankLineIds: [charge.id], entryIds: [entryIds.payroll] });
    expect(taken.status).toBe(409);
    expect(taken.json(Problem).alreadyMatched).toEqual([entryIds.payroll]);
    const lonely = await post('/reconciliation/matches', { bankLineIds: [charge.id] });
    expect(lonely.status).toBe(422);
    expect(lonely.json(Problem).errors?.[0]?.path).toBe('body.bankLineIds');
  });

  it('undoes a match and makes it again by hand', async () => {
    const lines = await h.db.database.read(async (db) =>
      (await import('../../src/services/reconciliation/queries')).unmatchedLines(db, coop.coopId, {
        after: null,
        through: null,
      }),
    );
    expect(lines).toHaveLength(3);
    const match = only(
      await h.db.rows<{ id: string; bankLineId: string }>(
        sql`select m.id, l.bank_line_id as "bankLineId" from reconciliation_matches m join match_entries e on e.match_id = m.id join match_bank_lines l on l.match_id = m.id where e.entry_id = ${entryIds.payroll}::uuid`,
      ),
      'match of the payroll entry',
    );
    expect(
      (await h.call('DELETE', `${c()}/reconciliation/matches/${match.id}`, { token: coop.treasurerToken })).status,
    ).toBe(204);
    expect((await summaryOf('2026-10-31')).body.unmatchedEntryCount).toBe(1);
    const charge = defined(
      lines.find((l) => l.amount === '-5.00'),
      'the unmatched line of the bank charge',
    );
    const wrongAmount = await post('/reconciliation/matches', {
      bankLineIds: [charge.id],
      entryIds: [entryIds.payroll],
    });
    expect(wrongAmount.status).toBe(422);
    expect(wrongAmount.json(Problem)).toMatchObject({ bankLinesTotal: '-5.00', entriesTotal: '-60.00' });
    const again = await post<Match>('/reconciliation/matches', {
      bankLineIds: [match.bankLineId],
      entryIds: [entryIds.payroll],
    });
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ method: 'manual', amount: '-60.00' });
  });
});

describe('booking what only the bank knows', () => {
  const lineWith = async (amount: string) => {
    const summary = await summaryOf('2026-10-31');
    return defined(
      summary.body.unmatchedBankLines.find((l) => l.amount === amount),
      `an unmatched line of ${amount}`,
    ).id;
  };

  it('refuses a booking that goes the wrong way, or a recovery without its holder', async () => {
    const credit = await lineWith('50.00');
    expect((await post(`/bank-lines/${credit}/entry`, { kind: 'bank_charge' })).status).toBe(422);
    const recovery = await lineWith('-100.00');
    const noHolder = await post(`/bank-lines/${recovery}/entry`, { kind: 'la_recovery' });
    expect(noHolder.status).toBe(422);
    expect(noHolder.json(Problem).errors?.[0]?.path).toBe('body.memberId');
  });

  it('books the charge to the co-op, the unknown credit to suspense and the recovery from the holder', async () => {
    const charge = await post<Booking>(`/bank-lines/${await lineWith('-5.00')}/entry`, { kind: 'bank_charge' });
    expect(charge.status).toBe(201);
    expect(charge.body).toMatchObject({ kind: 'bank_charge', amount: '-5.00', postedOn: '2026-10-06' });
    const suspense = await post(`/bank-lines/${await lineWith('50.00')}/entry`, { kind: 'suspense' });
    expect(suspense.status).toBe(201);
    const recovery = await post<Booking>(
      `/bank-lines/${await lineWith('-100.00')}/entry`,
      { kind: 'la_recovery', memberId: holderA.memberId },
      coop.treasurerToken,
    );
    expect(recovery.status).toBe(201);
    entryIds.recovery = recovery.body.entryId;
    const balance = await get<MemberBalance>(`/members/${holderA.memberId}/balance?asOf=2026-10-31`);
    expect(balance.body.funds).toBe('224.80');
    const accounts = await get<Page<Account>>('/accounts?limit=100');
    const byCode = new Map(accounts.body.items.map((a) => [a.code, a.balance]));
    expect(byCode.get('equity:coop')).toBe('5.00');
    expect(byCode.get('liabilities:suspense')).toBe('-50.00');
    await expectLedgerConsistent(h);
  });

  it('now shows a zero difference and nothing unmatched', async () => {
    const res = await summaryOf('2026-10-31');
    expect(res.body).toMatchObject({
      ledgerBankBalance: '734.60',
      statementBalance: '734.60',
      difference: '0.00',
      unmatchedBankLineCount: 0,
      unmatchedEntryCount: 0,
    });
  });

  it("shows the recovery on the holder's statement, in their language", async () => {
    for (const [lang, wording] of [
      ['en', 'Unspent money returned to the local authority'],
      ['cy', "Arian heb ei wario wedi'i ddychwelyd i'r awdurdod lleol"],
    ]) {
      const res = await get<HolderStatement>(
        `/statements/holders/${holderA.memberId}?from=2026-10-01&to=2026-10-31&format=json&lang=${lang}`,
      );
      expect(res.status).toBe(200);
      const movement = res.body.movements.find((m) => m.description === wording);
      expect(movement, JSON.stringify(res.body.movements.map((m) => m.description))).toMatchObject({
        funds: { out: '100.00' },
      });
    }
  });

  it('reports the recovery to the LA as money returned', async () => {
    const res = await h.call<LaStatement>(
      'GET',
      `/v1/local-authorities/${coop.laId}/statements?coopId=${coop.coopId}&from=2026-10-01&to=2026-10-31&format=json`,
      { token: coop.laOfficerToken },
    );
    expect(res.status).toBe(200);
    const row = res.body.holders.find((r) => r.memberId === holderA.memberId);
    expect(row).toMatchObject({ dpReceived: '424.80', returnedToLa: '100.00', closing: '294.80' });
    expect(res.body.totals.returnedToLa).toBe('100.00');
    expect(res.body.bankReconciled).toBe(false);
  });
});

describe('closing the period', () => {
  it('refuses to close where the ledger and the bank disagree, unless forced with a reason', async () => {
    // 2026-10-03: the ledger has both receipts (849.60), the bank too — but close through 10-01 has the receipts
    // in the ledger (dated 10-01) and not yet in the bank (10-02).
    const refused = await post('/periods/close', { through: '2026-10-01' });
    expect(refused.status).toBe(409);
    expect(refused.json(Problem)).toMatchObject({
      type: problemType('not-reconciled'),
      ledgerBankBalance: '849.60',
      statementBalance: '0.00',
      difference: '849.60',
    });
    const noReason = await post('/periods/close', { through: '2026-10-01', force: true });
    expect(noReason.status).toBe(422);
    expect(noReason.json(Problem).errors?.[0]?.path).toBe('body.reason');
  });

  it('closes through the end of October with a zero difference', async () => {
    const res = await post<Period>('/periods/close', { through: '2026-10-31' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      through: '2026-10-31',
      ledgerBankBalance: '734.60',
      statementBalance: '734.60',
      difference: '0.00',
      forced: false,
      reason: null,
    });
    const list = await get<{ items: Period[] }>('/periods');
    expect(list.body.items.map((p) => p.through)).toEqual(['2026-10-31']);
    expect((await post('/periods/close', { through: '2026-10-15' })).status).toBe(409);
  });

  it('refuses postings, reversals and match changes dated in the closed period, with the closed date', async () => {
    const receipt = await post('/receipts', {
      memberId: holderB.memberId,
      amount: '10.00',
      receivedOn: '2026-10-20',
      reference: 'LATE',
    });
    expect(receipt.status).toBe(409);
    expect(receipt.json(Problem)).toMatchObject({
      type: problemType('period-closed'),
      closedThrough: '2026-10-31',
    });
    const reversal = await post(`/entries/${entryIds.recovery}/reversal`, {
      reason: 'Recovered in error',
      valueDate: '2026-10-31',
    });
    expect(reversal.status).toBe(409);
    const match = await h.db.one<{ id: string }>(
      sql`select match_id as id from match_entries where entry_id = ${entryIds.payroll}::uuid`,
    );
    const unmatch = await h.call('DELETE', `${c()}/reconciliation/matches/${match.id}`, {
      token: coop.treasurerToken,
    });
    expect(unmatch.status).toBe(409);
    expect((await summaryOf('2026-10-31')).body.difference).toBe('0.00');
  });

  it('accepts a correction dated in the open period', async () => {
    const reversal = await post(`/entries/${entryIds.recovery}/reversal`, {
      reason: 'Recovered in error',
      valueDate: '2026-11-02',
    });
    expect(reversal.status).toBe(201);
    await expectLedgerConsistent(h);
  });

  it('tells the LA the bank is reconciled through the period end', async () => {
    const res = await h.call(
      'GET',
      `/v1/local-authorities/${coop.laId}/statements?coopId=${coop.coopId}&from=2026-10-01&to=2026-10-31&format=csv`,
      { token: coop.laOfficerToken },
    );
    expect(res.status).toBe(200);
    const [header, rowA] = res.text.split('\n');
    expect(header).toContain('returned_to_la');
    expect(rowA).toBeDefined();
    const json = await h.call<LaStatement>(
      'GET',
      `/v1/local-authorities/${coop.laId}/statements?coopId=${coop.coopId}&from=2026-10-01&to=2026-10-31&format=json`,
      { token: coop.laOfficerToken },
    );
    expect(json.body).toMatchObject({ bankReconciled: true, reconciledThrough: '2026-10-31' });
  });

  it('records a forced close with its reason, and the audit log says it was forced', async () => {
    const forced = await post<Period>('/periods/close', {
      through: '2026-11-02',
      force: true,
      reason: 'Reversal in November not yet on a statement',
    });
    expect(forced.status).toBe(201);
    expect(forced.body).toMatchObject({
      forced: true,
      reason: 'Reversal in November not yet on a statement',
      ledgerBankBalance: '834.60',
      difference: '100.00',
    });
    const audit = await get<Page<AuditEvent>>('/audit?limit=500');
    expect(audit.body.items.map((a) => a.action)).toContain('period.close_forced');
    const json = await h.call<LaStatement>(
      'GET',
      `/v1/local-authorities/${coop.laId}/statements?coopId=${coop.coopId}&from=2026-11-01&to=2026-11-02&format=json`,
      { token: coop.laOfficerToken },
    );
    expect(json.body).toMatchObject({ bankReconciled: false, reconciledThrough: '2026-10-31' });
  });
});

describe('who may reconcile', () => {
  // Reconciling is for the co-op's own treasurer (the routes' access rule, `treasurerOfCoop`, checked before the
  // body is read): any other role is forbidden (403), and a treasurer of another co-op is told the co-op is not
  // found (404), so a treasurer cannot learn which co-ops exist. The upload is refused as the summary is, with
  // nothing imported.
  it("refuses holders and LA officers (403), and another co-op's treasurer as if the co-op did not exist (404)", async () => {
    const other = await createCoop(h);
    const statements = () =>
      h.db.one<{ n: number }>(sql`select count(*)::int as n from bank_statements where coop_id = ${coop.coopId}::uuid`);
    const before = await statements();
    for (const [who, token, status, code] of [
      ['a holder of the co-op', holderA.token, 403, 'forbidden'],
      ["the co-op's LA officer", coop.laOfficerToken, 403, 'forbidden'],
      ["another co-op's treasurer", other.treasurerToken, 404, 'not-found'],
    ] as const) {
      const summary = await get('/reconciliation', token);
      expect(summary.status, who).toBe(status);
      expect(summary.json(Problem).type, who).toBe(problemType(code));
      const uploaded = await h.call('POST', `${c()}/bank-statements?format=csv&preset=lloyds`, {
        token,
        rawBody: lloydsExport(),
        headers: { 'content-type': 'text/csv' },
      });
      expect(uploaded.status, who).toBe(status);
      expect(uploaded.json(Problem).type, who).toBe(problemType(code));
    }
    expect(await statements()).toEqual(before);
  });
});
