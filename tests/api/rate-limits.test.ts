import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app';
import { createBootstrapAdminToken } from '../../src/services/tokens';
import { type TestDatabase, openTestDatabase } from '../support/database';
import { problemType } from '../support/problems';

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
  admin = await createBootstrapAdminToken(db.database, 'rate test', new Date());
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
    const other = await createBootstrapAdminToken(db.database, 'another admin', new Date());
    const statuses = [];
    for (let i = 0; i < 6; i += 1) statuses.push((await get(admin)).statusCode);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const limited = await get(admin);
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.headers['content-type']).toContain('application/problem+json');
    expect(limited.json()).toMatchObject({ type: problemType('rate-limited'), status: 429 });
    expect((await get(other, '10.0.0.2')).statusCode).toBe(200);
  });
});

describe('failed sign-ins', () => {
  const bad = (n: number) => `cronfa_${'x'.repeat(42)}${n}`;

  it('refuses an address for the rest of the minute after repeated bad tokens, and never a good token from it', async () => {
    const good = await createBootstrapAdminToken(db.database, 'good admin', new Date());
    const ip = '10.0.0.9';
    const statuses = [];
    // A different junk token each time: the limit counts the address, not the header.
    for (let i = 0; i < 4; i += 1) statuses.push((await get(bad(i), ip)).statusCode);
    expect(statuses).toEqual([401, 401, 401, 429]);
    const refused = await get(bad(9), ip);
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.json()).toMatchObject({ type: problemType('rate-limited'), status: 429 });
    // Behind a proxy every client shares its address: a valid token is never refused for what others did there.
    expect((await get(good, ip)).statusCode).toBe(200);
    expect((await get(bad(10), '10.0.0.10')).statusCode).toBe(401);
  });

  it('counts requests with no token, and malformed ones, against the address too', async () => {
    const ip = '10.0.0.11';
    const statuses = [];
    for (let i = 0; i < 2; i += 1) statuses.push((await get(null, ip)).statusCode);
    statuses.push((await get('not-a-token', ip)).statusCode);
    statuses.push((await get(null, ip)).statusCode);
    expect(statuses).toEqual([401, 401, 401, 429]);
  });
});

describe('behind a reverse proxy', () => {
  it("with TRUST_PROXY, counts each client by its forwarded address, not the proxy's", async () => {
    const proxied = await buildApp(
      {
        logLevel: 'silent',
        requestTimeoutMs: 30_000,
        rateLimits: { perMinute: 100, authFailuresPerMinute: 2 },
        trustProxy: 1,
      },
      { database: db.database },
    );
    try {
      const via = (client: string) =>
        proxied.inject({
          method: 'GET',
          url: '/v1/local-authorities',
          remoteAddress: '10.9.9.9',
          headers: { authorization: 'Bearer cronfa_' + 'y'.repeat(43), 'x-forwarded-for': client },
        });
      const flooder = [];
      for (let i = 0; i < 3; i += 1) flooder.push((await via('203.0.113.7')).statusCode);
      expect(flooder).toEqual([401, 401, 429]);
      expect((await via('198.51.100.20')).statusCode).toBe(401);
    } finally {
      await proxied.close();
    }
  });

  it('without TRUST_PROXY, ignores X-Forwarded-For, so no client can choose its own address', async () => {
    const ip = '10.0.0.12';
    const statuses = [];
    for (let i = 0; i < 4; i += 1) {
      const res = await app.inject({
        method: 'GET',
        url: '/v1/local-authorities',
        remoteAddress: ip,
        headers: { authorization: `Bearer cronfa_${'z'.repeat(42)}${i}`, 'x-forwarded-for': `192.0.2.${i}` },
      });
      statuses.push(res.statusCode);
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
  });
});

describe('per-token limits follow the token, not the header', () => {
  it('counts "Bearer" and "bearer" spellings of one token together', async () => {
    const token = await createBootstrapAdminToken(db.database, 'spelling admin', new Date());
    const statuses = [];
    for (let i = 0; i < 6; i += 1) {
      const scheme = i % 2 === 0 ? 'Bearer' : 'bearer';
      const res = await app.inject({
        method: 'GET',
        url: '/v1/local-authorities',
        remoteAddress: `10.1.0.${i}`,
        headers: { authorization: `${scheme} ${token}` },
      });
      statuses.push(res.statusCode);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
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
