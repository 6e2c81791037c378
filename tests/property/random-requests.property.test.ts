import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { type HolderFixture, createHolder, expectLedgerConsistent, receive } from '../support/fixtures';
import { createHarness } from '../support/harness';
import { useHarness } from '../support/use-harness';

/**
 * Every operation in the served OpenAPI document, every method, with random and boundary path parameters and query
 * strings (declared parameters with wrong values, undeclared ones, huge and odd strings), as an allowed caller:
 * never a 5xx, every refusal problem+json, and a refused write changes nothing.
 */
const NUM_RUNS = 25;

const probe = await createHarness();
const doc = (
  await probe.call<{ paths: Record<string, Record<string, { parameters?: { in: string; name: string }[] }>> }>(
    'GET',
    '/openapi.json',
  )
).body;
await probe.close();

const operations = Object.entries(doc.paths)
  .filter(([path]) => !path.startsWith('/docs') && path !== '/openapi.json')
  .flatMap(([path, ops]) =>
    Object.entries(ops)
      .filter(([method]) => ['get', 'post', 'put', 'delete'].includes(method))
      .map(([method, op]) => ({
        method: method.toUpperCase(),
        path,
        query: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
      })),
  );

const { h, coop } = useHarness();
let holder: HolderFixture;

beforeAll(async () => {
  holder = await createHolder(h, coop);
  await receive(h, coop, holder.memberId, '100.00', '2026-01-05');
});

const boundary = fc.constantFrom(
  '',
  '0',
  '-1',
  '1e309',
  '9'.repeat(40),
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '2026-02-30',
  '0000-01-01',
  '9999-12-31',
  'true',
  'null',
  '%00',
  '..%2F..%2Fetc%2Fpasswd',
  "' or 1=1 --",
  'Tŷ Gwyn',
  '🦄'.repeat(50),
  'x'.repeat(5000),
);
const value = fc.oneof(
  boundary,
  fc.uuid(),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.integer().map(String),
);

/** Path parameters: mostly the fixture's real ids (so the handler runs), sometimes anything at all. */
function pathArb(path: string): fc.Arbitrary<string> {
  const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  const real: Record<string, string> = { coopId: coop.coopId, memberId: holder.memberId, laId: coop.laId };
  return fc
    .tuple(
      ...names.map((name) =>
        fc.oneof(
          { weight: 3, arbitrary: fc.constant(real[name] ?? '00000000-0000-4000-8000-000000000000') },
          { weight: 1, arbitrary: value },
        ),
      ),
    )
    .map((values) => {
      let i = 0;
      return path.replace(/\{(\w+)\}/g, () => encodeURIComponent(values[i++] ?? ''));
    });
}

function queryArb(declared: string[]): fc.Arbitrary<string> {
  const names = fc.oneof(
    fc.constantFrom(...(declared.length > 0 ? declared : ['x'])),
    fc.string({ minLength: 1, maxLength: 10 }),
  );
  return fc
    .array(fc.tuple(names, value), { maxLength: 6 })
    .map((pairs) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&'));
}

async function footprint(): Promise<string> {
  const [row] = await h.db.rows<{ f: string }>(sql`
    select concat_ws('/', (select count(*) from journal_entries), (select count(*) from audit_log), (select count(*) from tokens where revoked_at is null),
                          (select count(*) from bank_lines), (select count(*) from reconciliation_matches), (select count(*) from period_closes)) as f`);
  return row!.f;
}

describe('random paths and query strings at every operation', () => {
  it('finds the operations in the OpenAPI document', () => {
    expect(operations.length).toBeGreaterThan(40);
    expect(operations.map((o) => o.method)).toEqual(expect.arrayContaining(['GET', 'POST', 'PUT', 'DELETE']));
  });

  it.each(operations.map((o) => [`${o.method} ${o.path}`, o] as const))(
    '%s never answers 5xx',
    async (_, operation) => {
      const token = operation.path.startsWith('/v1/coops/{coopId}') ? coop.treasurerToken : h.adminToken;
      await fc.assert(
        fc.asyncProperty(pathArb(operation.path), queryArb(operation.query), async (path, query) => {
          const before = operation.method === 'GET' ? '' : await footprint();
          const url = query ? `${path}?${query}` : path;
          const res = await h.call(operation.method, url, {
            token,
            ...(operation.method === 'POST' || operation.method === 'PUT' ? { rawBody: '{}' } : {}),
          });
          const where = `${operation.method} ${url.slice(0, 300)} -> ${res.status} ${res.text.slice(0, 200)}`;
          expect(res.status, where).toBeLessThan(500);
          if (res.status >= 400) {
            expect(String(res.headers['content-type']), where).toMatch(/^application\/problem\+json/);
            expect(res.text, where).not.toMatch(/\n\s+at |\.(ts|js):\d+/);
            if (operation.method !== 'GET') expect(await footprint(), where).toBe(before);
          }
        }),
        { numRuns: NUM_RUNS },
      );
    },
  );

  it('leaves the ledger consistent', async () => {
    await expectLedgerConsistent(h);
  });
});
