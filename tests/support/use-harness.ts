import { afterAll, beforeAll } from 'vitest';
import { type CoopFixture, createCoop } from './fixtures';
import { type TypedHarness, createHarness } from './harness';

export interface HarnessHandle {
  /** The app on this file's own database (answers typed: `unknown` until a call names its type). */
  h: TypedHarness;
  /** A co-op with a treasurer, and an LA with an officer, made before the file's own `beforeAll`s run. */
  coop: CoopFixture;
}

/**
 * The setup most API test files share: a fresh database and the app on it, and one co-op, made in `beforeAll` and
 * closed in `afterAll`. Call it once at the top of the file, before its own hooks (which then run after it):
 *
 *     const { h, coop } = useHarness();
 *
 * `h` and `coop` stand for what `beforeAll` makes, so they may be read only in hooks and tests, not while the file
 * is being collected (reading them then throws, saying so).
 */
export function useHarness(): HarnessHandle {
  let harness: TypedHarness | undefined;
  let coop: CoopFixture | undefined;
  beforeAll(async () => {
    harness = await createHarness();
    coop = await createCoop(harness);
  });
  afterAll(async () => {
    await harness?.close();
  });
  return {
    h: lateBound<TypedHarness>('the harness', () => harness, {
      app: true,
      db: true,
      adminToken: true,
      call: true,
      close: true,
    }),
    coop: lateBound<CoopFixture>('the co-op', () => coop, {
      coopId: true,
      treasurerToken: true,
      laId: true,
      laOfficerToken: true,
    }),
  };
}

/**
 * An object whose every field reads that field of what `current()` returns once it is there. The key list is
 * checked against the type, so a field added to it must be added here.
 */
function lateBound<T extends object>(what: string, current: () => T | undefined, keys: Record<keyof T, true>): T {
  const view = {} as T;
  for (const key of Object.keys(keys) as (keyof T & string)[]) {
    Object.defineProperty(view, key, {
      enumerable: true,
      get: () => {
        const value = current();
        if (value === undefined)
          throw new Error(
            `${what}.${key} was read before useHarness()'s beforeAll made it (read it in hooks and tests)`,
          );
        return value[key];
      },
    });
  }
  return view;
}
