import { translateStorageError } from '../../src/db/errors';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app';
import type { Database } from '../../src/db/database';
import { EXAMPLE_ID } from '../../src/http/openapi-docs';
import { PROBLEM_BASE, PROBLEM_TYPES, type ProblemCode } from '../../src/http/problem-types';
import { createBootstrapAdminToken } from '../../src/services/tokens';
import {
  type CoopFixture,
  type HolderFixture,
  contribute,
  createCoop,
  createHolder,
  createLocalAuthority,
  createPool,
  joinPool,
  receive,
} from '../support/fixtures';
import type {
  IssuedStatement,
  IssuedToken,
  Match,
  Page,
  Provider,
  PurchaseCreated,
  Receipt,
  ReconciliationSummary,
} from '../support/api';
import { defined } from '../support/assert';
import {
  type CallOptions,
  type Response,
  type TypedHarness,
  createHarness,
  fromInject,
  makeResponse,
} from '../support/harness';
import { Problem, problemType } from '../support/problems';

/**
 * The served OpenAPI document is enough to build a client from: every operation says what it is, what it takes,
 * what it answers on success and every problem it can answer, with examples that are true. Then real requests, a
 * success for every operation and refusals of every family, are checked against it: each answer's status must be
 * documented for its operation, its body must validate against the documented JSON Schema (draft 2020-12, as
 * OpenAPI 3.1 schemas are) for that status and content type, and its headers must be the documented ones.
 */

// ---------------------------------------------------------------------------------------------------------------
// JSON Schema 2020-12 (as OpenAPI 3.1 schemas are), with ajv 8.

type Validate = ((data: unknown) => boolean) & { errors?: { instancePath: string; message?: string }[] | null };
const ajv = new Ajv2020({ strict: true, strictTypes: false, strictTuples: false, allErrors: true });
addFormats(ajv);
ajv.addKeyword('example'); // OpenAPI's own annotation beside JSON Schema's `examples`
ajv.addFormat('binary', true); // a file body: nothing to check as JSON

// ---------------------------------------------------------------------------------------------------------------
// The document

type Json = Record<string, any>;
interface Operation {
  key: string; // `GET /v1/coops/{coopId}`
  method: string;
  path: string;
  op: Json;
}

const h0 = await createHarness();
afterAll(async () => h0.close());

const doc = (await h0.call<Json>('GET', '/openapi.json')).body;
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch'];
const operations: Operation[] = Object.entries(doc.paths as Record<string, Json>).flatMap(([path, ops]) =>
  Object.entries(ops)
    .filter(([method]) => HTTP_METHODS.includes(method))
    .map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, method: method.toUpperCase(), path, op })),
);
const byId = new Map(operations.map((o) => [o.op.operationId as string, o]));
const isPublic = (o: Operation) => Array.isArray(o.op.security) && o.op.security.length === 0;

/** The value a local `$ref` (`#/components/...`) points at, or undefined. */
function resolvePointer(ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = doc;
  for (const raw of ref.slice(2).split('/')) {
    const part = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object' || !(part in node)) return undefined;
    node = (node as Json)[part];
  }
  return node;
}

/** An object with its `$ref` followed (Response, Header and Schema objects). */
function deref<T = Json>(node: Json): T {
  let current = node;
  for (let i = 0; i < 10 && typeof current?.$ref === 'string'; i++) current = resolvePointer(current.$ref) as Json;
  return current as T;
}

/** A schema with every reference inlined, ready to compile on its own. */
function inline(schema: unknown, depth = 0): unknown {
  if (depth > 30) throw new Error('a schema refers to itself too deeply');
  if (Array.isArray(schema)) return schema.map((s) => inline(s, depth + 1));
  if (schema === null || typeof schema !== 'object') return schema;
  const node = schema as Json;
  if (typeof node.$ref === 'string') return inline(resolvePointer(node.$ref), depth + 1);
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, inline(v, depth + 1)]));
}

const compiled = new Map<string, Validate>();
function validatorOf(schema: Json): Validate {
  const text = JSON.stringify(schema);
  let validate = compiled.get(text);
  if (!validate) {
    validate = ajv.compile(inline(schema) as Json) as Validate;
    compiled.set(text, validate);
  }
  return validate;
}
function schemaErrors(schema: Json, value: unknown): string[] {
  const validate = validatorOf(schema);
  return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);
}

const mediaTypeOf = (contentType: unknown) =>
  String(contentType ?? '')
    .split(';')[0]!
    .trim()
    .toLowerCase();
const successOf = (o: Operation) => Object.keys(o.op.responses).filter((s) => s.startsWith('2'));
const responseOf = (o: Operation, status: number | string): Json | undefined =>
  o.op.responses[String(status)] ? deref(o.op.responses[String(status)]) : undefined;
/** The problem types (codes) a documented response says it can carry. */
function problemCodesOf(response: Json | undefined): string[] {
  const schema = response?.content?.['application/problem+json']?.schema;
  if (!schema) return [];
  const alternatives: Json[] = schema.oneOf ?? schema.anyOf ?? [schema];
  return alternatives.map((alt) => {
    const type = deref(alt).properties?.type;
    const uri = type?.const ?? type?.enum?.[0];
    return typeof uri === 'string' ? uri.replace(PROBLEM_BASE, '') : '?';
  });
}
const parameters = (o: Operation) => (o.op.parameters ?? []) as Json[];
const takesInput = (o: Operation) => parameters(o).length > 0 || Boolean(o.op.requestBody);
const isMoneyWrite = (o: Operation) =>
  parameters(o).some((p) => p.in === 'header' && String(p.name).toLowerCase() === 'idempotency-key');
const readsBody = (o: Operation) => o.method !== 'GET';

/** Every `$ref` anywhere in the document. */
function allRefs(node: unknown, at = '#'): { ref: string; at: string }[] {
  if (Array.isArray(node)) return node.flatMap((n, i) => allRefs(n, `${at}/${i}`));
  if (node === null || typeof node !== 'object') return [];
  return Object.entries(node as Json).flatMap(([k, v]) =>
    k === '$ref' && typeof v === 'string' ? [{ ref: v, at }] : allRefs(v, `${at}/${k}`),
  );
}

