import { expect } from 'vitest';

/**
 * Small assertions that also narrow the type, in place of a non-null assertion (`!`): each fails the test, saying
 * what was missing, where `!` would only have let an `undefined` through to fail later, somewhere else.
 */

/** `value`, asserted to be there (neither undefined nor null). */
export function defined<T>(value: T | undefined | null, what = 'the value'): T {
  if (value === undefined || value === null) throw new Error(`expected ${what}, got ${String(value)}`);
  return value;
}

/** The one element of `items`, asserting there is exactly one. */
export function only<T>(items: readonly T[], what = 'item'): T {
  expect(items, `exactly one ${what}`).toHaveLength(1);
  return items[0] as T;
}

/** The first element of `items`, asserting there is one. */
export function first<T>(items: readonly T[], what = 'item'): T {
  expect(items.length, `at least one ${what}`).toBeGreaterThan(0);
  return items[0] as T;
}
