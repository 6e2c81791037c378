import { describe, expect, it } from 'vitest';
import { type Money, parseMoney } from '../../src/domain/money';
import { memberFigure } from '../../src/domain/ledger';
import { weeklyAward } from '../../src/domain/holder-standing';
import { buildHolderStatement } from '../../src/domain/statements/holder-statement';
import { WORDING } from '../../src/services/statements/wording';

const funds = { id: 'f', kind: 'holder_funds' as const, poolName: null, opening: memberFigure('100.00') };
const share = { id: 's', kind: 'pool_share' as const, poolName: 'Tîm PA', opening: memberFigure('0.00') };
const garden = { id: 'g', kind: 'pool_share' as const, poolName: 'Gardd', opening: memberFigure('20.00') };
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
  amount: memberFigure('400.00'),
  ...over,
});

function statement(language: 'en' | 'cy', award: { amount: string; frequency: string } | null) {
  return buildHolderStatement({
    member: { id: 'm', name: 'Gwenllian Ŵyn', laReference: 'DP-1' },
    coop: { name: 'Cronfa Gofal' },
    localAuthority: { code: 'WXM', name: 'Wrecsam', surplusThresholdWeeks: 2 },
    period: { from: '2026-03-01', to: '2026-03-31' },
    language,
    wording: WORDING[language],
    accounts: [funds, share, garden],
    movements: [
      movement({}),
      // A move into a pool: two postings of one entry.
      movement({
        entryId: 'c',
        kind: 'pool_contribution',
        memo: 'Contribution',
        poolName: 'Tîm PA',
        amount: memberFigure('-150.00'),
      }),
      movement({
        entryId: 'c',
        kind: 'pool_contribution',
        memo: 'Contribution',
        poolName: 'Tîm PA',
        accountId: 's',
        amount: memberFigure('150.00'),
      }),
      movement({
        entryId: 'k',
        kind: 'shared_cost',
        memo: 'Shared cost',
        costDescription: 'Payroll bureau',
        poolName: 'Gardd',
        accountId: 'g',
        category: 'payroll_services',
        amount: memberFigure('-5.00'),
      }),
      movement({ entryId: 'r', kind: 'reversal', memo: 'Reversal: keyed twice', amount: memberFigure('-50.00') }),
    ],
    sharedCosts: [
      {
        entryId: 'k',
        valueDate: '2026-03-10',
        poolName: 'Gardd',
        category: 'payroll_services',
        description: 'Payroll bureau',
        total: parseMoney('1200.00'),
        method: 'equal',
        memberCount: 240,
        share: parseMoney('5.00'),
      },
    ],
    purchases: [],
    award: award ? { amount: parseMoney(award.amount), frequency: award.frequency } : null,
  });
}

const money = (text: string | null) => parseMoney(text ?? '0.00');

