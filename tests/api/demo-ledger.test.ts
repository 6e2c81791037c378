import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoTokens, seedDemo } from '../../scripts/demo-seed';
import { expectLedgerConsistent } from '../support/fixtures';
import { type Harness, createHarness } from '../support/harness';

function hledgerAvailable(): boolean {
  try {
    execFileSync('hledger', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
// hledger is optional on a developer's machine; CI installs it, so there this test always runs.
const runHledger = hledgerAvailable() || Boolean(process.env.CI);

let h: Harness;
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
    const report = await h.call('GET', `/v1/coops/${demo.coopId}/reports/purchasing-power?from=2000-01-01&to=2099-12-31`, { token: demo.treasurer });
    expect(report.status).toBe(200);
    expect(report.body.purchaseCount).toBe(14);
    expect(Number.parseInt(report.body.collectiveSaving, 10)).toBeGreaterThan(1000);
    expect(report.body.fairPay.belowMinimum).toEqual([]);
  });

  it.runIf(runHledger)('agrees with `hledger bal` after purchases, shared costs and payments (hledger installed)', async () => {
    const journal = await h.call('GET', `/v1/coops/${demo.coopId}/export/journal`, { token: demo.treasurer });
    const file = join(mkdtempSync(join(tmpdir(), 'cronfa-demo-')), 'demo.journal');
    writeFileSync(file, journal.text);
    const csv = execFileSync('hledger', ['-f', file, 'bal', '--flat', '--no-total', '-O', 'csv'], { encoding: 'utf8' });
    const fromHledger = Object.fromEntries(
      csv
        .trim()
        .split('\n')
        .slice(1)
        .map((line) => line.split('","').map((cell) => cell.replace(/"/g, '').replace('£', ''))),
    );
    const accounts = await h.call('GET', `/v1/coops/${demo.coopId}/accounts?limit=500`, { token: demo.treasurer });
    const fromCronfa = Object.fromEntries(
      accounts.body.items.filter((a: { balance: string }) => a.balance !== '0.00').map((a: { code: string; balance: string }) => [a.code, a.balance]),
    );
    expect(fromHledger).toEqual(fromCronfa);
    expect(Object.keys(fromCronfa).some((code) => code.startsWith('liabilities:providers:'))).toBe(true);
  });
});
