import { describe, expect, it } from 'vitest';
import { awardInForceOn, dayBefore, planAwardChange } from '../../src/domain/awards';
import { DomainError } from '../../src/domain/errors';

const award = (id: string, startsOn: string, endsOn: string | null = null) => ({ id, startsOn, endsOn });

describe('planning an award change', () => {
  it('ends the award in force the day before a change, and leaves earlier ones alone', () => {
    const live = [award('a', '2025-04-01', '2025-12-31'), award('b', '2026-01-01')];
    expect(planAwardChange(live, { startsOn: '2026-03-01', endsOn: null }, null)).toEqual({
      endings: [{ id: 'b', endsOn: '2026-02-28' }],
      replaced: [],
    });
  });

  it('replaces an award recorded for the same dates (a correction) or later ones (a change planned ahead)', () => {
    const live = [award('a', '2026-01-01', '2026-02-28'), award('b', '2026-03-01'), award('c', '2026-06-01')];
    expect(planAwardChange(live, { startsOn: '2026-03-01', endsOn: null }, null)).toEqual({
      endings: [],
      replaced: ['b', 'c'],
    });
  });

  it('touches nothing that ends before the change or starts after its end', () => {
    const live = [award('a', '2026-01-01', '2026-01-31'), award('z', '2026-09-01')];
    expect(planAwardChange(live, { startsOn: '2026-03-01', endsOn: '2026-05-31' }, null)).toEqual({
      endings: [],
      replaced: [],
    });
  });

  it('refuses a change reaching into a closed period, and one ending before it starts', () => {
    expect(() => planAwardChange([], { startsOn: '2026-01-31', endsOn: null }, '2026-01-31')).toThrow(
      expect.objectContaining({ code: 'period-closed' }),
    );
    expect(planAwardChange([], { startsOn: '2026-02-01', endsOn: null }, '2026-01-31')).toEqual({
      endings: [],
      replaced: [],
    });
    const error = (() => {
      try {
        planAwardChange([], { startsOn: '2026-02-01', endsOn: '2026-01-31' }, null);
      } catch (e) {
        return e as DomainError;
      }
    })();
    expect(error).toBeInstanceOf(DomainError);
    expect(error?.fieldErrors).toEqual([{ field: 'endsOn', message: 'must not be before startsOn' }]);
  });

  it('finds the one award in force on a date, or none', () => {
    const live = [award('a', '2026-01-01', '2026-02-28'), award('b', '2026-03-01')];
    expect(awardInForceOn(live, '2026-02-28')?.id).toBe('a');
    expect(awardInForceOn(live, '2026-03-01')?.id).toBe('b');
    expect(awardInForceOn(live, '2025-12-31')).toBeNull();
    expect(dayBefore('2026-03-01')).toBe('2026-02-28');
    expect(dayBefore('2024-03-01')).toBe('2024-02-29');
  });
});
