import { beforeAll, describe, expect, it } from 'vitest';
import { parseMoney } from '../../src/domain/money';
import type {
  MemberBalance,
  Payment,
  Provider,
  Purchase,
  PurchaseCreated,
  PurchasingReport,
  Quote,
  SharedCost,
  SharedCostPreview,
} from '../support/api';
import { first, only } from '../support/assert';
import {
  type HolderFixture,
  contribute,
  createHolder,
  createPool,
  expectLedgerConsistent,
  joinPool,
  receive,
} from '../support/fixtures';
import { InsufficientFunds, Problem, problemType } from '../support/problems';
import { useHarness } from '../support/use-harness';

const { h, coop } = useHarness();
/** Three holders in the pool: the first two put 400.00 in, the third 50.00. */
let holders: [HolderFixture, HolderFixture, HolderFixture];
let poolId: string;
const c = () => `/v1/coops/${coop.coopId}`;
const post = <T = unknown>(url: string, body: unknown, token = coop.treasurerToken) =>
  h.call<T>('POST', `${c()}${url}`, { token, body });

async function provider(name: string, kind: string, welsh: boolean, rates?: unknown): Promise<string> {
  const created = await post<Provider>('/providers', {
    name,
    kind,
    welshLanguageService: welsh,
    locality: 'Wrecsam',
    ciwNumber: 'SIN-00012345',
  });
  expect(created.status).toBe(201);
  if (rates)
    expect(
      (await h.call('PUT', `${c()}/providers/${created.body.id}/rates`, { token: coop.treasurerToken, body: rates }))
        .status,
    ).toBe(200);
  return created.body.id;
}

beforeAll(async () => {
  const pool = await createPool(h, coop, 'Tîm PA');
  poolId = pool.id;
  const inPool = async (contribution: string) => {
    const holder = await createHolder(h, coop);
    await receive(h, coop, holder.memberId, '1000.00', '2026-03-01');
    await joinPool(h, coop, poolId, holder.memberId);
    expect((await contribute(h, coop, poolId, holder.memberId, contribution, '2026-03-02')).status).toBe(201);
    return holder;
  };
  holders = [await inPool('400.00'), await inPool('400.00'), await inPool('50.00')];
});

describe('shared costs', () => {
  it('previews and posts the same exact split, by each method', async () => {
    const body = {
      category: 'admin',
      description: 'Bookkeeper, March',
      amount: '100.00',
      date: '2026-03-10',
      allocation: { method: 'equal' },
    };
    const preview = await post<SharedCostPreview>(`/pools/${poolId}/costs/preview`, body);
    expect(preview.status).toBe(200);
    const amounts = preview.body.allocations.map((a) => a.amount);
    expect([...amounts].sort()).toEqual(['33.33', '33.33', '33.34']);
    const posted = await post<SharedCost>(`/pools/${poolId}/costs`, body);
    expect(posted.status).toBe(201);
    expect(posted.body.allocations).toEqual(preview.body.allocations);

    const [a, b] = holders;
    const byUsage = await post<SharedCostPreview>(`/pools/${poolId}/costs/preview`, {
      ...body,
      allocation: { method: 'usage', units: { [a.memberId]: '10.5', [b.memberId]: '0' } },
    });
    expect(byUsage.body.allocations).toEqual(
      expect.arrayContaining([
        { memberId: a.memberId, amount: '100.00' },
        { memberId: b.memberId, amount: '0.00' },
      ]),
    );
    const byContribution = await post<SharedCostPreview>(`/pools/${poolId}/costs/preview`, {
      ...body,
      amount: '85.00',
      allocation: { method: 'contributions', from: '2026-03-01', to: '2026-03-31' },
    });
    const shareOf = (id: string) => byContribution.body.allocations.find((x) => x.memberId === id)?.amount;
    expect(shareOf(holders[0].memberId)).toBe('40.00');
    expect(shareOf(holders[2].memberId)).toBe('5.00');
    await expectLedgerConsistent(h);
  });

  it('refuses a cost that would overdraw any one member, naming who and by how much', async () => {
    const refused = await post(`/pools/${poolId}/costs`, {
      category: 'insurance',
      description: 'Employer liability',
      amount: '150.00',
      date: '2026-03-11',
      allocation: { method: 'equal' },
    });
    expect(refused.status).toBe(422);
    const problem = refused.json(InsufficientFunds);
    expect(problem.type).toBe(problemType('insufficient-funds'));
    // The third holder put in 50.00 and paid a third of the 100.00 cost (33.33 or 33.34, by the penny rule).
    const short = only(problem.shortfalls, 'shortfall');
    expect(short).toMatchObject({ memberId: holders[2].memberId, account: 'pool share' });
    expect(parseMoney(short.available).plus(parseMoney(short.shortBy)).toFixed(2)).toBe('50.00');
    expect(['16.66', '16.67']).toContain(short.available);
    await expectLedgerConsistent(h);
  });
});

