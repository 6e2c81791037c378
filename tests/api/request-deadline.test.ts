import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app';
import type { Database } from '../../src/db/database';
import { createBootstrapAdminToken } from '../../src/services/tokens';
import { type TestDatabase, openTestDatabase } from '../support/database';
import { captureLogs } from '../support/log-capture';
import { problemType } from '../support/problems';

/** A request the database cannot answer in time gets 503 problem+json at the deadline, not a hang. */
let db: TestDatabase;
let admin: string;
const { stream: logStream, lines: logLines } = captureLogs();

beforeAll(async () => {
  db = await openTestDatabase();
  admin = await createBootstrapAdminToken(db.database, 'deadline', new Date());
});
afterAll(async () => db.close());

/** The real database, except that reads after authentication wait `delayMs` first. */
function slowDatabase(delayMs: number): Database {
  let calls = 0;
  return {
    ...db.database,
    read: async (work) => {
      calls += 1;
      if (calls > 1) await new Promise((r) => setTimeout(r, delayMs));
      return db.database.read(work);
    },
  };
}

describe('the request deadline', () => {
  it('answers 503 with Retry-After when the database takes longer than the deadline', async () => {
    const app = await buildApp(
      { logLevel: 'info', requestTimeoutMs: 300 },
      { database: slowDatabase(1500), logStream },
    );
    const started = Date.now();
    const res = await app.inject({
      method: 'GET',
      url: '/v1/local-authorities',
      headers: { authorization: `Bearer ${admin}` },
    });
    const took = Date.now() - started;
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(took).toBeLessThan(1200);
    // The late answer from the handler is dropped without a stack trace in the log.
    await new Promise((r) => setTimeout(r, 1600));
    await app.close();
    expect(logLines.some((l) => l.includes('request deadline passed'))).toBe(true);
    for (const line of logLines) expect(line, line).not.toMatch(/\n\s+at |\.(ts|js):\d+/);
  });

  it('answers 503, not 408, when authentication itself waits on the database past the deadline', async () => {
    let finished: () => void = () => {};
    const lateReadDone = new Promise<void>((resolve) => (finished = resolve));
    const slowFromTheStart: Database = {
      ...db.database,
      read: async (work) => {
        await new Promise((r) => setTimeout(r, 800));
        try {
          return await db.database.read(work);
        } finally {
          finished();
        }
      },
    };
    const app = await buildApp({ logLevel: 'silent', requestTimeoutMs: 300 }, { database: slowFromTheStart });
    const res = await app.inject({
      method: 'GET',
      url: '/v1/local-authorities',
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.json()).toMatchObject({ type: problemType('database-unavailable') });
    await lateReadDone;
    await app.close();
  });

  it('leaves requests that finish in time alone', async () => {
    const app = await buildApp({ logLevel: 'silent', requestTimeoutMs: 2000 }, { database: slowDatabase(50) });
    const res = await app.inject({
      method: 'GET',
      url: '/v1/local-authorities',
      headers: { authorization: `Bearer ${admin}` },
    });
    await app.close();
    expect(res.statusCode).toBe(200);
  });
});
