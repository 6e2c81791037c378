import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Entry, MemberBalance, Page, Provider, PurchaseCreated } from '../support/api';
import { only } from '../support/assert';
import {
  type HolderFixture,
  contribute,
  createHolder,
  createPool,
  expectLedgerConsistent,
  joinPool,
  receive,
} from '../support/fixtures';
import { createHarness } from '../support/harness';
import { ANY_PROBLEM_TYPE, Problem, problemType } from '../support/problems';
import { useHarness } from '../support/use-harness';

/**
 * Random and mutated JSON bodies at every POST and PUT route in the served OpenAPI document: whatever arrives, the
 * answer is never a 5xx, every refusal is problem+json, and the ledger stays consistent.
 */
const NUM_RUNS = 60;

// The route list comes from the served document, so a route added later is fuzzed without editing this file.
const probe = await createHarness();
const doc = (await probe.call<OpenApi>('GET', '/openapi.json')).body;
await probe.close();

interface OpenApi {
  paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: JsonSchema }> } }>>;
}
interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  format?: string;
  pattern?: string;
  example?: unknown;
  default?: unknown;
  minimum?: number;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  additionalProperties?: boolean | JsonSchema;
}

// Routes whose body is a file (bank exports) are fuzzed with random files in bank-file-uploads.property.test.ts.
const FILE_UPLOADS = ['/v1/coops/{coopId}/bank-statements', '/v1/coops/{coopId}/bank-statements/preview'];
const routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
  Object.entries(ops)
    .filter(([method]) => (method === 'post' || method === 'put') && !FILE_UPLOADS.includes(path))
    .map(([method, op]) => ({
      method: method.toUpperCase(),
      path,
      schema: op.requestBody?.content?.['application/json']?.schema,
    })),
);

const { h, coop } = useHarness();
let holder: HolderFixture;
let ids: Record<string, string>;

beforeAll(async () => {
  holder = await createHolder(h, coop);
  const other = await createHolder(h, coop);
  await receive(h, coop, holder.memberId, '500.00', '2026-01-05');
  await receive(h, coop, other.memberId, '500.00', '2026-01-05');
  const pool = await createPool(h, coop);
  await joinPool(h, coop, pool.id, holder.memberId);
  expect((await contribute(h, coop, pool.id, holder.memberId, '100.00', '2026-01-06')).status).toBe(201);
  // The other holder's receipt: reversible (nothing was spent from it), so the first reversal succeeds.
  const entries = await h.call<Page<Entry>>('GET', `/v1/coops/${coop.coopId}/entries?memberId=${other.memberId}`, {
    token: coop.treasurerToken,
  });
  const receipt = only(entries.body.items, 'entry of the other holder');
  const provider = await h.call<Provider>('POST', `/v1/coops/${coop.coopId}/providers`, {
    token: coop.treasurerToken,
    body: { name: 'Cydweithfa PA', kind: 'cooperative', welshLanguageService: true, locality: 'Bangor' },
  });
  expect(provider.status).toBe(201);
  const purchase = await h.call<PurchaseCreated>('POST', `/v1/coops/${coop.coopId}/purchases`, {
    token: coop.treasurerToken,
    body: {
      providerId: provider.body.id,
      memberId: other.memberId,
      invoiceReference: 'FUZZ-1',
      invoiceDate: '2026-01-07',
      serviceFrom: '2026-01-01',
      serviceTo: '2026-01-07',
      lines: [{ serviceType: 'personal_assistance', description: 'PA', units: '2', unitRate: '17.00' }],
    },
  });
  expect(purchase.status).toBe(201);
  ids = {
    coopId: coop.coopId,
    poolId: pool.id,
    memberId: holder.memberId,
    entryId: receipt.id,
    laId: coop.laId,
    localAuthorityId: coop.laId,
    otherMemberId: other.memberId,
    providerId: provider.body.id,
    purchaseId: purchase.body.id,
  };
});

/**
 * Path parameters filled with real ids of the fixture co-op. A parameter this file has no fixture for (a route added
 * later) gets a well-formed unknown id: its bodies are still validated and must still never cause a 5xx.
 */
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
function urlOf(path: string): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => ids[name] ?? UNKNOWN_ID);
}

/** A token allowed on the route: the treasurer under a co-op, the admin elsewhere. */
const tokenFor = (path: string) => (path.startsWith('/v1/coops/{coopId}') ? coop.treasurerToken : h.adminToken);