/** Every media object (request bodies and responses) of an operation, with where it is. */
function mediaOf(o: Operation): { where: string; type: string; media: Json }[] {
  const out: { where: string; type: string; media: Json }[] = [];
  for (const [type, media] of Object.entries((o.op.requestBody?.content ?? {}) as Record<string, Json>))
    out.push({ where: `${o.key} request ${type}`, type, media });
  for (const status of Object.keys(o.op.responses)) {
    const response = responseOf(o, status);
    for (const [type, media] of Object.entries((response?.content ?? {}) as Record<string, Json>))
      out.push({ where: `${o.key} ${status} ${type}`, type, media });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Checking a real answer against the document

const TRACKED_HEADERS = [
  'idempotency-replayed',
  'x-statement-sha256',
  'content-disposition',
  'retry-after',
  'www-authenticate',
];
const seen = new Map<string, Set<number>>();

/** The documented operation a request went to: the path template that matches, the most literal one first. */
function operationFor(method: string, url: string): Operation {
  const path = url.split('?')[0]!;
  const matches = operations
    .filter((o) => o.method === method)
    .filter((o) =>
      new RegExp(`^${o.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{\w+\}/g, '[^/]+')}$`).test(path),
    )
    .sort((a, b) => (a.path.match(/\{/g)?.length ?? 0) - (b.path.match(/\{/g)?.length ?? 0));
  if (!matches[0]) throw new Error(`${method} ${path}: no documented operation`);
  return matches[0];
}

/** Throws, naming what disagrees, unless the answer is what the document says this operation answers. */
function checkAnswer(method: string, url: string, res: Response, record = true): void {
  const o = operationFor(method, url);
  const where = `${o.key} answered ${res.status}`;
  const response = responseOf(o, res.status);
  if (!response) throw new Error(`${where}, a status the document does not list (${res.text.slice(0, 200)})`);
  const type = mediaTypeOf(res.headers['content-type']);
  const content = (response.content ?? {}) as Record<string, Json>;
  if (res.raw.length === 0) {
    if (Object.keys(content).length > 0 && res.status !== 204)
      throw new Error(`${where} with no body, but the document gives it one`);
  } else {
    const media = content[type];
    if (!media) throw new Error(`${where} as ${type}, which the document does not list (${Object.keys(content)})`);
    if (type.endsWith('json')) {
      const errors = schemaErrors(media.schema, res.body);
      if (errors.length > 0) throw new Error(`${where}: the body disagrees with the schema: ${errors.join('; ')}`);
      if (type === 'application/problem+json') checkProblemMembers(where, media.schema, res.json<Json>());
    } else if (deref(media.schema).format === 'binary') {
      if (type === 'application/pdf' && !res.raw.subarray(0, 5).equals(Buffer.from('%PDF-')))
        throw new Error(`${where}: not a PDF`);
    } else {
      const errors = schemaErrors(media.schema, res.text);
      if (errors.length > 0) throw new Error(`${where}: the text disagrees with the schema: ${errors.join('; ')}`);
    }
  }
  const documented = Object.fromEntries(
    Object.entries((response.headers ?? {}) as Record<string, Json>).map(([name, header]) => [
      name.toLowerCase(),
      deref(header),
    ]),
  );
  for (const [name, header] of Object.entries(documented)) {
    const value = res.headers[name];
    if (header.required && value === undefined) throw new Error(`${where} without the documented ${name} header`);
    if (value !== undefined && header.schema) {
      const errors = schemaErrors(header.schema, String(value));
      if (errors.length > 0) throw new Error(`${where}: header ${name}: ${value} disagrees: ${errors.join('; ')}`);
    }
  }
  for (const name of TRACKED_HEADERS)
    if (res.headers[name] !== undefined && !documented[name])
      throw new Error(`${where} with a ${name} header the document does not list for it`);
  if (record) seen.set(o.key, (seen.get(o.key) ?? new Set()).add(res.status));
}

/** A problem's members are all declared by the schema of its type (the schemas stay open, as RFC 9457 asks). */
function checkProblemMembers(where: string, schema: Json, body: Json): void {
  const alternatives: Json[] = (schema.oneOf ?? [schema]).map((s: Json) => deref(s));
  const own = alternatives.find((s) => (s.properties?.type?.const ?? s.properties?.type?.enum?.[0]) === body.type);
  if (!own) throw new Error(`${where}: problem type ${body.type} is not one the document lists for this status`);
  const undeclared = Object.keys(body).filter((k) => !(k in (own.properties ?? {})));
  if (undeclared.length > 0) throw new Error(`${where}: problem members the document does not declare: ${undeclared}`);
}

/** The harness, with every answer checked against the document (fixtures included). */
const h: TypedHarness = {
  ...h0,
  call: async <T>(method: string, url: string, options?: CallOptions) => {
    const res = await h0.call<T>(method, url, options);
    checkAnswer(method, url, res);
    return res;
  },
};

// ---------------------------------------------------------------------------------------------------------------
// The document, on its own

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1 with a real description of the API', () => {
    expect(doc.openapi).toBe('3.1.0');
    const text = String(doc.info.description);
    for (const topic of ['admin', 'treasurer', 'holder', 'la_officer', 'two decimals', 'problem+json', 'nextCursor'])
      expect(text, topic).toContain(topic);
    expect(text).toContain('Idempotency-Key');
    expect(operations.length).toBeGreaterThan(50);
  });

  it('gives every operation a summary, a description, a unique operationId and a described tag', () => {
    const tags = new Map((doc.tags as Json[]).map((t) => [t.name, t.description]));
    const problems: string[] = [];
    for (const o of operations) {
      if (!(o.op.summary?.length > 3)) problems.push(`${o.key}: no summary`);
      if (!(o.op.description?.length > 20) || o.op.description === o.op.summary)
        problems.push(`${o.key}: no description`);
      if (!o.op.operationId) problems.push(`${o.key}: no operationId`);
      if (!(o.op.tags?.length > 0)) problems.push(`${o.key}: no tag`);
      for (const tag of o.op.tags ?? []) if (!tags.get(tag)) problems.push(`${o.key}: tag ${tag} is not described`);
    }
    expect(problems).toEqual([]);
    expect(byId.size).toBe(operations.length);
  });

  it('gives every operation a described success response with a schema or a content type', () => {
    const problems: string[] = [];
    for (const o of operations) {
      const successes = successOf(o);
      if (successes.length === 0) problems.push(`${o.key}: no success response`);
      for (const status of successes) {
        const response = responseOf(o, status)!;
        if (!response.description || response.description === 'Default Response')
          problems.push(`${o.key} ${status}: no description`);
        const content = Object.entries((response.content ?? {}) as Record<string, Json>);
        if (status === '204') {
          if (content.length > 0) problems.push(`${o.key} 204 with a body`);
          continue;
        }
        if (content.length === 0) problems.push(`${o.key} ${status}: no content`);
        for (const [type, media] of content) {
          if (!media.schema) problems.push(`${o.key} ${status} ${type}: no schema`);
          else if (type.endsWith('json') && !deref(media.schema).properties)
            problems.push(`${o.key} ${status} ${type}: a JSON body without properties`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('documents the problems every route can give: 401, 403/404, 422, 429, 503, and body refusals', () => {
    const problems: string[] = [];
    const needs = (o: Operation, status: number, code: ProblemCode) => {
      if (!problemCodesOf(responseOf(o, status)).includes(code)) problems.push(`${o.key}: no ${status} ${code}`);
    };
    for (const o of operations) {
      needs(o, 429, 'rate-limited');
      needs(o, 503, 'database-unavailable');
      needs(o, 500, 'internal');
      needs(o, 408, 'request-timeout');
      if (!isPublic(o)) needs(o, 401, 'unauthorized');
      if (takesInput(o)) needs(o, 422, 'validation-error');
      if (readsBody(o)) {
        needs(o, 400, 'malformed-request');
        needs(o, 413, 'payload-too-large');
        needs(o, 415, 'unsupported-media-type');
      }
      if (!isPublic(o) && !responseOf(o, 403) && !responseOf(o, 404))
        problems.push(`${o.key}: neither 403 nor 404, though not every token may call it`);
      // Each problem response carries problem types of its own status, as problem+json.
      for (const status of Object.keys(o.op.responses).filter((s) => Number(s) >= 400)) {
        const codes = problemCodesOf(responseOf(o, status));
        if (codes.length === 0) problems.push(`${o.key} ${status}: not a problem+json response`);
        for (const code of codes) {
          const known = PROBLEM_TYPES[code as ProblemCode];
          if (!known) problems.push(`${o.key} ${status}: unknown problem type ${code}`);
          else if (known.status !== Number(status) && code !== 'malformed-request')
            problems.push(`${o.key} ${status}: ${code} is a ${known.status}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('documents Idempotency-Key, its reuse and Idempotency-Replayed on every money write', () => {
    const writes = operations.filter(isMoneyWrite);
    expect(writes.map((o) => o.op.operationId)).toEqual(
      expect.arrayContaining(['recordReceipt', 'contributeToPool', 'postSharedCost', 'recordPurchase', 'payPurchase']),
    );
    for (const o of writes) {
      const key = parameters(o).find((p) => p.in === 'header' && p.name === 'idempotency-key')!;
      expect(key.description, o.key).toMatch(/Idempotency-Replayed/);
      expect(problemCodesOf(responseOf(o, 422)), o.key).toContain('idempotency-key-reused');
      expect(problemCodesOf(responseOf(o, 409)), o.key).toContain('concurrent-update');
      for (const status of successOf(o))
        expect(Object.keys(responseOf(o, status)!.headers ?? {}), `${o.key} ${status}`).toContain(
          'Idempotency-Replayed',
        );
    }
  });

  it('documents every format a `format` query offers, and the file headers', () => {
    const MEDIA: Record<string, string> = {
      json: 'application/json',
      csv: 'text/csv',
      pdf: 'application/pdf',
      hledger: 'text/plain',
    };
    const files = operations.filter(
      (o) => o.method === 'GET' && parameters(o).some((p) => p.in === 'query' && p.name === 'format'),
    );
    expect(files.map((o) => o.op.operationId).sort()).toEqual(
      ['exportJournal', 'holderStatement', 'localAuthorityStatement', 'poolStatement'].sort(),
    );
    for (const o of files) {
      const formats = parameters(o).find((p) => p.name === 'format')!.schema.enum as string[];
      const response = responseOf(o, 200)!;
      expect(Object.keys(response.content).sort(), o.key).toEqual(formats.map((f) => MEDIA[f]).sort());
      const headers = Object.fromEntries(Object.entries(response.headers ?? {}).map(([k, v]) => [k, deref(v as Json)]));
      expect(headers['Content-Disposition']?.required, o.key).toBe(true);
      if (formats.includes('pdf')) {
        expect(headers['X-Statement-SHA256']?.required, o.key).toBe(true);
        expect(deref(response.content['application/pdf'].schema).format).toBe('binary');
      }
    }
  });

  it('documents the bank upload: its file types, its 20 MB limit and its refusals', () => {
    const o = byId.get('importBankStatement')!;
    expect(o.op.requestBody.required).toBe(true);
    expect(Object.keys(o.op.requestBody.content)).toEqual(expect.arrayContaining(['text/csv', 'application/x-ofx']));
    expect(Object.keys(o.op.requestBody.content)).not.toContain('application/json');
    expect(responseOf(o, 413)!.description).toContain('20 MB');
    expect(problemCodesOf(responseOf(o, 422))).toEqual(expect.arrayContaining(['invalid-bank-file', 'unprocessable']));
  });

  it('resolves every $ref, and serves nothing of how it was built', () => {
    expect(JSON.stringify(doc)).not.toMatch(/x-cronfa-operation|__SCHEMA__PLACEHOLDER__/);
    const refs = allRefs(doc);
    expect(refs.length).toBeGreaterThan(100);
    expect(refs.filter((r) => resolvePointer(r.ref) === undefined)).toEqual([]);
  });

  it('registers every problem type of problem-types.ts in components, as an RFC 9457 schema and a response', () => {
    const schemas = Object.values(doc.components.schemas as Record<string, Json>);
    const responses = Object.values(doc.components.responses as Record<string, Json>);
    for (const [code, { status, title }] of Object.entries(PROBLEM_TYPES)) {
      const schema = schemas.find((s) => s.properties?.type?.const === PROBLEM_BASE + code);
      expect(schema, code).toBeDefined();
      expect(schema!.required).toEqual(expect.arrayContaining(['type', 'title', 'status', 'detail']));
      expect(schema!.properties.title.const).toBe(title);
      if (code !== 'malformed-request') expect(schema!.properties.status.const, code).toBe(status);
      if (code === 'validation-error') expect(schema!.required).toContain('errors');
      expect(
        responses.some((r) => problemCodesOf(r).join() === code),
        code,
      ).toBe(true);
    }
    const headers = doc.components.headers as Record<string, Json>;
    for (const name of ['Idempotency-Replayed', 'X-Statement-SHA256', 'Retry-After', 'Content-Disposition'])
      expect(headers[name]?.description, name).toBeTruthy();
  });

  it('has an example for every JSON body, and every example agrees with its schema', () => {
    const problems: string[] = [];
    for (const o of operations) {
      for (const { where, type, media } of mediaOf(o)) {
        const examples = [
          ...(media.example !== undefined ? [media.example] : []),
          ...Object.values((media.examples ?? {}) as Record<string, Json>).map((e) => e.value),
        ];
        const isFile = deref(media.schema).format === 'binary';
        if (examples.length === 0 && !isFile) problems.push(`${where}: no example`);
        for (const example of examples) {
          const errors = schemaErrors(media.schema, type.endsWith('json') ? example : String(example));
          if (errors.length > 0) problems.push(`${where}: the example disagrees: ${errors.join('; ')}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('catches an answer it does not document', () => {
    const url = `/v1/coops/${randomUUID()}/entries/${randomUUID()}`;
    const fake = (status: number, body: unknown, headers: Record<string, string> = {}): Response =>
      makeResponse(`GET ${url}`, {
        status,
        headers: { 'content-type': 'application/problem+json', ...headers },
        text: JSON.stringify(body),
        raw: Buffer.from(JSON.stringify(body)),
      });
    const notFound = { type: problemType('not-found'), title: 'Not found', status: 404, detail: 'Entry not found' };
    const check = (res: Response) => () => checkAnswer('GET', url, res, false);
    expect(check(fake(404, notFound))).not.toThrow();
    expect(check(fake(418, { ...notFound, status: 418 }))).toThrow(/does not list/);
    expect(check(fake(404, { ...notFound, detail: 7 }))).toThrow(/disagrees/);
    expect(check(fake(404, { ...notFound, secret: 'x' }))).toThrow(/does not declare/);
    expect(check(fake(404, notFound, { 'x-statement-sha256': 'a' }))).toThrow(/header/);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Real answers: a success for every operation, and refusals of every family

let coopA: CoopFixture;
let coopB: CoopFixture;
let a1: HolderFixture; // in the pool
let a2: HolderFixture; // in no pool
let a3: HolderFixture; // in the pool beside a1
let b1: HolderFixture;
let poolId: string;
/** World ids the examples' ids stand for, filled as the walk goes. */
const ids = new Map<string, string>();

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}${randomBytes(2).toString('hex')}`;
const base = () => `/v1/coops/${coopA.coopId}`;

/** An operation's documented request example, its example ids swapped for the world's, with overrides. */
function example(operationId: string, overrides: Json = {}): Json {
  const o = byId.get(operationId);
  const value = o?.op.requestBody?.content?.['application/json']?.example;
  if (value === undefined) throw new Error(`${operationId}: no request example`);
  let text = JSON.stringify(value);
  for (const [name, id] of Object.entries(EXAMPLE_ID)) {
    const world = ids.get(name);
    if (world) text = text.replaceAll(id, world);
  }
  return { ...JSON.parse(text), ...overrides };
}
/** An operation's documented file example (bank uploads). */
const fileExample = (operationId: string, type: string) =>
  String(byId.get(operationId)!.op.requestBody.content[type].example);

const as = (token: string) => ({
  get: <T = unknown>(url: string) => h.call<T>('GET', url, { token }),
  post: <T = unknown>(url: string, body?: unknown, headers?: Record<string, string>) =>
    h.call<T>('POST', url, { token, ...(body === undefined ? {} : { body }), ...(headers ? { headers } : {}) }),
  put: (url: string, body: unknown) => h.call('PUT', url, { token, body }),
  delete: (url: string, headers?: Record<string, string>) =>
    h.call('DELETE', url, { token, ...(headers ? { headers } : {}) }),
});
const expectStatus = (res: Response, status: number) => expect(res.status, res.text.slice(0, 300)).toBe(status);
const expectProblem = (res: Response, status: number, code: ProblemCode) => {
  expectStatus(res, status);
  expect(res.json(Problem).type).toBe(problemType(code));
};

beforeAll(async () => {
  coopA = await createCoop(h);
  coopB = await createCoop(h, await createLocalAuthority(h));
  [a1, a2, a3] = [await createHolder(h, coopA), await createHolder(h, coopA), await createHolder(h, coopA)];
  b1 = await createHolder(h, coopB);
  for (const holder of [a1, a2, a3]) await receive(h, coopA, holder.memberId, '500.00');
  poolId = (await createPool(h, coopA)).id;
  await joinPool(h, coopA, poolId, a1.memberId);
  await joinPool(h, coopA, poolId, a3.memberId);
  expectStatus(await contribute(h, coopA, poolId, a1.memberId, '40.00'), 201);
  expectStatus(await contribute(h, coopA, poolId, a3.memberId, '100.00'), 201);
  ids.set('coop', coopA.coopId);
  ids.set('localAuthority', coopA.laId);
  ids.set('member', a1.memberId);
  ids.set('otherMember', a3.memberId);
  ids.set('pool', poolId);
});

describe('real answers agree with the document: service and identity', () => {
  it('the service', async () => {
    expectStatus(await h.call('GET', '/health'), 200);
    expectStatus(await h.call('GET', '/ready'), 200);
  });

  it('local authorities and co-ops', async () => {
    const admin = as(h.adminToken);
    const code = `W${randomBytes(3).toString('hex').toUpperCase()}`;
    expectStatus(await admin.post('/v1/local-authorities', example('createLocalAuthority', { code })), 201);
    expectProblem(
      await admin.post('/v1/local-authorities', example('createLocalAuthority', { code })),
      409,
      'duplicate',
    );
    expectProblem(await admin.post('/v1/local-authorities', { code: 'lower' }), 422, 'validation-error');
    expectStatus(await admin.get('/v1/local-authorities'), 200);
    expectStatus(await admin.get(`/v1/local-authorities/${coopA.laId}`), 200);
    expectProblem(await admin.get(`/v1/local-authorities/${randomUUID()}`), 404, 'not-found');
    expectStatus(await as(coopA.laOfficerToken).get(`/v1/local-authorities/${coopA.laId}/coops`), 200);
    expectProblem(await as(coopB.laOfficerToken).get(`/v1/local-authorities/${coopA.laId}/coops`), 404, 'not-found');
    expectStatus(await admin.post('/v1/coops', example('createCoop')), 201);
    expectProblem(await as(a1.token).post('/v1/coops', example('createCoop')), 403, 'forbidden');
    expectStatus(await as(coopA.treasurerToken).get(base()), 200);
    expectProblem(await as(coopB.treasurerToken).get(base()), 404, 'not-found');
  });

  it('refusals before the route: no token, bad JSON, wrong type, too large', async () => {
    const noToken = await h.call('GET', base());
    expectProblem(noToken, 401, 'unauthorized');
    expect(noToken.headers['www-authenticate']).toContain('Bearer');
    expectProblem(await h.call('GET', base(), { token: `cronfa_${'x'.repeat(43)}` }), 401, 'unauthorized');
    const admin = { token: h.adminToken };
    expectProblem(await h.call('POST', '/v1/coops', { ...admin, rawBody: '{"name":' }), 400, 'malformed-request');
    const plain = { ...admin, rawBody: 'Cronfa', headers: { 'content-type': 'text/plain' } };
    expectProblem(await h.call('POST', '/v1/coops', plain), 415, 'unsupported-media-type');
    const huge = JSON.stringify({ name: 'x'.repeat(70 * 1024) });
    expectProblem(await h.call('POST', '/v1/coops', { ...admin, rawBody: huge }), 413, 'payload-too-large');
  });

  it('tokens', async () => {
    const treasurer = as(coopA.treasurerToken);
    const issued = await treasurer.post<IssuedToken>('/v1/tokens', example('createToken'));
    expectStatus(issued, 201);
    expectProblem(await treasurer.post('/v1/tokens', example('createToken', { role: 'treasurer' })), 403, 'forbidden');
    const memberOfB = example('createToken', { memberId: b1.memberId });
    expectProblem(await treasurer.post('/v1/tokens', memberOfB), 404, 'not-found');
    const noMember = example('createToken', { memberId: undefined });
    expectProblem(await as(h.adminToken).post('/v1/tokens', noMember), 422, 'unprocessable');
    expectStatus(await as(h.adminToken).get('/v1/tokens?all=true'), 200);
    expectProblem(await as(a1.token).get('/v1/tokens'), 403, 'forbidden');
    expectProblem(await as(a2.token).delete(`/v1/tokens/${issued.body.id}`), 404, 'not-found');
    expectStatus(await treasurer.delete(`/v1/tokens/${issued.body.id}?cascade=true`), 204);
    expectProblem(await h.call('GET', base(), { token: issued.body.token }), 401, 'unauthorized');
  });
});

describe('real answers agree with the document: people', () => {
  it('invitations and people', async () => {
    const treasurer = as(coopA.treasurerToken);
    const email = `${unique()}@example.org`;
    const invited = await treasurer.post<{ id: string; url: string }>(
      '/v1/invitations',
      example('createInvitation', { memberId: a1.memberId, email }),
    );
    expectStatus(invited, 201);
    expectProblem(
      await treasurer.post('/v1/invitations', example('createInvitation', { role: 'treasurer' })),
      403,
      'forbidden',
    );
    const otherEmail = example('createInvitation', { memberId: a2.memberId, email: email.toUpperCase() });
    expectProblem(await treasurer.post('/v1/invitations', otherEmail), 409, 'duplicate');
    expectProblem(
      await treasurer.post('/v1/invitations', example('createInvitation', { memberId: b1.memberId })),
      404,
      'not-found',
    );
    expectStatus(await treasurer.get('/v1/invitations'), 200);
    expectStatus(await treasurer.delete(`/v1/invitations/${invited.body.id}`), 204);
    expectProblem(await treasurer.delete(`/v1/invitations/${invited.body.id}`), 404, 'not-found');
    const people = await treasurer.get<{ items: { id: string; memberId: string | null }[] }>('/v1/people?limit=500');
    expectStatus(people, 200);
    const person = people.body.items.find((p) => p.memberId === a1.memberId);
    expectStatus(await treasurer.delete(`/v1/people/${person?.id}`), 200);
    expectProblem(await as(coopB.treasurerToken).delete(`/v1/people/${person?.id}`), 404, 'not-found');
  });
});

describe('real answers agree with the document: members, pools, purchasing', () => {
  it('members, awards, receipts and balances, with an idempotent replay', async () => {
    const treasurer = as(coopA.treasurerToken);
    const laReference = `DP-${unique()}`;
    expectStatus(await treasurer.post(`${base()}/members`, example('createMember', { laReference })), 201);
    expectProblem(
      await treasurer.post(`${base()}/members`, example('createMember', { laReference })),
      409,
      'duplicate',
    );
    const noLa = example('createMember', { localAuthorityId: undefined });
    expectProblem(await treasurer.post(`${base()}/members`, noLa), 422, 'unprocessable');
    expectProblem(await as(a1.token).post(`${base()}/members`, example('createMember')), 403, 'forbidden');
    expectStatus(await treasurer.get(`${base()}/members`), 200);
    expectStatus(await as(a1.token).get(`${base()}/members/${a1.memberId}`), 200);
    expectProblem(await as(a2.token).get(`${base()}/members/${a1.memberId}`), 404, 'not-found');
    expectStatus(await treasurer.put(`${base()}/members/${a1.memberId}/award`, example('putAward')), 200);

    const key = { 'idempotency-key': `oa-${unique()}` };
    const receipt = example('recordReceipt', { reference: `WXM-${unique()}` });
    const first = await treasurer.post<Receipt>(`${base()}/receipts`, receipt, key);
    expectStatus(first, 201);
    expect(first.headers['idempotency-replayed']).toBeUndefined();
    const replay = await treasurer.post(`${base()}/receipts`, receipt, key);
    expectStatus(replay, 201);
    expect(replay.headers['idempotency-replayed']).toBe('true');
    expect(replay.body).toEqual(first.body);
    const reused = await treasurer.post(`${base()}/receipts`, { ...receipt, amount: '1.00' }, key);
    expectProblem(reused, 422, 'idempotency-key-reused');
    ids.set('entry', first.body.entryId);
    expectProblem(await treasurer.post(`${base()}/receipts`, receipt), 409, 'duplicate');
    expectProblem(await treasurer.post(`${base()}/receipts`, { ...receipt, amount: 12.5 }), 422, 'validation-error');
    const stranger = { ...receipt, memberId: randomUUID(), reference: 'R-x' };
    expectProblem(await treasurer.post(`${base()}/receipts`, stranger), 404, 'not-found');
    expectStatus(await as(a1.token).get(`${base()}/members/${a1.memberId}/balance?asOf=2026-11-30`), 200);
    expectProblem(
      await as(a1.token).get(`${base()}/members/${a1.memberId}/balance?asOf=2026-02-30`),
      422,
      'validation-error',
    );
  });

  it('pools, with a refusal replayed', async () => {
    const treasurer = as(coopA.treasurerToken);
    const name = `Pool ${unique()}`;
    expectStatus(await treasurer.post(`${base()}/pools`, example('createPool', { name })), 201);
    expectProblem(await treasurer.post(`${base()}/pools`, example('createPool', { name })), 409, 'duplicate');
    expectStatus(await treasurer.get(`${base()}/pools`), 200);
    expectStatus(await as(a1.token).get(`${base()}/pools/${poolId}`), 200);
    expectProblem(await as(a2.token).get(`${base()}/pools/${poolId}`), 404, 'not-found');

    const fresh = await createHolder(h, coopA);
    // Joined after the shared cost's date below, so the cost's equal split is the example's two members.
    const join = example('joinPool', { memberId: fresh.memberId, joinedOn: '2026-11-25' });
    expectStatus(await treasurer.post(`${base()}/pools/${poolId}/members`, join), 201);
    expectProblem(await treasurer.post(`${base()}/pools/${poolId}/members`, join), 409, 'duplicate');
    const leave = `${base()}/pools/${poolId}/members/${fresh.memberId}?leftOn=2026-11-30`;
    expectStatus(await treasurer.delete(leave, { 'idempotency-key': `oa-${unique()}` }), 200);

    expectStatus(await treasurer.post(`${base()}/pools/${poolId}/contributions`, example('contributeToPool')), 201);
    const key = { 'idempotency-key': `oa-${unique()}` };
    const tooMuch = example('contributeToPool', { amount: '99999.00' });
    const short = await treasurer.post(`${base()}/pools/${poolId}/contributions`, tooMuch, key);
    expectProblem(short, 422, 'insufficient-funds');
    const shortAgain = await treasurer.post(`${base()}/pools/${poolId}/contributions`, tooMuch, key);
    expectProblem(shortAgain, 422, 'insufficient-funds');
    expect(shortAgain.headers['idempotency-replayed']).toBe('true');
    expectStatus(await as(a1.token).get(`${base()}/pools/${poolId}/balance`), 200);
  });

  it('shared costs, providers, purchases, payments, quotes and the report', async () => {
    const treasurer = as(coopA.treasurerToken);
    const pool = `${base()}/pools/${poolId}`;
    expectStatus(await treasurer.post(`${pool}/costs/preview`, example('previewSharedCost')), 200);
    expectStatus(await treasurer.post(`${pool}/costs`, example('postSharedCost')), 201);
    const outsider = example('postSharedCost', { allocation: { method: 'weights', weights: { [a2.memberId]: '1' } } });
    expectProblem(await treasurer.post(`${pool}/costs`, outsider), 422, 'unprocessable');

    const provider = await treasurer.post<Provider>(
      `${base()}/providers`,
      example('createProvider', { name: `Darparwr ${unique()}` }),
    );
    expectStatus(provider, 201);
    ids.set('provider', provider.body.id);
    expectProblem(
      await treasurer.post(`${base()}/providers`, example('createProvider', { name: provider.body.name })),
      409,
      'duplicate',
    );
    expectStatus(await treasurer.put(`${base()}/providers/${provider.body.id}/rates`, example('putRateCard')), 200);
    expectStatus(await as(a1.token).get(`${base()}/providers`), 200);
    expectStatus(await as(a1.token).get(`${base()}/providers/${provider.body.id}`), 200);
    expectProblem(await as(a1.token).get(`${base()}/providers/${randomUUID()}`), 404, 'not-found');

    const invoice = example('recordPurchase', { invoiceReference: `CCW-${unique()}` });
    const purchase = await treasurer.post<PurchaseCreated>(`${base()}/purchases`, invoice);
    expectStatus(purchase, 201);
    ids.set('purchase', purchase.body.id);
    expectProblem(await treasurer.post(`${base()}/purchases`, invoice), 409, 'duplicate');
    expectStatus(await as(coopA.laOfficerToken).get(`${base()}/purchases`), 200);
    expectStatus(await as(a1.token).get(`${base()}/purchases/${purchase.body.id}`), 200);
    expectProblem(await as(a2.token).get(`${base()}/purchases/${purchase.body.id}`), 404, 'not-found');
    const payments = `${base()}/purchases/${purchase.body.id}/payments`;
    expectProblem(await treasurer.post(payments, example('payPurchase', { amount: '9999.00' })), 422, 'unprocessable');
    expectStatus(await treasurer.post(payments, example('payPurchase')), 201);

    expectStatus(await treasurer.post(`${pool}/quotes`, example('quotePool')), 200);
    expectStatus(await treasurer.get(`${base()}/reports/purchasing-power?from=2026-11-01&to=2026-11-30`), 200);
    expectProblem(
      await treasurer.get(`${base()}/reports/purchasing-power?from=2026-11-30&to=2026-11-01`),
      422,
      'unprocessable',
    );
  });
});

describe('real answers agree with the document: ledger, statements, reconciliation', () => {
  it('the ledger: accounts, entries, a reversal, the export and the audit trail', async () => {
    const treasurer = as(coopA.treasurerToken);
    expectStatus(await treasurer.get(`${base()}/accounts`), 200);
    expectStatus(await treasurer.get(`${base()}/entries?from=2026-11-01`), 200);
    expectStatus(await treasurer.get(`${base()}/entries/${ids.get('entry')}`), 200);
    expectProblem(await treasurer.get(`${base()}/entries/${randomUUID()}`), 404, 'not-found');
    expectProblem(await as(a1.token).get(`${base()}/accounts`), 403, 'forbidden');
    const mistake = await receive(h, coopA, a2.memberId, '5.00', '2026-11-02');
    const reversal = `${base()}/entries/${mistake.entryId}/reversal`;
    expectStatus(await treasurer.post(reversal, example('reverseEntry')), 201);
    expectProblem(await treasurer.post(reversal, example('reverseEntry')), 409, 'already-reversed');
    for (const format of ['hledger', 'csv']) {
      const journal = await treasurer.get(`${base()}/export/journal?format=${format}`);
      expectStatus(journal, 200);
      expect(journal.headers['content-disposition']).toMatch(/^attachment; filename="/);
    }
    expectStatus(await treasurer.get(`${base()}/audit`), 200);
  });

  it('statements in every format, with the hash the register records', async () => {
    const period = 'from=2026-01-01&to=2026-11-30';
    const holder = `${base()}/statements/holders/${a1.memberId}?${period}`;
    for (const format of ['json', 'csv', 'pdf']) {
      const res = await as(a1.token).get(`${holder}&format=${format}`);
      expectStatus(res, 200);
      expect(res.headers['x-statement-sha256']).toBe(createHash('sha256').update(res.raw).digest('hex'));
    }
    expectProblem(await as(coopB.laOfficerToken).get(holder), 404, 'not-found');
    expectProblem(
      await as(a1.token).get(`${base()}/statements/holders/${a1.memberId}?from=2026-02-01&to=2026-01-01`),
      422,
      'unprocessable',
    );
    const la = `/v1/local-authorities/${coopA.laId}/statements?${period}`;
    for (const format of ['json', 'csv'])
      expectStatus(await as(coopA.laOfficerToken).get(`${la}&format=${format}`), 200);
    expectStatus(await as(coopA.treasurerToken).get(`${la}&coopId=${coopA.coopId}`), 200);
    expectProblem(await as(coopA.treasurerToken).get(la), 422, 'unprocessable');
    expectProblem(await as(coopB.treasurerToken).get(`${la}&coopId=${coopA.coopId}`), 403, 'forbidden');
    expectProblem(await as(h.adminToken).get(la), 403, 'forbidden');
    const pool = `${base()}/statements/pools/${poolId}?${period}`;
    for (const format of ['json', 'pdf'])
      expectStatus(await as(coopA.treasurerToken).get(`${pool}&format=${format}`), 200);
    const issued = await as(coopA.treasurerToken).get<Page<IssuedStatement>>(`${base()}/statements/issued`);
    expectStatus(issued, 200);
    expect(issued.body.items.length).toBeGreaterThan(3);
  });

  it('bank files, matches, bookings and closes', async () => {
    const treasurer = as(coopA.treasurerToken);
    const upload = (query: string, text: string, contentType: string) =>
      h.call('POST', `${base()}/bank-statements?${query}`, {
        token: coopA.treasurerToken,
        rawBody: text,
        headers: { 'content-type': contentType },
      });
    // The documented examples import as they are.
    const lloyds = fileExample('importBankStatement', 'text/csv');
    expectStatus(await upload('format=csv&preset=lloyds', lloyds, 'text/csv'), 201);
    expectStatus(
      await upload('format=ofx', fileExample('importBankStatement', 'application/x-ofx'), 'application/x-ofx'),
      201,
    );
    const badDate = lloyds.replace('20/11/2026', '31/09/2026');
    expectProblem(await upload('format=csv&preset=lloyds', badDate, 'text/csv'), 422, 'invalid-bank-file');
    expectProblem(await upload('format=csv', 'Foo,Bar\n1,2\n', 'text/csv'), 422, 'invalid-bank-file');
    expectProblem(await upload('format=csv&dateColumn=Date', lloyds, 'text/csv'), 422, 'unprocessable');
    expectProblem(await upload('format=csv&preset=lloyds', lloyds, 'text/csv'), 409, 'duplicate');
    const preview = (query: string, text: string) =>
      h.call<{ layout?: string; problem: unknown }>('POST', `${base()}/bank-statements/preview?${query}`, {
        token: coopA.treasurerToken,
        rawBody: text,
        headers: { 'content-type': 'text/csv' },
      });
    const previewed = await preview('format=csv', lloyds);
    expectStatus(previewed, 200);
    expect(previewed.body).toMatchObject({ layout: 'lloyds', problem: null });
    expectStatus(await preview('format=csv&preset=lloyds', badDate), 200);
    const imports = await treasurer.get<Page<{ id: string }>>(`${base()}/bank-statements`);
    expectStatus(imports, 200);
    const firstImport = defined(imports.body.items[0], 'an import').id;
    expectStatus(await treasurer.get(`${base()}/bank-lines?statementId=${firstImport}&matched=false`), 200);
    expectProblem(await upload('format=csv&preset=lloyds', lloyds, 'image/png'), 415, 'unsupported-media-type');
    const tooLarge = `${lloyds}\n${'x'.repeat(21 * 1024 * 1024)}`;
    expectProblem(await upload('format=csv&preset=lloyds', tooLarge, 'text/csv'), 413, 'payload-too-large');

    // The example's DP remittance and the example receipt are one pair: matched by hand, undone, booked.
    const summary = await treasurer.get<ReconciliationSummary>(`${base()}/reconciliation?asOf=2026-11-30`);
    expectStatus(summary, 200);
    const lineOf = (text: string) =>
      defined(
        summary.body.unmatchedBankLines.find((l) => l.description.includes(text)),
        `the unmatched line "${text}"`,
      ).id;
    ids.set('bankLine', lineOf('WXM-DP-1000-NOV'));
    const match = await treasurer.post<Match>(`${base()}/reconciliation/matches`, example('createMatch'));
    expectStatus(match, 201);
    expectProblem(
      await treasurer.post(`${base()}/reconciliation/matches`, example('createMatch')),
      409,
      'invalid-state',
    );
    expectStatus(await treasurer.delete(`${base()}/reconciliation/matches/${match.body.id}`), 204);
    expectProblem(await treasurer.delete(`${base()}/reconciliation/matches/${randomUUID()}`), 404, 'not-found');
    const charge = `${base()}/bank-lines/${lineOf('SERVICE CHARGES')}/entry`;
    expectProblem(await treasurer.post(charge, { kind: 'interest' }), 422, 'unprocessable');
    expectStatus(await treasurer.post(charge, example('bookBankLine')), 201);
    expectStatus(await treasurer.post(`${base()}/reconciliation/auto`), 200);

    const close = `${base()}/periods/close`;
    expectProblem(await treasurer.post(close, example('closePeriod')), 409, 'not-reconciled');
    expectStatus(await treasurer.post(close, { through: '2020-01-31', force: true, reason: 'Before Cronfa' }), 201);
    expectProblem(
      await treasurer.post(close, { through: '2020-01-15', force: true, reason: 'Again' }),
      409,
      'invalid-state',
    );
    const late = { memberId: a1.memberId, amount: '1.00', receivedOn: '2020-01-10', reference: `OLD-${unique()}` };
    expectProblem(await treasurer.post(`${base()}/receipts`, late), 409, 'period-closed');
    expectStatus(await treasurer.get(`${base()}/periods`), 200);
  });
});

describe('real answers agree with the document: limits and failures', () => {
  it('429 with Retry-After, per token and per address', async () => {
    const app = await buildApp(
      {
        logLevel: 'silent',
        requestTimeoutMs: 30_000,
        pdfThreads: 0,
        rateLimits: { perMinute: 2, authFailuresPerMinute: 1 },
      },
      { database: h0.db.database },
    );
    await app.ready();
    try {
      const admin = await createBootstrapAdminToken(h0.db.database, 'openapi rate test', new Date());
      const get = async (headers: Record<string, string>, remoteAddress: string) => {
        const res = fromInject(
          'GET /v1/local-authorities',
          await app.inject({ method: 'GET', url: '/v1/local-authorities', headers, remoteAddress }),
        );
        checkAnswer('GET', '/v1/local-authorities', res);
        return res;
      };
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await get({ authorization: `Bearer ${admin}` }, '10.1.0.1')).status);
      expect(statuses).toEqual([200, 200, 429]);
      const junk = { authorization: `Bearer cronfa_${'y'.repeat(43)}` };
      expect((await get(junk, '10.1.0.2')).status).toBe(401);
      const refused = await get(junk, '10.1.0.2');
      expectProblem(refused, 429, 'rate-limited');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    } finally {
      await app.close();
    }
  });

  it('503 with Retry-After when the database is gone', async () => {
    const gone = async (): Promise<never> => {
      // What the driver raises when the server has gone, as the storage boundary hands it on.
      throw translateStorageError(Object.assign(new Error('connection closed'), { code: 'CONNECTION_CLOSED' }));
    };
    const database: Database = { ...h0.db.database, read: gone, transaction: gone, autocommit: gone, checkReady: gone };
    const app = await buildApp({ logLevel: 'silent', requestTimeoutMs: 30_000, pdfThreads: 0 }, { database });
    await app.ready();
    try {
      const send = async (method: 'GET' | 'POST', url: string, payload?: unknown) => {
        const res = fromInject(
          `${method} ${url}`,
          await app.inject({
            method,
            url,
            headers: { authorization: `Bearer ${coopA.treasurerToken}` },
            ...(payload ? { payload: payload as object } : {}),
          }),
        );
        checkAnswer(method, url, res);
        return res;
      };
      for (const res of [
        await send('GET', '/ready'),
        await send('GET', `${base()}/members/${a1.memberId}/balance`),
        await send('POST', `${base()}/receipts`, example('recordReceipt')),
      ]) {
        expectProblem(res, 503, 'database-unavailable');
        expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      }
    } finally {
      await app.close();
    }
  });
});

describe('real answers agree with the document: every operation, without a token and from outside the tenant', () => {
  // No body and no query: whoever gets past the access rule is refused by validation, so nothing changes.
  const callers = () => ({
    nobody: null,
    admin: h.adminToken,
    treasurerB: coopB.treasurerToken,
    holderB: b1.token,
    officerLA2: coopB.laOfficerToken,
  });
  it.each(operations.filter((o) => !isPublic(o)).map((o) => [o.key, o] as const))('%s', async (_, o) => {
    const real: Record<string, string> = { coopId: coopA.coopId, memberId: a1.memberId, poolId, laId: coopA.laId };
    const url = o.path.replace(/\{(\w+)\}/g, (_, name: string) => real[name] ?? randomUUID());
    const statuses = [];
    for (const token of Object.values(callers())) statuses.push((await h.call(o.method, url, { token })).status);
    expect(statuses[0]).toBe(401);
  });
});

describe('coverage of the walk', () => {
  it('answered every documented operation with a success, checked against the document', () => {
    const unanswered = operations.filter((o) => ![...(seen.get(o.key) ?? [])].some((s) => s < 300)).map((o) => o.key);
    expect(unanswered).toEqual([]);
  });

  it('answered every operation that needs a token with 401, and with the 403 or 404 of its access rule', () => {
    const missing = operations
      .filter((o) => !isPublic(o))
      .filter((o) => {
        const statuses = seen.get(o.key) ?? new Set();
        return !statuses.has(401) || !(statuses.has(403) || statuses.has(404));
      })
      .map((o) => o.key);
    expect(missing).toEqual([]);
  });

  it('checked refusals of every family and every kind', () => {
    const refusals = new Map<string, Set<number>>();
    for (const o of operations)
      for (const status of seen.get(o.key) ?? [])
        if (status >= 400) refusals.set(o.op.tags[0], (refusals.get(o.op.tags[0]) ?? new Set()).add(status));
    for (const tag of ['identity', 'members', 'pools', 'purchasing', 'ledger', 'statements', 'reconciliation'])
      expect(refusals.get(tag)?.size ?? 0, tag).toBeGreaterThanOrEqual(2);
    const all = new Set([...refusals.values()].flatMap((s) => [...s]));
    expect([...all].sort()).toEqual(expect.arrayContaining([400, 401, 403, 404, 409, 413, 415, 422, 429, 503]));
  });
});
