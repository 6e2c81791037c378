import { describe, expect, it } from 'vitest';
import { parseMoney } from '../../src/domain/money';
import { buildHolderStatement, weeklyAward } from '../../src/domain/statements/holder-statement';
import { WORDING } from '../../src/services/statements/wording';

const funds = { id: 'f', kind: 'holder_funds' as const, poolName: null, opening: parseMoney('100.00') };
const share = { id: 's', kind: 'pool_share' as const, poolName: 'Tîm PA', opening: parseMoney('0.00') };
const movement = (over: Partial<Parameters<typeof buildHolderStatement>[0]['movements'][number]>) => ({
  entryId: 'e',
  valueDate: '2026-03-01',
  kind: 'dp_receipt',
  memo: 'Direct Payment received for DP-1',
  reference: 'WXM-0301',
  providerName: null,
  costDescription: null,
  poolName: null,
  accountId: 'f',
  category: null,
  amount: parseMoney('400.00'),
  ...over,
});

function statement(language: 'en' | 'cy', award: { amount: string; frequency: string } | null) {
  return buildHolderStatement({
    member: { id: 'm', name: 'Gwenllian Ŵyn', laReference: 'DP-1' },
    localAuthority: { code: 'WXM', name: 'Wrecsam', surplusThresholdWeeks: 2 },
    period: { from: '2026-03-01', to: '2026-03-31' },
    language,
    wording: WORDING[language],
    accounts: [funds, share],
    movements: [
      movement({}),
      movement({
        entryId: 'c',
        kind: 'pool_contribution',
        memo: 'Contribution to Tîm PA',
        poolName: 'Tîm PA',
        amount: parseMoney('-150.00'),
      }),
      movement({
        entryId: 'c',
        kind: 'pool_contribution',
        memo: 'Contribution to Tîm PA',
        poolName: 'Tîm PA',
        accountId: 's',
        amount: parseMoney('150.00'),
      }),
      movement({ entryId: 'r', kind: 'reversal', memo: 'Reversal: keyed twice', amount: parseMoney('-50.00') }),
    ],
    sharedCosts: [],
    purchases: [],
    award: award ? { amount: parseMoney(award.amount), frequency: award.frequency } : null,
  });
}

describe('holder statement model', () => {
  it('keeps a running balance per account and closes at opening plus movements', () => {
    const s = statement('en', null);
    expect(s.movements.map((m) => [m.account, m.in, m.out, m.balance])).toEqual([
      ['Your funds', '400.00', null, '500.00'],
      ['Your funds', null, '150.00', '350.00'],
      ['Share of Tîm PA', '150.00', null, '150.00'],
      ['Your funds', null, '50.00', '300.00'],
    ]);
    expect(s.closing).toMatchObject({ funds: '300.00', total: '450.00' });
  });

  it('describes movements in the statement language, keeping the reason typed for a correction', () => {
    expect(statement('cy', null).movements.map((m) => m.description)).toEqual([
      "Taliad Uniongyrchol wedi'i dderbyn (WXM-0301)",
      'I mewn i Tîm PA',
      'I mewn i Tîm PA',
      'Cywiriad: keyed twice',
    ]);
  });

  it('gives the closing balance in weeks of award and the surplus above the LA threshold', () => {
    const s = statement('en', { amount: '400.00', frequency: 'four_weekly' });
    // 450.00 held, 100.00 a week: 4.5 weeks; the threshold is 2 weeks (200.00), so 250.00 is surplus.
    expect(s.award).toMatchObject({ weekly: '100.00' });
    expect(s.closingWeeksOfAward).toBe('4.5');
    expect(s.surplusAboveThreshold).toBe('250.00');
    expect(weeklyAward({ amount: parseMoney('520.00'), frequency: 'monthly' }).toFixed(2)).toBe('120.00');
  });
});