/** A body the route accepts, built from its schema (real ids for uuid fields, fixture-specific where it matters). */
function validBody(route: (typeof routes)[number]): Record<string, unknown> {
  const known: Record<string, () => Record<string, unknown>> = {
    '/v1/local-authorities': () => ({
      name: 'Cyngor Sir',
      nameCy: 'Cyngor Sir',
      code: `LA-${Math.random().toString(36).slice(2, 8).toUpperCase()}`,
    }),
    '/v1/coops': () => ({ name: 'Cwmni Gofal' }),
    '/v1/tokens': () => ({ role: 'holder', label: 'fuzz', coopId: coop.coopId, memberId: holder.memberId }),
    '/v1/coops/{coopId}/members': () => ({
      name: 'Aelod',
      stakeholderClass: 'holder',
      localAuthorityId: coop.laId,
      laReference: `DP-${Math.random().toString(36).slice(2, 10)}`,
      preferredLanguage: 'en',
    }),
    '/v1/coops/{coopId}/members/{memberId}/award': () => ({
      amount: '120.00',
      frequency: 'weekly',
      startsOn: '2026-01-01',
    }),
    '/v1/coops/{coopId}/receipts': () => ({
      memberId: holder.memberId,
      amount: '1.00',
      receivedOn: '2026-01-05',
      reference: 'R-fuzz',
    }),
    '/v1/coops/{coopId}/pools': () => ({
      name: `Cronfa ${Math.random().toString(36).slice(2, 10)}`,
      purpose: 'Shared PAs',
    }),
    '/v1/coops/{coopId}/pools/{poolId}/members': () => ({ memberId: ids.otherMemberId }),
    '/v1/coops/{coopId}/pools/{poolId}/contributions': () => ({
      memberId: holder.memberId,
      amount: '0.01',
      date: '2026-01-06',
    }),
    '/v1/coops/{coopId}/entries/{entryId}/reversal': () => ({ reason: 'entered twice' }),
    '/v1/coops/{coopId}/providers': () => ({
      name: `Darparwr ${Math.random().toString(36).slice(2, 10)}`,
      kind: 'charity',
      welshLanguageService: false,
      locality: 'Rhyl',
    }),
    '/v1/coops/{coopId}/providers/{providerId}/rates': () => ({
      services: [
        {
          serviceType: 'personal_assistance',
          unit: 'hour',
          individualRate: '18.00',
          tierPeriod: 'week',
          tiers: [{ minUnits: '40', rate: '17.00' }],
        },
      ],
    }),
    '/v1/coops/{coopId}/purchases': () => ({
      providerId: ids.providerId,
      poolId: ids.poolId,
      invoiceReference: `F-${Math.random().toString(36).slice(2, 10)}`,
      invoiceDate: '2026-01-08',
      serviceFrom: '2026-01-01',
      serviceTo: '2026-01-07',
      lines: [{ serviceType: 'personal_assistance', description: 'Shared hour', units: '0.01', unitRate: '1.00' }],
      allocation: { method: 'equal' },
    }),
    '/v1/coops/{coopId}/purchases/{purchaseId}/payments': () => ({
      amount: '0.01',
      paidOn: '2026-01-09',
      reference: 'BACS',
    }),
    '/v1/coops/{coopId}/pools/{poolId}/costs': () => ({
      category: 'admin',
      description: 'Bookkeeper',
      amount: '0.01',
      date: '2026-01-09',
      allocation: { method: 'equal' },
    }),
    '/v1/coops/{coopId}/pools/{poolId}/costs/preview': () => ({
      category: 'admin',
      description: 'Bookkeeper',
      amount: '10.00',
      date: '2026-01-09',
      allocation: { method: 'equal' },
    }),
    '/v1/coops/{coopId}/pools/{poolId}/quotes': () => ({
      serviceType: 'personal_assistance',
      period: 'week',
      units: { [holder.memberId]: '10' },
    }),
    '/v1/coops/{coopId}/reconciliation/matches': () => ({ bankLineIds: [UNKNOWN_ID], entryIds: [ids.entryId] }),
    '/v1/coops/{coopId}/bank-lines/{lineId}/entry': () => ({ kind: 'bank_charge' }),
    // Closes only long before the fixture's entries, so other routes' valid bodies stay postable.
    '/v1/coops/{coopId}/periods/close': () => ({ through: '2020-01-01', force: true, reason: 'fuzz' }),
  };
  const make = known[route.path];
  if (make) return make();
  const sampled = route.schema ? sample(route.schema, '') : {};
  return typeof sampled === 'object' && sampled !== null && !Array.isArray(sampled)
    ? (sampled as Record<string, unknown>)
    : {};
}

