import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function hledgerInstalled(): boolean {
  try {
    execFileSync('hledger', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** hledger is optional on a developer's machine; CI installs it, so there the cross-checks always run. */
export const runHledgerChecks = hledgerInstalled() || Boolean(process.env.CI);

/** Every non-zero account balance `hledger bal` computes from a journal, by account name, in pounds. */
export function hledgerBalances(journal: string): Record<string, string> {
  const file = join(mkdtempSync(join(tmpdir(), 'cronfa-journal-')), 'coop.journal');
  writeFileSync(file, journal);
  const csv = execFileSync('hledger', ['-f', file, 'bal', '--flat', '--no-total', '-O', 'csv'], { encoding: 'utf8' });
  return Object.fromEntries(
    csv
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split('","').map((cell) => cell.replace(/"/g, '').replace('£', ''))),
  );
}

/** The chart of accounts' non-zero balances by code, as GET /accounts reports them. */
export function nonZeroBalances(items: { code: string; balance: string }[]): Record<string, string> {
  return Object.fromEntries(items.filter((a) => a.balance !== '0.00').map((a) => [a.code, a.balance]));
}
