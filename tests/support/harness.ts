import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { z } from 'zod';
import { buildApp } from '../../src/app';
import { createBootstrapAdminToken } from '../../src/services/tokens';
import { type TestDatabase, openTestDatabase } from './database';

/**
 * One answer of the app. `body` is the parsed JSON body (undefined when the answer is not JSON), typed as the call
 * said (`h.call<Entry>(...)`), or `unknown` when it said nothing; `json()` reads it again, as a type or through a
 * zod schema that checks it.
 */
export interface Response<T = unknown> {
  status: number;
  body: T;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The body's exact bytes (for binary responses such as PDFs). */
  raw: Buffer;
  /** The JSON body as `U` (not checked: the test's assertions check it). Throws if the answer is not JSON. */
  json<U = T>(): U;
  /** The JSON body parsed by `schema`: throws, naming what does not fit and quoting the answer, if it does not fit. */
  json<S extends z.ZodType>(schema: S): z.output<S>;
}

export interface CallOptions {
  token?: string | null;
  body?: unknown;
  headers?: Record<string, string>;
  rawBody?: string | Buffer;
}

/**
 * The app on its own database, and a way to call it. A call's body is `T` when the call names it, otherwise
 * `Untyped`: `unknown` for a `TypedHarness` (what `createHarness` and `useHarness` return), so a test says what it
 * expects before it reads a field; `any` for the bare `Harness`, which test files written before the harness was
 * typed still declare.
 */
export interface Harness<Untyped = any> {
  app: FastifyInstance;
  db: TestDatabase;
  adminToken: string;
  call<T = Untyped>(method: string, url: string, options?: CallOptions): Promise<Response<T>>;
  close(): Promise<void>;
}

/** The harness whose answers are `unknown` until the test names their type or parses them with a schema. */
export type TypedHarness = Harness<unknown>;

/**
 * The real application on a fresh database, driven through `inject` (no network). `clock` fixes the moment every
 * request is decided at (the system clock unless given).
 */
export async function createHarness(options: { clock?: () => Date; smtpUrl?: string } = {}): Promise<TypedHarness> {
  const db = await openTestDatabase();
  const app = await buildApp(
    {
      logLevel: (process.env.TEST_LOG_LEVEL as 'silent' | undefined) ?? 'silent',
      requestTimeoutMs: 30_000,
      ...(options.smtpUrl ? { smtpUrl: options.smtpUrl } : {}),
    },
    { database: db.database, ...(options.clock ? { clock: options.clock } : {}) },
  );
  await app.ready();
  const adminToken = await createBootstrapAdminToken(db.database, 'test admin', options.clock?.() ?? new Date());
  const call = <T>(method: string, url: string, options?: CallOptions) => callApp<T>(app, method, url, options);
  return {
    app,
    db,
    adminToken,
    call,
    close: async () => {
      await app.close();
      await db.close();
    },
  };
}

/** One request to `app` through `inject`, answered as a `Response` (for tests that build an app of their own). */
export async function callApp<T = unknown>(
  app: FastifyInstance,
  method: string,
  url: string,
  options: CallOptions = {},
): Promise<Response<T>> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let payload: string | Buffer | undefined;
  if (options.rawBody !== undefined) payload = options.rawBody;
  else if (options.body !== undefined) payload = JSON.stringify(options.body);
  if (payload !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
  const res = await app.inject({
    method: method as 'GET',
    url,
    headers,
    ...(payload !== undefined ? { payload } : {}),
  });
  return fromInject<T>(`${method} ${url}`, res);
}

/** What an answer is before it is read: its status, headers and body (text and bytes). */
export type Answer = Pick<Response, 'status' | 'headers' | 'text' | 'raw'>;

/** A `Response` for an answer of `inject`; `request` (e.g. `GET /health`) names it in the errors `json()` throws. */
export function fromInject<T = unknown>(request: string, res: LightMyRequestResponse): Response<T> {
  return makeResponse<T>(request, {
    status: res.statusCode,
    headers: res.headers as Response['headers'],
    text: res.body,
    raw: res.rawPayload,
  });
}

/** A `Response` for an answer: its JSON body parsed once, and `json()` to read it as a type or through a schema. */
export function makeResponse<T = unknown>(request: string, answer: Answer): Response<T> {
  const type = String(answer.headers['content-type'] ?? '');
  const isJson = type.includes('json') && answer.text.length > 0;
  const body: unknown = isJson ? JSON.parse(answer.text) : undefined;
  const quoted = () =>
    `${request} answered ${answer.status} (${type || 'no content-type'}): ${answer.text.slice(0, 2000)}`;
  function json(schema?: z.ZodType): unknown {
    if (!isJson) throw new Error(`expected a JSON body: ${quoted()}`);
    if (schema === undefined) return body;
    const parsed = schema.safeParse(body);
    if (!parsed.success) throw new Error(`the body does not fit: ${z.prettifyError(parsed.error)}\n${quoted()}`);
    return parsed.data;
  }
  return { ...answer, body: body as T, json: json as Response<T>['json'] };
}
