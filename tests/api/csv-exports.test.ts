import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Provider } from '../support/api';
import { contribute, createHolder, createPool, joinPool } from '../support/fixtures';
import { useHarness } from '../support/use-harness';

/**
 * Every CSV Cronfa writes, with a treasurer's text chosen to run as a formula in the reader's spreadsheet (OWASP's
 * CSV-injection examples). No cell may start with = + - @ tab or carriage return unless it is a plain number.
 */
const MEMBER_NAME = '=HYPERLINK("http://x","click")';
const POOL_NAME = '+HYPERLINK("http://y","pool")';
const PROVIDER_NAME = '+HYPERLINK("http://z","provider")';
const MEMO = "@SUM(1+1)*cmd|' /C calc'!A0";
const REFERENCE = "-2+3+cmd|' /C calc'!A0";

const { h, coop } = useHarness();
let memberId: string;
let poolId: string;
const period = 'from=2026-01-01&to=2026-01-31';

beforeAll(async () => {
  const holder = await createHolder(h, coop, { name: MEMBER_NAME });
  memberId = holder.memberId;
  const pool = await createPool(h, coop, POOL_NAME);
  poolId = pool.id;
  await joinPool(h, coop, poolId, memberId);
  const receipt = await h.call('POST', `/v1/coops/${coop.coopId}/receipts`, {
    token: coop.treasurerToken,
    body: { memberId, amount: '400.00', receivedOn: '2026-01-05', reference: REFERENCE },
  });
  expect(receipt.status).toBe(201);
  const contribution = await h.call('POST', `/v1/coops/${coop.coopId}/pools/${poolId}/contributions`, {
    token: coop.treasurerToken,
    body: { memberId, amount: '150.00', date: '2026-01-06', memo: MEMO },
  });
  expect(contribution.status).toBe(201);
  expect((await contribute(h, coop, poolId, memberId, '10.00', '2026-01-07')).status).toBe(201);
  const provider = await h.call<Provider>('POST', `/v1/coops/${coop.coopId}/providers`, {
    token: coop.treasurerToken,
    body: { name: PROVIDER_NAME, kind: 'cooperative', welshLanguageService: true, locality: 'Wrecsam' },
  });
  expect(provider.status).toBe(201);
  const purchase = await h.call('POST', `/v1/coops/${coop.coopId}/purchases`, {
    token: coop.treasurerToken,
    body: {
      providerId: provider.body.id,
      poolId,
      invoiceReference: '=1+1',
      invoiceDate: '2026-01-20',
      serviceFrom: '2026-01-12',
      serviceTo: '2026-01-18',
      lines: [{ serviceType: 'personal_assistance', description: '@hours', units: '2', unitRate: '16.90' }],
      allocation: { method: 'equal' },
    },
  });
  expect(purchase.status).toBe(201);
}, 60_000);

async function csvCells(url: string, token: string): Promise<string[][]> {
  const res = await h.call('GET', url, { token });
  expect(res.status).toBe(200);
  expect(String(res.headers['content-type'])).toContain('text/csv');
  return parse(res.text) as string[][];
}

function expectNoFormula(cells: string[][]): void {
  const dangerous = cells.flat().filter((cell) => /^[=+\-@\t\r]/.test(cell) && !/^-?\d+(\.\d+)?$/.test(cell));
  expect(dangerous).toEqual([]);
}

describe('CSV exports neutralise formulas', () => {
  it('the LA statement shows the holder name as text and keeps money as numbers', async () => {
    const cells = await csvCells(
      `/v1/local-authorities/${coop.laId}/statements?coopId=${coop.coopId}&${period}&format=csv`,
      coop.laOfficerToken,
    );
    expectNoFormula(cells);
    expect(cells.flat()).toContain(`'${MEMBER_NAME}`);
    expect(cells[1]?.[2]).toBe('0.00');
  });

  it('the pool statement shows the member name as text', async () => {
    const cells = await csvCells(
      `/v1/coops/${coop.coopId}/statements/pools/${poolId}?${period}&format=csv`,
      coop.treasurerToken,
    );
    expectNoFormula(cells);
    expect(cells.flat()).toContain(`'${MEMBER_NAME}`);
  });

  it('the holder statement has no formula cell', async () => {
    const cells = await csvCells(
      `/v1/coops/${coop.coopId}/statements/holders/${memberId}?${period}&format=csv`,
      coop.treasurerToken,
    );
    expectNoFormula(cells);
    expect(cells.length).toBeGreaterThan(3);
  });

  it('the journal shows memos and references as text and leaves negative amounts as numbers', async () => {
    const cells = await csvCells(`/v1/coops/${coop.coopId}/export/journal?format=csv`, coop.treasurerToken);
    expectNoFormula(cells);
    const flat = cells.flat();
    expect(flat).toContain(`'${MEMO}`);
    expect(flat).toContain(`'${REFERENCE}`);
    expect(flat).toContain(`'=1+1`);
    expect(flat).toContain('-150.00');
  });

  it('gives the same bytes for the same request', async () => {
    const url = `/v1/coops/${coop.coopId}/statements/pools/${poolId}?${period}&format=csv`;
    const first = await h.call('GET', url, { token: coop.treasurerToken });
    const second = await h.call('GET', url, { token: coop.treasurerToken });
    expect(second.raw.equals(first.raw)).toBe(true);
  });
});
