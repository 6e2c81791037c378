import { defineConfig } from 'vitest/config';

// tests/pg holds what only a real PostgreSQL server can show (races between connections); it runs only when
// TEST_DATABASE_URL points at one. Everything else runs on both databases.
const onPostgres = Boolean(process.env.TEST_DATABASE_URL);

export default defineConfig({
  test: {
    include: onPostgres ? ['tests/**/*.test.ts'] : ['tests/{unit,property,api}/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