function sample(schema: JsonSchema, name: string): unknown {
  const alt = schema.anyOf ?? schema.oneOf;
  if (alt?.[0]) return sample(alt[0], name);
  if (schema.enum) return schema.enum[0];
  if (schema.example !== undefined) return schema.example;
  if (schema.default !== undefined) return schema.default;
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'object':
      return Object.fromEntries(
        (schema.required ?? []).map((key) => [key, sample(schema.properties?.[key] ?? {}, key)]),
      );
    case 'array':
      return schema.items ? [sample(schema.items, name)] : [];
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return true;
    case 'string':
      if (schema.format === 'uuid') return ids[name] ?? ids.memberId;
      if (schema.format === 'date') return '2026-01-05';
      return 'x';
    default:
      return null;
  }
}

// ---- arbitraries -------------------------------------------------------------------------------------------------

const MAX_PENCE = 99_999_999_999_999n; // 999999999999.99, the largest amount a request may carry
const penceText = (p: bigint) =>
  `${p < 0n ? '-' : ''}${(p < 0n ? -p : p) / 100n}.${((p < 0n ? -p : p) % 100n).toString().padStart(2, '0')}`;
const moneyish = fc.oneof(
  { weight: 3, arbitrary: fc.bigInt({ min: 1n, max: MAX_PENCE }).map(penceText) }, // valid, often huge
  { weight: 1, arbitrary: fc.stringMatching(/^-?\d{1,12}(\.\d{1,2})?$/) },
  { weight: 1, arbitrary: fc.bigInt({ min: -MAX_PENCE, max: MAX_PENCE }).map(penceText) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '999999999999.99',
      '0.01',
      '-0.01',
      '0',
      '-0.00',
      '1e3',
      '1.005',
      'NaN',
      '00.10',
      ' 1.00',
      '1_000.00',
      '9'.repeat(400),
    ),
  },
);
const isoDate = (min: string, max: string) =>
  fc.date({ min: new Date(min), max: new Date(max), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
const dateish = fc.oneof(
  { weight: 3, arbitrary: isoDate('1990-01-01', '2026-01-01') }, // valid and not in the future
  { weight: 1, arbitrary: isoDate('0001-01-01', '9999-12-31') },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '2026-02-30',
      '2026-13-01',
      '0000-00-00',
      '9999-12-31',
      '2026-01-05T00:00:00Z',
      '26-01-01',
      '',
    ),
  },
);
const uuidish = fc.oneof(
  fc.uuid(),
  fc.constantFrom('00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff', 'not-a-uuid'),
);
const hugeString = fc.oneof(
  fc.nat({ max: 70_000 }).map((n) => 'x'.repeat(n)),
  fc.constantFrom(
    '\u0000',
    '\u202e',
    '🦄'.repeat(300),
    "'; drop table accounts; --",
    '${7*7}',
    '<script>',
    '\\u0000',
    'Tŷ Gwyn',
  ),
  fc.string({ unit: 'grapheme', maxLength: 300 }),
);
const randomValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.oneof(fc.integer(), fc.double(), fc.constantFrom(Number.MAX_SAFE_INTEGER, -1, 0, 1e308, -0)),
  hugeString,
  moneyish,
  dateish,
  uuidish,
  fc.object({ maxDepth: 3, maxKeys: 4 }), // nested objects and arrays
  fc.constant(null),
);

/** Values of the same kind as a field's valid value, so that many mutated bodies are still (nearly) valid. */
const sameKind = fc.record({ money: moneyish, date: dateish, uuid: uuidish, text: hugeString });
type Like = { money: string; date: string; uuid: string; text: string };
function kindOf(value: unknown): keyof Like | null {
  if (typeof value !== 'string') return null;
  if (/^-?\d+(\.\d+)?$/.test(value)) return 'money';
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return 'date';
  if (/^[0-9a-f]{8}-/.test(value)) return 'uuid';
  return 'text';
}

type Op = {
  kind: 'retype' | 'replace' | 'delete' | 'add' | 'nest';
  index: number;
  value: unknown;
  like: Like;
  key: string;
};
const op: fc.Arbitrary<Op> = fc.record({
  kind: fc.constantFrom('retype', 'retype', 'retype', 'replace', 'replace', 'delete', 'add', 'nest'),
  index: fc.nat(),
  value: randomValue,
  like: sameKind,
  key: fc.oneof(
    fc.string({ maxLength: 20 }),
    fc.constantFrom('__proto__', 'constructor', 'prototype', 'amount', 'memberId'),
  ),
}) as fc.Arbitrary<Op>;

