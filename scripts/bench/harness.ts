/** Shared pieces of the benchmarks: a fresh PostgreSQL database, a closed-loop load generator. */
import { openDatabase } from '../../src/db/open';
import { createBootstrapAdminToken } from '../../src/services/tokens';
import { startService } from '../lib/service-process';
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';

export function requireServerUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url)
    throw new Error('run benchmarks through scripts/with-postgres.sh (npm run bench), which sets TEST_DATABASE_URL');
  return url;
}

export async function createScratchDatabase(serverUrl: string): Promise<string> {
  const name = `cronfa_bench_${randomBytes(4).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export interface LoadResult {
  completed: number;
  failed: number;
  latenciesMs: number[];
  perWindow: number[];
  seconds: number;
}

/**
 * Runs `clients` closed loops of `operation` for `seconds`; counts successes per `windowSeconds` window.
 * Bounded: it stops by itself when the time is up.
 */
export async function runLoad(
  clients: number,
  seconds: number,
  windowSeconds: number,
  operation: (client: number, iteration: number) => Promise<boolean>,
): Promise<LoadResult> {
  const started = performance.now();
  const endAt = started + seconds * 1000;
  const windows = new Array<number>(Math.ceil(seconds / windowSeconds)).fill(0);
  const latenciesMs: number[] = [];
  let failed = 0;
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      for (let iteration = 0; performance.now() < endAt; iteration += 1) {
        const t0 = performance.now();
        const ok = await operation(client, iteration).catch(() => false);
        const t1 = performance.now();
        if (!ok) {
          failed += 1;
          continue;
        }
        latenciesMs.push(t1 - t0);
        const window = Math.floor((t1 - started) / 1000 / windowSeconds);
        if (window < windows.length) windows[window]! += 1;
      }
    }),
  );
  return {
    completed: latenciesMs.length,
    failed,
    latenciesMs,
    perWindow: windows.map((n) => n / windowSeconds),
    seconds,
  };
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export function describeLoad(label: string, result: LoadResult): string {
  const rate = result.completed / result.seconds;
  return `${label}: ${rate.toFixed(0)}/s overall; per window ${result.perWindow.map((n) => n.toFixed(0)).join(' ')}; p50 ${percentile(result.latenciesMs, 50).toFixed(1)} ms, p99 ${percentile(result.latenciesMs, 99).toFixed(1)} ms; failed ${result.failed}`;
}

export async function api(
  base: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ id: string; token: string }> {
  const res = await fetch(base + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : null,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${text}`);
  return JSON.parse(text || '{}');
}

/**
 * A fresh database on the benchmark server with an admin token, and the service running on it as its own process.
 * Returns the database URL too, for the direct postgres.js ceiling.
 */
export async function startBenchService(poolSize: number) {
  const databaseUrl = await createScratchDatabase(requireServerUrl());
  const database = await openDatabase({ kind: 'postgres', url: databaseUrl, poolSize: 2 });
  const adminToken = await createBootstrapAdminToken(database, 'bench', new Date());
  await database.close();
  const service = await startService(databaseUrl, { DB_POOL_SIZE: String(poolSize) });
  return { databaseUrl, adminToken, service };
}