describe('providers, purchases and payments', () => {
  let paCoop: string;
  let agency: string;
  let purchaseId: string;
  beforeAll(async () => {
    const paRates = {
      services: [
        {
          serviceType: 'personal_assistance',
          unit: 'hour',
          individualRate: '17.50',
          tierPeriod: 'week',
          tiers: [
            { minUnits: '40', rate: '16.20' },
            { minUnits: '80', rate: '15.80' },
          ],
        },
      ],
    };
    paCoop = await provider('Cydweithfa PA Wrecsam', 'cooperative', true, paRates);
    agency = await provider('Acme Care Agency', 'private', false, {
      services: [
        {
          serviceType: 'personal_assistance',
          unit: 'hour',
          individualRate: '25.60',
          tierPeriod: 'week',
          tiers: [{ minUnits: '100', rate: '24.00' }],
        },
      ],
    });
  });

  it('records an invoice with per-member and shared lines, and reports the collective saving', async () => {
    const [a, b] = holders;
    const res = await post<PurchaseCreated>('/purchases', {
      providerId: paCoop,
      poolId,
      invoiceReference: 'INV-2026-031',
      invoiceDate: '2026-03-14',
      serviceFrom: '2026-03-07',
      serviceTo: '2026-03-13',
      lines: [
        {
          serviceType: 'personal_assistance',
          description: 'Day support',
          units: '10',
          unitRate: '16.20',
          memberId: a.memberId,
        },
        {
          serviceType: 'personal_assistance',
          description: 'Day support',
          units: '7.5',
          unitRate: '16.20',
          memberId: b.memberId,
        },
        { serviceType: 'personal_assistance', description: 'Shared outing', units: '3', unitRate: '16.20' },
      ],
      allocation: {
        method: 'weights',
        weights: { [a.memberId]: '2', [b.memberId]: '1', [holders[2].memberId]: '0' },
      },
    });
    expect(res.status).toBe(201);
    // 10 × 16.20 = 162.00; 7.5 × 16.20 = 121.50; 3 × 16.20 = 48.60 split 2:1 = 32.40 / 16.20.
    expect(res.body).toMatchObject({ total: '332.10', individualRateTotal: '358.75', saving: '26.65' });
    expect(res.body.allocations).toEqual(
      expect.arrayContaining([
        { memberId: a.memberId, amount: '194.40', individualAmount: '210.00', saving: '15.60' },
        { memberId: b.memberId, amount: '137.70', individualAmount: '148.75', saving: '11.05' },
      ]),
    );
    purchaseId = res.body.id;
    const duplicate = await post('/purchases', {
      providerId: paCoop,
      memberId: a.memberId,
      invoiceReference: 'INV-2026-031',
      invoiceDate: '2026-03-14',
      serviceFrom: '2026-03-07',
      serviceTo: '2026-03-13',
      lines: [{ serviceType: 'personal_assistance', description: 'x', units: '1', unitRate: '16.20' }],
    });
    expect(duplicate.status).toBe(409);

    const seenByB = await h.call<Purchase>('GET', `${c()}/purchases/${purchaseId}`, { token: b.token });
    expect(seenByB.status).toBe(200);
    expect(seenByB.body.total).toBeNull();
    expect(seenByB.body.allocations).toEqual([
      { memberId: b.memberId, amount: '137.70', individualAmount: '148.75', saving: '11.05' },
    ]);
    expect(seenByB.text).not.toContain(a.memberId);
    const seenByC = await h.call('GET', `${c()}/purchases/${purchaseId}`, { token: holders[2].token });
    expect(seenByC.status).toBe(404);
    await expectLedgerConsistent(h);
  });

  it('pays an invoice in parts and refuses to overpay it', async () => {
    const part = await post<Payment>(`/purchases/${purchaseId}/payments`, {
      amount: '300.00',
      paidOn: '2026-03-20',
      reference: 'BACS 1',
    });
    expect(part.status).toBe(201);
    expect(part.body.outstanding).toBe('32.10');
    const over = await post(`/purchases/${purchaseId}/payments`, {
      amount: '32.11',
      paidOn: '2026-03-21',
      reference: 'BACS 2',
    });
    expect(over.status).toBe(422);
    expect(over.json(Problem).outstanding).toBe('32.10');
    const rest = await post<Payment>(`/purchases/${purchaseId}/payments`, {
      amount: '32.10',
      paidOn: '2026-03-21',
      reference: 'BACS 2',
    });
    expect(rest.body.outstanding).toBe('0.00');
    const purchase = await h.call<Purchase>('GET', `${c()}/purchases/${purchaseId}`, { token: coop.treasurerToken });
    expect(purchase.body).toMatchObject({ paid: '332.10', outstanding: '0.00' });
    await expectLedgerConsistent(h);
  });

  it('refuses to pay a purchase that was reversed, and the reversal gives each member their money back', async () => {
    const [a] = holders;
    const before = await h.call<MemberBalance>('GET', `${c()}/members/${a.memberId}/balance`, {
      token: coop.treasurerToken,
    });
    const bought = await post<PurchaseCreated>('/purchases', {
      providerId: agency,
      memberId: a.memberId,
      invoiceReference: 'WRONG-1',
      invoiceDate: '2026-03-15',
      serviceFrom: '2026-03-15',
      serviceTo: '2026-03-15',
      lines: [
        {
          serviceType: 'personal_assistance',
          description: 'Keyed against the wrong holder',
          units: '2',
          unitRate: '25.60',
        },
      ],
    });
    expect(bought.status).toBe(201);
    expect((await post(`/entries/${bought.body.entryId}/reversal`, { reason: 'wrong holder' })).status).toBe(201);
    const pay = await post(`/purchases/${bought.body.id}/payments`, {
      amount: '1.00',
      paidOn: '2026-03-16',
      reference: 'BACS',
    });
    expect(pay.status).toBe(409);
    expect(pay.json(Problem).type).toBe(problemType('invalid-state'));
    const after = await h.call<MemberBalance>('GET', `${c()}/members/${a.memberId}/balance`, {
      token: coop.treasurerToken,
    });
    expect(after.body.funds).toBe(before.body.funds);
    await expectLedgerConsistent(h);
  });

  it('ranks providers for a pool by what its combined volume would cost', async () => {
    const [a, b] = holders;
    const res = await post<Quote>(`/pools/${poolId}/quotes`, {
      serviceType: 'personal_assistance',
      period: 'week',
      units: { [a.memberId]: '25', [b.memberId]: '20' },
    });
    expect(res.status).toBe(200);
    expect(res.body.providers.map((p) => p.providerId)).toEqual([paCoop, agency]);
    expect(first(res.body.providers, 'provider')).toMatchObject({
      unitRate: '16.20',
      total: '729.00',
      individualTotal: '787.50',
      saving: '58.50',
      welshLanguageService: true,
    });
  });

  it('reports spend, savings, provider kinds, Welsh-language share and fair pay', async () => {
    const [a] = holders;
    const cheap = await post('/purchases', {
      providerId: agency,
      memberId: a.memberId,
      invoiceReference: 'A-77',
      invoiceDate: '2026-04-02',
      serviceFrom: '2026-04-01',
      serviceTo: '2026-04-01',
      lines: [{ serviceType: 'personal_assistance', description: 'Cover', units: '2', unitRate: '15.00' }],
    });
    expect(cheap.status).toBe(201);
    const report = await h.call<PurchasingReport>(
      'GET',
      `${c()}/reports/purchasing-power?from=2026-03-01&to=2026-04-30`,
      {
        token: coop.treasurerToken,
      },
    );
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({
      purchaseCount: 2,
      spend: '362.10',
      collectiveSaving: '47.85',
      sharedCosts: '100.00',
    });
    expect(report.body.welshLanguageProviders).toEqual({ spend: '332.10', sharePercent: '91.7' });
    expect(report.body.fairPay).toMatchObject({ realLivingWageHourly: '13.45', minimumHourlyRate: '16.82' });
    expect(report.body.fairPay.belowMinimum.map((f) => f.invoiceReference).sort()).toEqual(['A-77', 'INV-2026-031']);
  });
});
