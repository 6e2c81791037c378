import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoTokens, seedDemo } from '../../scripts/demo-seed';
import { expectLedgerConsistent } from '../support/fixtures';
import { hledgerBalances, nonZeroBalances, runHledgerChecks } from '../support/hledger';
import type { Account, Page, PurchasingReport } from '../support/api';
import { type TypedHarness, createHarness } from '../support/harness';

let h: TypedHarness;
let demo: DemoTokens;
beforeAll(async () => {
  h = await createHarness();
  demo = await seedDemo(h.app, h.adminToken);
}, 180_000);
afterAll(async () => h.close());

describe('the demo co-op', () => {
  it('has consistent books: every cached balance equals its postings and the co-op sums to zero', async () => {
    await expectLedgerConsistent(h);
  });

  it('shows a real collective saving in the purchasing-power report', async () => {
    const report = await h.call<PurchasingReport>(
      'GET',
      `/v1/coops/${demo.coopId}/reports/purchasing-power?from=2000-01-01&to=2099-12-31`,
      { token: demo.treasurer },
    );
    expect(report.status).toBe(200);
    expect(report.body.purchaseCount).toBe(14);
    expect(Number.parseInt(report.body.collectiveSaving, 10)).toBeGreaterThan(1000);
    expect(report.body.fairPay.belowMinimum).toEqual([]);
  });

  it.runIf(runHledgerChecks)(
    'agrees with `hledger bal` after purchases, shared costs and payments (hledger installed)',
    async () => {
      const journal = await h.call('GET', `/v1/coops/${demo.coopId}/export/journal`, { token: demo.treasurer });
      const fromHledger = hledgerBalances(journal.text);
      const accounts = await h.call<Page<Account>>('GET', `/v1/coops/${demo.coopId}/accounts?limit=500`, {
        token: demo.treasurer,
      });
      const fromCronfa = nonZeroBalances(accounts.body.items);
      expect(fromHledger).toEqual(fromCronfa);
      expect(Object.keys(fromCronfa).some((code) => code.startsWith('liabilities:providers:'))).toBe(true);
    },
  );
});
