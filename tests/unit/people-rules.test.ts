import { describe, expect, it } from 'vitest';
import { passwordProblem } from '../../src/domain/passwords';
import { firstDayMonthsBack, monthEndTotals, recentMonthEnds } from '../../src/domain/statements/monthly-totals';
import { messageKeys, translate } from '../../src/web/i18n';
import { safeNext } from '../../src/web/pages/sign-in';

describe('passwords (NCSC: long rather than complex)', () => {
  const person = { email: 'bethan.morgan@example.org', name: 'Bethan Morgan' };
  it.each([
    ['short', 'too-short'],
    ['x'.repeat(257), 'too-long'],
    ['aaaaaaaaaaaa', 'too-common'],
    ['1234567890', 'too-common'],
    ['abcdefghijk', 'too-common'],
    ['Password123!', 'too-common'],
    ['cyfrinair2024', 'too-common'],
    ['BethanMorgan99', 'contains-name'],
    ['bethan.morgan', 'contains-name'],
  ])('%s → %s', (password, problem) => {
    expect(passwordProblem(password, password, person)).toBe(problem);
  });
  it('accepts three random words, and checks the confirmation last', () => {
    expect(passwordProblem('tea kettle garden', 'tea kettle garden', person)).toBeNull();
    expect(passwordProblem('tea kettle garden', 'tea kettle gardens', person)).toBe('mismatch');
    expect(passwordProblem('Morgan and the tea kettle', undefined, person)).toBeNull();
  });
});

describe('the balance chart’s months', () => {
  it('are the month ends before today, and today', () => {
    expect(recentMonthEnds('2026-03-15', 4)).toEqual(['2025-12-31', '2026-01-31', '2026-02-28', '2026-03-15']);
    expect(firstDayMonthsBack('2026-03-15', 12)).toBe('2025-04-01');
  });
  it('carry the running total of the last movement on or before each month end', () => {
    const statement = {
      opening: { total: '10.00' },
      movements: [
        { date: '2026-01-05', total: '110.00' },
        { date: '2026-01-31', total: '100.00' },
        { date: '2026-03-01', total: '150.00' },
      ],
    };
    expect(monthEndTotals(statement, ['2025-12-31', '2026-01-31', '2026-02-28', '2026-03-15'])).toEqual([
      { monthEnd: '2025-12-31', total: '10.00' },
      { monthEnd: '2026-01-31', total: '100.00' },
      { monthEnd: '2026-02-28', total: '100.00' },
      { monthEnd: '2026-03-15', total: '150.00' },
    ]);
  });
});

describe('the pages’ words', () => {
  it('exist in Welsh for every English message, and the other way round', () => {
    expect(messageKeys('cy').sort()).toEqual(messageKeys('en').sort());
  });
  it('fill their placeholders, and a missing message is an error, never a key shown to a person', () => {
    expect(translate('cy', 'money.weeks', { weeks: '3.5' })).toBe('Mae hyn tua 3.5 wythnos o’ch Taliad Uniongyrchol.');
    expect(() => translate('en', 'money.nothing')).toThrow(/no en message/);
  });
});

describe('where sign-in sends a person next', () => {
  it.each([
    ['/accounts/x', '/accounts/x'],
    ['//evil.example/', '/'],
    ['/\\evil.example', '/'],
    ['https://evil.example/', '/'],
    ['/sign-in', '/'],
    [undefined, '/'],
  ])('%s → %s', (next, expected) => {
    expect(safeNext(next)).toBe(expected);
  });
});
