import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config';

describe('configuration from the environment', () => {
  it('defaults to the embedded database in ./data on 127.0.0.1:3000', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      logLevel: 'info',
      database: { kind: 'embedded', dataDir: './data' },
    });
  });

  it('selects PostgreSQL when DATABASE_URL is a postgres:// URL', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://cronfa@127.0.0.1:5432/cronfa', DB_POOL_SIZE: '4' });
    expect(config.database).toEqual({ kind: 'postgres', url: 'postgres://cronfa@127.0.0.1:5432/cronfa', poolSize: 4 });
  });

  it.each([
    ['PORT', { PORT: 'eighty' }],
    ['PORT', { PORT: '70000' }],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://localhost/db' }],
    ['LOG_LEVEL', { LOG_LEVEL: 'loud' }],
    ['DB_POOL_SIZE', { DB_POOL_SIZE: '0' }],
  ])('refuses an invalid %s, naming it', (variable, env) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(variable));
  });
});
