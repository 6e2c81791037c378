import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoTokens, seedDemo } from '../../scripts/demo-seed';
import { buildApp } from '../../src/app';
import type { Database } from '../../src/db/database';
import { createBootstrapAdminToken } from '../../src/services/tokens';
import { type TestDatabase, openTestDatabase } from '../support/database';
import { captureLogs } from '../support/log-capture';

/**
 * What leaves the service, in answers and in its logs, at the most talkative log level: never a token (except the
 * one answer that creates it), never a holder's name in a log line, never a stack trace or a query's values.
 */
const { stream: logStream, lines: logLines } = captureLogs();
const answers: { url: string; body: string }[] = [];

let db: TestDatabase;
let app: Awaited<ReturnType<typeof buildApp>>;
let demo: DemoTokens;
const tokens: string[] = [];
const HOLDER_NAMES = [
  'Dafydd Tŷ-Gwyn',
  'Gwenllian Ŵyn',
  'Siân Llŷr',
  'Rhys Pritchard',
  'Megan Ellis-Hughes',
  'Nia Bryn-Dŵr',
];
const STACK = /\n\s+at |\bat .*\.(ts|js):\d+|node_modules/;

beforeAll(async () => {
  db = await openTestDatabase();
  app = await buildApp({ logLevel: 'trace', requestTimeoutMs: 60_000 }, { database: db.database, logStream });
  const inject = app.inject.bind(app) as (options: InjectOptions) => Promise<LightMyRequestResponse>;
  // Every answer the test receives is kept for inspection.
  const recording = async (options: InjectOptions) => {
    const res = await inject(options);
    answers.push({ url: String(options.url), body: res.body });
    return res;
  };
  (app as unknown as { inject: typeof recording }).inject = recording;
  const admin = await createBootstrapAdminToken(db.database, 'hygiene', new Date());
  demo = await seedDemo(app, admin);
  tokens.push(admin, demo.treasurer, demo.holder.token, demo.laOfficer.token);
  const c = `/v1/coops/${demo.coopId}`;
  const as = (token: string) => ({ authorization: `Bearer ${token}` });
  // Refusals of every kind, with tokens in the headers.
  await app.inject({ method: 'GET', url: `${c}/accounts`, headers: as(demo.holder.token) });
  await app.inject({ method: 'GET', url: `${c}/accounts`, headers: as(`cronfa_${'A'.repeat(43)}`) });
  await app.inject({
    method: 'POST',
    url: `${c}/receipts`,
    headers: { ...as(demo.treasurer), 'content-type': 'application/json' },
    payload: '{"memberId":',
  });
  await app.inject({
    method: 'POST',
    url: `${c}/receipts`,
    headers: { ...as(demo.treasurer), 'content-type': 'application/json' },
    payload: JSON.stringify({
      memberId: demo.holder.memberId,
      amount: '99999999.00',
      receivedOn: '2099-01-01',
      reference: 'X',
    }),
  });
  await app.inject({
    method: 'GET',
    url: `${c}/statements/holders/${demo.holder.memberId}?from=2026-01-01&to=2026-12-31&format=pdf`,
    headers: as(demo.holder.token),
  });
  await app.inject({
    method: 'GET',
    url: `/v1/local-authorities/${demo.laOfficer.laId}/statements?coopId=${demo.coopId}&from=2026-01-01&to=2026-12-31&format=csv`,
    headers: as(demo.laOfficer.token),
  });
}, 180_000);
afterAll(async () => {
  await app.close();
  await db.close();
});

describe('logs', () => {
  it('are written at all (so the checks below mean something)', () => {
    expect(logLines.length).toBeGreaterThan(500);
    expect(logLines.some((l) => l.includes('"statusCode":401'))).toBe(true);
  });

  it('never hold a token, a holder name, a stack trace or a query value', () => {
    for (const line of logLines) {
      for (const token of tokens) expect(line).not.toContain(token);
      for (const name of HOLDER_NAMES) expect(line).not.toContain(name);
      expect(line).not.toMatch(STACK);
      expect(line).not.toContain('params:');
    }
  });
});

describe('answers', () => {
  it('carry a token only in the answer that creates it, and never a stack trace', () => {
    expect(answers.length).toBeGreaterThan(100);
    for (const answer of answers) {
      if (!answer.url.endsWith('/v1/tokens')) for (const token of tokens) expect(answer.body).not.toContain(token);
      expect(answer.body).not.toMatch(/\n\s+at |\.(ts|js):\d+:\d+/);
    }
  });
});

describe('a failure inside the service', () => {
  it('answers 500 problem+json without detail, and logs a summary without the query values', async () => {
    const failing: Database = {
      ...db.database,
      read: () => {
        throw Object.assign(
          new Error(`Failed query: select name, amount from members\nparams: ${HOLDER_NAMES[0]},212.40`),
          { cause: new Error('boom') },
        );
      },
    };
    const broken = await buildApp({ logLevel: 'trace', requestTimeoutMs: 10_000 }, { database: failing, logStream });
    const before = logLines.length;
    const res = await broken.inject({
      method: 'GET',
      url: `/v1/coops/${demo.coopId}/accounts`,
      headers: { authorization: `Bearer ${demo.treasurer}` },
    });
    await broken.close();
    // Authentication reads the database too: the failure comes from the first read, whichever it is.
    expect(res.statusCode).toBe(500);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body).not.toContain(HOLDER_NAMES[0]);
    expect(res.body).not.toMatch(STACK);
    const logged = logLines.slice(before).filter((l) => l.includes('request failed'));
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain('Failed query: select name, amount from members');
    expect(logged[0]).not.toContain(HOLDER_NAMES[0]);
    expect(logged[0]).not.toMatch(STACK);
  });
});
