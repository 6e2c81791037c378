import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app';
import { createBootstrapAdminToken } from '../../src/services/tokens';
import { type TestDatabase, openTestDatabase } from './database';

export interface Response<T = any> {
  status: number;
  body: T;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The body's exact bytes (for binary responses such as PDFs). */
  raw: Buffer;
}

export interface CallOptions {
  token?: string | null;
  body?: unknown;
  headers?: Record<string, string>;
  rawBody?: string;
}

export interface Harness {
  app: FastifyInstance;
  db: TestDatabase;
  adminToken: string;
  call<T = any>(method: string, url: string, options?: CallOptions): Promise<Response<T>>;
  close(): Promise<void>;
}

/** The real application on a fresh database, driven through `inject` (no network). */
export async function createHarness(): Promise<Harness> {
  const db = await openTestDatabase();
  const app = await buildApp(
    { logLevel: (process.env.TEST_LOG_LEVEL as 'silent' | undefined) ?? 'silent', requestTimeoutMs: 30_000 },
    { database: db.database },
  );
  await app.ready();
  const adminToken = await createBootstrapAdminToken(db.database, 'test admin');
  const call = async <T>(method: string, url: string, options: CallOptions = {}): Promise<Response<T>> => {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let payload: string | undefined;
    if (options.rawBody !== undefined) payload = options.rawBody;
    else if (options.body !== undefined) payload = JSON.stringify(options.body);
    if (payload !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
    const res = await app.inject({
      method: method as 'GET',
      url,
      headers,
      ...(payload !== undefined ? { payload } : {}),
    });
    let body: unknown = undefined;
    const type = String(res.headers['content-type'] ?? '');
    if (type.includes('json') && res.body.length > 0) body = JSON.parse(res.body);
    return {
      status: res.statusCode,
      body: body as T,
      headers: res.headers as Response['headers'],
      text: res.body,
      raw: res.rawPayload,
    };
  };
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
