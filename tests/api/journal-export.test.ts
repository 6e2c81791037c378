import { beforeAll, describe, expect, it } from 'vitest';
import { formatMoney, parseMoney, sum } from '../../src/domain/money';
import type { Account, Page, PoolLeave } from '../support/api';
import { contribute, createHolder, createPool, expectLedgerConsistent, joinPool, receive } from '../support/fixtures';
import { useHarness } from '../support/use-harness';
import { hledgerBalances, nonZeroBalances, runHledgerChecks } from '../support/hledger';

const { h, coop } = useHarness();

beforeAll(async () => {
  const gwen = await createHolder(h, coop, { name: 'Gwenllian Ŵyn' });
  const dafydd = await createHolder(h, coop);
  const pool = await createPool(h, coop, 'Tîm PA a rennir');
  await joinPool(h, coop, pool.id, gwen.memberId);
  await joinPool(h, coop, pool.id, dafydd.memberId);
  const wrong = await receive(h, coop, gwen.memberId, '999.99', '2026-01-02');
  await receive(h, coop, gwen.memberId, '812.40', '2026-01-05');
  await receive(h, coop, dafydd.memberId, '640.00', '2026-01-05');
  expect((await contribute(h, coop, pool.id, gwen.memberId, '300.00', '2026-01-06')).status).toBe(201);
  expect((await contribute(h, coop, pool.id, dafydd.memberId, '120.33', '2026-01-07')).status).toBe(201);
  const reversal = await h.call('POST', `/v1/coops/${coop.coopId}/entries/${wrong.entryId}/reversal`, {
    token: coop.treasurerToken,
    body: { reason: 'Keyed twice; the LA paid once', valueDate: '2026-01-08' },
  });
  expect(reversal.status).toBe(201);
  const left = await h.call<PoolLeave>(
    'DELETE',
    `/v1/coops/${coop.coopId}/pools/${pool.id}/members/${dafydd.memberId}`,
    {
      token: coop.treasurerToken,
    },
  );
  expect(left.body.returned).toBe('120.33');
});

async function chartOfAccounts(): Promise<Map<string, string>> {
  const res = await h.call<Page<Account>>('GET', `/v1/coops/${coop.coopId}/accounts?limit=500`, {
    token: coop.treasurerToken,
  });
  expect(res.status).toBe(200);
  return new Map(res.body.items.map((a) => [a.code, a.balance]));
}

describe('journal export', () => {
  it('reads the journal in pages that follow on exactly, in date order', async () => {
    const { journalPage } = await import('../../src/services/ledger/queries');
    const whole = await h.db.database.read((db) => journalPage(db, coop.coopId, {}, null, 1000));
    expect(whole.length).toBeGreaterThan(4);
    const paged = [];
    for (let after = null as { valueDate: string; id: string } | null; ; ) {
      const page = await h.db.database.read((db) => journalPage(db, coop.coopId, {}, after, 2));
      paged.push(...page);
      const last = page.at(-1);
      if (!last || page.length < 2) break;
      after = { valueDate: last.valueDate, id: last.id };
    }
    expect(paged.map((e) => e.id)).toEqual(whole.map((e) => e.id));
    expect(whole.map((e) => e.valueDate)).toEqual([...whole.map((e) => e.valueDate)].sort());
    const january = await h.db.database.read((db) =>
      journalPage(db, coop.coopId, { from: '2026-01-05', to: '2026-01-06' }, null, 1000),
    );
    expect(january.every((e) => e.valueDate >= '2026-01-05' && e.valueDate <= '2026-01-06')).toBe(true);
    expect(january.length).toBeGreaterThan(0);
  });

  it('exports an hledger journal whose entries balance and name accounts by code', async () => {
    const res = await h.call('GET', `/v1/coops/${coop.coopId}/export/journal?format=hledger`, {
      token: coop.treasurerToken,
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.text).toContain('assets:bank  £812.40');
    expect(res.text).toMatch(/liabilities:pools:tim-pa-a-rennir:DP-\S+ {2}-£300\.00/);
    expect(res.text).not.toContain('Gwenllian');
    const chart = await chartOfAccounts();
    expect(chart.get('assets:bank')).toBe('1452.40');
    await expectLedgerConsistent(h);
  });

  it('exports the journal as CSV with stable columns, one row per posting, summing to zero', async () => {
    const res = await h.call('GET', `/v1/coops/${coop.coopId}/export/journal?format=csv`, {
      token: coop.treasurerToken,
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    const [header, ...rows] = res.text.trim().split('\n');
    expect(header).toBe('entry_id,value_date,kind,memo,reference,account_code,amount');
    const amounts = rows.map((row) => parseMoney(row.split(',').at(-1)!));
    expect(formatMoney(sum(amounts))).toBe('0.00');
    expect(rows.some((row) => row.includes(',dp_receipt,') && row.endsWith(',assets:bank,812.40'))).toBe(true);
  });

  it.runIf(runHledgerChecks)('agrees with `hledger bal` for every account (hledger installed)', async () => {
    const res = await h.call('GET', `/v1/coops/${coop.coopId}/export/journal`, { token: coop.treasurerToken });
    const res2 = await h.call<Page<Account>>('GET', `/v1/coops/${coop.coopId}/accounts?limit=500`, {
      token: coop.treasurerToken,
    });
    const nonZero = nonZeroBalances(res2.body.items);
    expect(hledgerBalances(res.text)).toEqual(nonZero);
    expect(Object.keys(nonZero).length).toBeGreaterThanOrEqual(4);
  });
});
