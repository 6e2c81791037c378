import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app';
import { createBootstrapAdminToken } from '../../src/services/tokens';
import { type TestDatabase, openTestDatabase } from '../support/database';

/** The limits the server runs with, on an app built with small ones: 429 problem+json with Retry-After. */
let db: TestDatabase;
let app: Awaited<ReturnType<typeof buildApp>>;
let admin: string;

beforeAll(async () => {
  db = await openTestDatabase();
  app = await buildApp(
    { logLevel: 'silent', requestTimeoutMs: 30_000, rateLimits: { perMinute: 5, authFailuresPerMinute: 3 } },
    { database: db.database },
  );
  await app.ready();
  admin = await createBootstrapAdminToken(db.database, 'rate test');
});
afterAll(async () => {
  await app.close();
  await db.close();
});

const get = (token: string | null, ip = '10.0.0.1') =>
  app.inject({
    method: 'GET',
    url: '/v1/local-authorities',
    remoteAddress: ip,
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });

describe('per-token limits', () => {
  it('answers the sixth request in a minute with 429, Retry-After and a problem body, and leaves other tokens alone', async () => {
    const other = await createBootstrapAdminToken(db.database, 'another admin');
    const statuses = [];
    for (let i = 0; i < 6; i += 1) statuses.push((await get(admin)).statusCode);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const limited = await get(admin);
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.headers['content-type']).toContain('application/problem+json');
    expect(limited.json()).toMatchObject({ type: 'https://cronfa.dev/problems/rate-limited', status: 429 });
    expect((await get(other, '10.0.0.2')).statusCode).toBe(200);
  });
});

describe('failed sign-ins', () => {
  it('refuses an address for the rest of the minute after repeated bad tokens, even with a good token', async () => {
    const good = await createBootstrapAdminToken(db.database, 'good admin');
    const ip = '10.0.0.9';
    const bad = (n: number) => `cronfa_${'x'.repeat(42)}${n}`;
    const statuses = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await get(bad(i), ip)).statusCode);
    expect(statuses).toEqual([401, 401, 401, 429]);
    const blocked = await get(good, ip);
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect((await get(good, '10.0.0.10')).statusCode).toBe(200);
  });
});

describe('security headers', () => {
  it('sends the usual hardening headers on every answer', async () => {
    const res = await app.inject({ method: 'GET', url: '/health' });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(res.headers['x-powered-by']).toBeUndefined();
  });
});