describe('holder statement model', () => {
  it('shows each entry once, with the money they have and each pool share in figures of their own', () => {
    const s = statement('en', null);
    expect(s.accounts).toEqual({
      funds: 'Money you have',
      pools: [
        { poolAccountId: 's', name: 'Your share of Tîm PA' },
        { poolAccountId: 'g', name: 'Your share of Gardd' },
      ],
    });
    // One row per entry: the move into the pool is one row, out of the money they have and into the share.
    expect(s.movements.map((m) => [m.entryId, m.funds, m.pools.map((p) => [p.in, p.out, p.share]), m.total])).toEqual([
      [
        'e',
        { in: '400.00', out: null, balance: '500.00' },
        [
          [null, null, '0.00'],
          [null, null, '20.00'],
        ],
        '520.00',
      ],
      [
        'c',
        { in: null, out: '150.00', balance: '350.00' },
        [
          ['150.00', null, '150.00'],
          [null, null, '20.00'],
        ],
        '520.00',
      ],
      [
        'k',
        { in: null, out: null, balance: '350.00' },
        [
          [null, null, '150.00'],
          [null, '5.00', '15.00'],
        ],
        '515.00',
      ],
      [
        'r',
        { in: null, out: '50.00', balance: '300.00' },
        [
          [null, null, '150.00'],
          [null, null, '15.00'],
        ],
        '465.00',
      ],
    ]);
    expect(s.closing).toEqual({
      funds: '300.00',
      pools: [
        { poolAccountId: 's', name: 'Tîm PA', share: '150.00' },
        { poolAccountId: 'g', name: 'Gardd', share: '15.00' },
      ],
      total: '465.00',
    });
  });

  it('continues every running figure from the one above it, from the opening figures to the closing ones', () => {
    const s = statement('cy', null);
    const follow = (
      opening: string,
      rows: { in: string | null; out: string | null; figure: string }[],
      closing: string,
    ) => {
      let previous: Money = parseMoney(opening);
      for (const row of rows) {
        expect(previous.plus(money(row.in)).minus(money(row.out)).toFixed(2)).toBe(row.figure);
        previous = parseMoney(row.figure);
      }
      expect(previous.toFixed(2)).toBe(closing);
    };
    follow(
      s.opening.funds,
      s.movements.map((m) => ({ ...m.funds, figure: m.funds.balance })),
      s.closing.funds,
    );
    s.opening.pools.forEach((pool, i) =>
      follow(
        pool.share,
        s.movements.map((m) => ({ ...m.pools[i]!, figure: m.pools[i]!.share })),
        s.closing.pools[i]!.share,
      ),
    );
    for (const m of s.movements)
      expect(
        parseMoney(m.funds.balance)
          .plus(m.pools.reduce((a, p) => a.plus(parseMoney(p.share)), parseMoney('0')))
          .toFixed(2),
      ).toBe(m.total);
  });

  it('describes movements in the statement language, keeping the reason typed for a correction', () => {
    const s = statement('cy', null);
    expect(s.movements.map((m) => m.description)).toEqual([
      "Taliad Uniongyrchol wedi'i dderbyn (WXM-0301)",
      'I mewn i Tîm PA',
      'Cost a rennir: Payroll bureau',
      'Cywiriad: keyed twice',
    ]);
    expect(s.movements[2]!.categories).toEqual(['payroll_services']);
    expect(s.coop).toEqual({ name: 'Cronfa Gofal' });
  });

  it('names the category of a shared cost and shows the split in pounds', () => {
    expect(statement('en', null).sharedCosts[0]).toMatchObject({
      categoryName: 'Payroll services',
      text: 'Payroll services: £1,200.00, split equally between 240 members. Your share: £5.00',
    });
    expect(statement('cy', null).sharedCosts[0]!.text).toBe(
      "Gwasanaethau cyflogres: £1,200.00, wedi'i rannu'n gyfartal rhwng 240 aelod. Eich cyfran: £5.00",
    );
  });

  it('gives the weekly award, the closing balance in weeks of it, and the surplus threshold in weeks and money', () => {
    const s = statement('en', { amount: '400.00', frequency: 'four_weekly' });
    // 465.00 held, 100.00 a week: 4.7 weeks; the threshold is 2 weeks (200.00), so 265.00 is surplus.
    expect(s.award).toEqual({ amount: '400.00', frequency: 'four_weekly', weekly: '100.00' });
    expect(s.closingWeeksOfAward).toBe('4.7');
    expect(s.surplusThresholdWeeks).toBe(2);
    expect(s.surplusThresholdAmount).toBe('200.00');
    expect(s.surplusAboveThreshold).toBe('265.00');
    expect(weeklyAward({ amount: parseMoney('520.00'), frequency: 'monthly' }).toFixed(2)).toBe('120.00');
    const none = statement('en', null);
    expect([none.surplusThresholdAmount, none.surplusAboveThreshold]).toEqual([null, null]);
  });
});