function mutate(base: Record<string, unknown>, ops: Op[]): unknown {
  const body: Record<string, unknown> = JSON.parse(JSON.stringify(base));
  for (const o of ops) {
    const keys = Object.keys(body);
    const key = keys.length > 0 ? keys[o.index % keys.length]! : o.key;
    const kind = kindOf(body[key]);
    if (o.kind === 'retype') body[key] = kind ? o.like[kind] : o.value;
    else if (o.kind === 'replace') body[key] = o.value;
    else if (o.kind === 'delete') delete body[key];
    else if (o.kind === 'add')
      Object.defineProperty(body, o.key, { value: o.value, enumerable: true, writable: true, configurable: true });
    else body[key] = { [o.key]: o.value, value: body[key] };
  }
  return body;
}

/** A request body as sent on the wire (always a string), with the content type it goes with. */
type Sent = { rawBody: string; idempotencyKey?: string };
const asJson = (value: unknown): string => JSON.stringify(value) ?? 'null';

function bodiesFor(route: (typeof routes)[number]): fc.Arbitrary<Sent> {
  const base = validBody(route);
  const body = fc.oneof(
    { weight: 1, arbitrary: fc.jsonValue().map(asJson) },
    {
      weight: 1,
      arbitrary: fc
        .anything({ maxDepth: 3, withNullPrototype: true, withSparseArray: true, withObjectString: true })
        .map(asJson),
    },
    { weight: 5, arbitrary: op.map((o) => asJson(mutate(base, [o]))) },
    { weight: 2, arbitrary: fc.array(op, { minLength: 2, maxLength: 5 }).map((ops) => asJson(mutate(base, ops))) },
    { weight: 1, arbitrary: fc.string({ maxLength: 200 }) }, // mostly not JSON at all
  );
  return fc.record(
    { rawBody: body, idempotencyKey: fc.option(fc.stringMatching(/^[\x21-\x7e]{1,40}$/), { nil: undefined }) },
    { requiredKeys: ['rawBody'] },
  );
}

// ---- the properties ----------------------------------------------------------------------------------------------

describe('random bodies at every POST and PUT route', () => {
  it('finds the write routes in the OpenAPI document', () => {
    const names = routes.map((r) => `${r.method} ${r.path}`);
    expect(names).toEqual(
      expect.arrayContaining([
        'POST /v1/coops/{coopId}/receipts',
        'POST /v1/coops/{coopId}/pools/{poolId}/contributions',
        'PUT /v1/coops/{coopId}/members/{memberId}/award',
        'POST /v1/tokens',
      ]),
    );
    expect(routes.length).toBeGreaterThanOrEqual(10);
  });

  it.each(routes.map((r) => [`${r.method} ${r.path}`, r] as const))('%s never answers 5xx', async (_, route) => {
    const url = urlOf(route.path);
    const token = tokenFor(route.path);

    // The unmutated body is accepted (or refused by a business rule), so mutations start from something valid.
    const baseline = await h.call(route.method, url, { token, body: validBody(route) });
    expect(baseline.status, `${route.method} ${url} ${baseline.text}`).toBeLessThan(500);
    if (baseline.status >= 400)
      expect(baseline.json(Problem).type, baseline.text).not.toBe(problemType('validation-error'));

    await fc.assert(
      fc.asyncProperty(bodiesFor(route), async (sent) => {
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (sent.idempotencyKey !== undefined) headers['idempotency-key'] = sent.idempotencyKey;
        const res = await h.call(route.method, url, { token, rawBody: sent.rawBody, headers });
        const where = `${route.method} ${url} ${sent.rawBody.slice(0, 300)} -> ${res.status} ${res.text.slice(0, 300)}`;
        expect(res.status, where).toBeLessThan(500);
        if (res.status >= 400) {
          expect(String(res.headers['content-type']), where).toMatch(/^application\/problem\+json/);
          expect(res.body, where).toMatchObject({
            status: res.status,
            type: expect.stringMatching(ANY_PROBLEM_TYPE),
            title: expect.any(String),
            detail: expect.any(String),
          });
          expect(res.text, where).not.toMatch(/\n\s+at |\.(ts|js):\d+|\bselect\b|\binsert\b|postgres/i);
        }
      }),
      { numRuns: NUM_RUNS, endOnFailure: true },
    );
  });

  it('leaves the ledger consistent', async () => {
    await expectLedgerConsistent(h);
    const balance = await h.call<MemberBalance>('GET', `/v1/coops/${coop.coopId}/members/${holder.memberId}/balance`, {
      token: coop.treasurerToken,
    });
    expect(balance.status).toBe(200);
    expect(balance.body.funds).toMatch(/^\d+\.\d{2}$/); // never overdrawn
  });
});
