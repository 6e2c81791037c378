import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BANK_CHARGE, UNRECORDED_RECEIPT, demoBankExport } from '../../scripts/demo-bank-export';
import { type DemoTokens, seedDemo } from '../../scripts/demo-seed';
import { expectLedgerConsistent } from '../support/fixtures';
import type { AutoMatchResult, Member, Page, Period, ReconciliationSummary } from '../support/api';
import { defined } from '../support/assert';
import { type TypedHarness, createHarness } from '../support/harness';

/** The README's reconciliation walk-through, step by step, on the demo co-op and its bank export. */
let h: TypedHarness;
let demo: DemoTokens;
let exportCsv: string;
const c = () => `/v1/coops/${demo.coopId}`;
const call = <T = unknown>(method: string, url: string, body?: unknown) =>
  h.call<T>(method, `${c()}${url}`, { token: demo.treasurer, ...(body === undefined ? {} : { body }) });
const summary = () => call<ReconciliationSummary>('GET', '/reconciliation');
const autoMatch = () => call<AutoMatchResult>('POST', '/reconciliation/auto');

beforeAll(async () => {
  h = await createHarness();
  demo = await seedDemo(h.app, h.adminToken);
  exportCsv = await demoBankExport(h.app, demo);
}, 180_000);
afterAll(async () => h.close());

describe('reconciling the demo co-op', () => {
  let bankEntries: number;

  it('imports the bank export: one line per bank movement in the ledger, plus the charge and the unrecorded receipt', async () => {
    const before = await summary();
    bankEntries = before.body.unmatchedEntryCount;
    expect(bankEntries).toBeGreaterThan(80);
    const res = await h.call('POST', `${c()}/bank-statements?format=csv&preset=lloyds`, {
      token: demo.treasurer,
      rawBody: exportCsv,
      headers: { 'content-type': 'text/csv' },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      lineCount: bankEntries + 2,
      importedCount: bankEntries + 2,
      duplicatesSkipped: 0,
      openingBalance: '0.00',
    });
  });

  it('auto-matches every ledger movement, the mistyped reference by amount and date, and leaves the two the ledger lacks', async () => {
    const res = await autoMatch();
    expect(res.status).toBe(200);
    const { byReference, byAmountAndDate, contra } = res.body.matched;
    expect(byReference + byAmountAndDate).toBe(bankEntries);
    expect(contra).toBe(0);
    expect(byAmountAndDate).toBeGreaterThanOrEqual(1);
    expect(res.body).toMatchObject({ unmatchedBankLines: 2, unmatchedEntries: 0, suggestionCount: 0 });
  });

  it('books the bank charge, records the missing receipt, and ends with a zero difference', async () => {
    const unmatched = await summary();
    const lines = unmatched.body.unmatchedBankLines;
    expect(lines.map((l) => l.amount).sort()).toEqual([BANK_CHARGE.amount, UNRECORDED_RECEIPT.amount].sort());
    expect(unmatched.body.difference).toBe('-141.50');
    const charge = defined(
      lines.find((l) => l.amount === BANK_CHARGE.amount),
      'the line of the bank charge',
    );
    expect((await call('POST', `/bank-lines/${charge.id}/entry`, { kind: 'bank_charge' })).status).toBe(201);

    const receiptLine = defined(
      lines.find((l) => l.amount === UNRECORDED_RECEIPT.amount),
      'the line of the unrecorded receipt',
    );
    const members = await call<Page<Member>>('GET', '/members?limit=500');
    const sian = defined(
      members.body.items.find((m) => m.laReference === 'FLN-DP-1003'),
      'Siân (FLN-DP-1003)',
    );
    const receipt = await call('POST', '/receipts', {
      memberId: sian.id,
      amount: UNRECORDED_RECEIPT.amount,
      receivedOn: receiptLine.postedOn,
      reference: UNRECORDED_RECEIPT.reference,
    });
    expect(receipt.status).toBe(201);
    const again = await autoMatch();
    expect(again.body.matched).toEqual({ byReference: 1, byAmountAndDate: 0, contra: 0 });

    const done = await summary();
    expect(done.body).toMatchObject({ difference: '0.00', unmatchedBankLineCount: 0, unmatchedEntryCount: 0 });
    expect(done.body.ledgerBankBalance).toBe(done.body.statementBalance);
    await expectLedgerConsistent(h);
  });

  it('closes the period through the last bank line, and the LA statement says reconciled', async () => {
    // The export is newest first: its first line after the header is the last day it shows (DD/MM/YYYY).
    const [, newest = ''] = exportCsv.split('\r\n');
    const lastLine = (newest.split(',')[0] ?? '').split('/').reverse().join('-');
    expect(lastLine).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const closed = await call<Period>('POST', '/periods/close', { through: lastLine });
    expect(closed.status).toBe(201);
    expect(closed.body.difference).toBe('0.00');
    const statement = await h.call(
      'GET',
      `/v1/local-authorities/${demo.laOfficer.laId}/statements?coopId=${demo.coopId}&from=${lastLine.slice(0, 8)}01&to=${lastLine}`,
      { token: demo.laOfficer.token },
    );
    expect(statement.body).toMatchObject({ bankReconciled: true, reconciledThrough: lastLine });
  });
});
