import { defineConfig } from 'vitest/config';

// tests/pg holds what only a real PostgreSQL server can show (races between connections); it runs only when
// TEST_DATABASE_URL points at one. Everything else runs on both databases.
const onPostgres = Boolean(process.env.TEST_DATABASE_URL);
// The fault tests restart the PostgreSQL server, which would cut every other test file's connections: they run on
// their own, in a second pass (CRONFA_FAULT_TESTS=1), never beside the rest.
const FAULT_TESTS = 'tests/pg/bank-workload.test.ts';
const faultPass = Boolean(process.env.CRONFA_FAULT_TESTS);

export default defineConfig({
  test: {
    include: faultPass
      ? [FAULT_TESTS]
      : onPostgres
        ? ['tests/**/*.test.ts']
        : ['tests/{unit,property,api,web,browser}/**/*.test.ts'],
    exclude: faultPass ? [] : [FAULT_TESTS, 'node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
