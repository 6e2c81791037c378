import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app';
import { answerClientError } from '../../src/http/plugins/client-errors';
import { redactedUrl } from '../../src/http/plugins/log-redaction';
import { pruneIdempotencyKeys } from '../../src/services/idempotency';
import { createBootstrapAdminToken } from '../../src/services/tokens';
import { type CoopFixture, createCoop, createHolder, receive } from '../support/fixtures';
import { type Harness, createHarness } from '../support/harness';
import { captureLogs } from '../support/log-capture';

let h: Harness;
let coop: CoopFixture;
let memberId: string;

beforeAll(async () => {
  h = await createHarness();
  coop = await createCoop(h);
  memberId = (await createHolder(h, coop)).memberId;
  await receive(h, coop, memberId, '50.00');
});
afterAll(async () => h.close());

describe('caching and content security', () => {
  it('sends Cache-Control: no-store on every answer with money or people in it', async () => {
    const c = `/v1/coops/${coop.coopId}`;
    for (const url of [
      `${c}/members/${memberId}/balance`,
      `${c}/accounts`,
      `${c}/entries`,
      `${c}/members`,
      `${c}/statements/holders/${memberId}?from=2026-01-01&to=2026-01-31`,
      `${c}/statements/holders/${memberId}?from=2026-01-01&to=2026-01-31&format=csv`,
      `/v1/local-authorities/${coop.laId}/statements?coopId=${coop.coopId}&from=2026-01-01&to=2026-01-31&format=pdf`,
    ]) {
      const token = url.startsWith('/v1/local') ? coop.laOfficerToken : coop.treasurerToken;
      const res = await h.call('GET', url, { token });
      expect(res.status, url).toBe(200);
      expect(res.headers['cache-control'], url).toBe('no-store');
    }
    const refused = await h.call('GET', `${c}/accounts`, {});
    expect(refused.headers['cache-control']).toBe('no-store');
  });

  it('gives the API a policy that lets nothing load, and the docs one that loads nothing from elsewhere', async () => {
    const api = await h.call('GET', '/health');
    expect(api.headers['content-security-policy']).toContain("default-src 'none'");
    expect(api.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    const docs = await h.call('GET', '/docs');
    expect(docs.status).toBe(200);
    const policy = String(docs.headers['content-security-policy']);
    expect(policy).toContain("default-src 'self'");
    expect(policy).toContain("object-src 'none'");
    expect(policy).not.toMatch(/https:|http:|\*|validator|unsafe-inline|unsafe-eval/);
  });
});

describe('answers at the edges of HTTP are problem+json', () => {
  const clientError = (code: string) => {
    const written: string[] = [];
    answerClientError(Object.assign(new Error(code), { code }), {
      destroyed: false,
      writable: true,
      write: (text: string) => written.push(text),
      destroy: () => undefined,
    } as never);
    const [head = '', body = ''] = written.join('').split('\r\n\r\n');
    return { head, body: JSON.parse(body) as { type: string; status: number } };
  };

  it('answers a request that never finished arriving with 408 problem+json', () => {
    const { head, body } = clientError('ERR_HTTP_REQUEST_TIMEOUT');
    expect(head).toMatch(/^HTTP\/1\.1 408 /);
    expect(head).toContain('Content-Type: application/problem+json');
    expect(body).toMatchObject({ type: 'https://cronfa.dev/problems/request-timeout', status: 408 });
  });

  it('answers headers too large with 431 problem+json, on a real connection', async () => {
    const app = await buildApp({ logLevel: 'silent', requestTimeoutMs: 30_000 }, { database: h.db.database });
    try {
      await app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = app.server.address() as AddressInfo;
      const answer = await rawRequest(port, `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
      expect(answer).toMatch(/^HTTP\/1\.1 431 /);
      expect(answer).toContain('Content-Type: application/problem+json');
      expect(JSON.parse(answer.split('\r\n\r\n')[1]!)).toMatchObject({
        type: 'https://cronfa.dev/problems/headers-too-large',
        status: 431,
      });
    } finally {
      await app.close();
    }
  });

  it('answers a body that arrives too slowly with 408, not "database unavailable"', async () => {
    const app = await buildApp({ logLevel: 'silent', requestTimeoutMs: 500 }, { database: h.db.database });
    try {
      await app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = app.server.address() as AddressInfo;
      const admin = await createBootstrapAdminToken(h.db.database, 'slow body', new Date());
      // The headers promise 100 bytes; only 10 come. The answer arrives when the deadline passes.
      const answer = await rawRequest(
        port,
        `POST /v1/coops HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${admin}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"name":"C`,
      );
      expect(answer).toMatch(/^HTTP\/1\.1 408 /);
      expect(answer).toContain('application/problem+json');
      expect(answer).toContain('https://cronfa.dev/problems/request-timeout');
    } finally {
      await app.close();
    }
  });
});

describe('what logs and names may hold', () => {
  it('redacts secrets from the query strings it logs', async () => {
    expect(redactedUrl('/v1/x?token=abc&from=2026-01-01')).toBe('/v1/x?token=%5Bredacted%5D&from=2026-01-01');
    expect(redactedUrl(`/v1/x?q=cronfa_${'a'.repeat(43)}`)).toBe('/v1/x?q=%5Bredacted%5D');
    expect(redactedUrl('/v1/x?password=hunter2&session=s')).not.toMatch(/hunter2|=s(&|$)/);
    expect(redactedUrl('/v1/x')).toBe('/v1/x');
    // A sign-up link's secret is a path segment: it is redacted too.
    expect(redactedUrl(`/invitations/cronfa_${'b'.repeat(43)}?lang=cy`)).toBe('/invitations/[redacted]?lang=cy');
    expect(redactedUrl(`/invitations/cronfa_${'b'.repeat(43)}`)).toBe('/invitations/[redacted]');

    const { stream, lines } = captureLogs();
    const app = await buildApp(
      { logLevel: 'trace', requestTimeoutMs: 30_000 },
      { database: h.db.database, logStream: stream },
    );
    try {
      const secret = `cronfa_${'q'.repeat(43)}`;
      await app.inject({ method: 'GET', url: `/health?access_token=${secret}&apiKey=k3y-value` });
      expect(lines.some((l) => l.includes('/health'))).toBe(true);
      expect(lines.join('\n')).not.toContain(secret);
      expect(lines.join('\n')).not.toContain('k3y-value');
    } finally {
      await app.close();
    }
  });

  it('refuses names with bidirectional overrides or invisible characters, and keeps the joiners scripts need', async () => {
    const post = (name: string) =>
      h.call('POST', `/v1/coops/${coop.coopId}/members`, {
        token: coop.treasurerToken,
        body: { name, stakeholderClass: 'worker', preferredLanguage: 'cy' },
      });
    for (const name of ['Gwen\u202Ellyn', 'Rhys\u200BJones', 'Siân\u00ADLlŷr', '\uFEFFMegan', 'a\u2066b\u2069']) {
      const res = await post(name);
      expect(res.status, JSON.stringify(name)).toBe(422);
      expect(res.body.errors[0].path).toBe('body.name');
    }
    expect((await post('क्\u200Dष Patel')).status).toBe(201);
    expect((await post('Dafydd Tŷ-Gwyn')).status).toBe(201);
  });
});

describe('idempotency keys', () => {
  it('are kept for the retention period, then pruned', async () => {
    await h.db.rows(sql`
      insert into idempotency_keys (coop_id, key, request_hash, outcome, result, created_at)
      values (${coop.coopId}::uuid, 'old-key', 'x', 'done', '{}'::jsonb, now() - interval '31 days'),
             (${coop.coopId}::uuid, 'recent-key', 'x', 'done', '{}'::jsonb, now() - interval '29 days')`);
    expect(await pruneIdempotencyKeys(h.db.database, 30)).toBeGreaterThanOrEqual(1);
    const left = await h.db.rows<{ key: string }>(
      sql`select key from idempotency_keys where coop_id = ${coop.coopId}::uuid and key in ('old-key', 'recent-key')`,
    );
    expect(left.map((r) => r.key)).toEqual(['recent-key']);
  });
});

/** Sends raw bytes on a new connection and resolves with everything the server answers before it closes. */
function rawRequest(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(text));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', (error) => (chunks.length > 0 ? resolve(Buffer.concat(chunks).toString()) : reject(error)));
    socket.on('close', () => resolve(Buffer.concat(chunks).toString()));
  });
}
