import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type DemoTokens, seedDemo } from '../../scripts/demo-seed';
import { buildApp } from '../../src/app';
import { backupEmbedded, restoreEmbedded } from '../../src/db/embedded-backup';
import type { Database } from '../../src/db/database';
import { openDatabase } from '../../src/db/open';
import { createBootstrapAdminToken } from '../../src/services/tokens';
import { onPostgres } from '../support/database';

/** A backup of the embedded database, restored elsewhere, holds the same books: balances and statement hashes. */
const root = mkdtempSync(join(tmpdir(), 'cronfa-backup-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

type App = Awaited<ReturnType<typeof buildApp>>;

async function withService<T>(dataDir: string, work: (app: App, database: Database) => Promise<T>): Promise<T> {
  const database = await openDatabase({ kind: 'embedded', dataDir });
  const app = await buildApp({ logLevel: 'silent', requestTimeoutMs: 60_000 }, { database });
  try {
    return await work(app, database);
  } finally {
    await app.close();
    await database.close();
  }
}

/** What a treasurer and an LA would see: every account's balance, and the SHA-256 of a holder and an LA statement. */
async function figures(app: App, demo: DemoTokens) {
  const get = (url: string, token = demo.treasurer) =>
    app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
  const accounts = JSON.parse((await get(`/v1/coops/${demo.coopId}/accounts?limit=500`)).body).items.map(
    (a: { code: string; balance: string }) => `${a.code} ${a.balance}`,
  );
  const holder = await get(
    `/v1/coops/${demo.coopId}/statements/holders/${demo.holder.memberId}?from=2026-01-01&to=2026-11-01&format=pdf`,
  );
  const la = await get(
    `/v1/local-authorities/${demo.laOfficer.laId}/statements?coopId=${demo.coopId}&from=2026-01-01&to=2026-11-01&format=csv`,
    demo.laOfficer.token,
  );
  expect(holder.statusCode).toBe(200);
  expect(la.statusCode).toBe(200);
  return { accounts, holderSha: holder.headers['x-statement-sha256'], laSha: la.headers['x-statement-sha256'] };
}

describe.skipIf(onPostgres)('embedded backup and restore', () => {
  it('restores every balance and gives byte-identical statements', async () => {
    const original = join(root, 'original');
    const restored = join(root, 'restored');
    const file = join(root, 'cronfa-backup.tar.gz');
    const { demo, before } = await withService(original, async (app, database) => {
      const demoTokens = await seedDemo(app, await createBootstrapAdminToken(database, 'backup test', new Date()));
      return { demo: demoTokens, before: await figures(app, demoTokens) };
    });
    expect(before.accounts.length).toBeGreaterThan(30);
    expect(before.holderSha).toMatch(/^[0-9a-f]{64}$/);
    expect(before.laSha).toMatch(/^[0-9a-f]{64}$/);

    const { bytes } = await backupEmbedded(original, file);
    expect(bytes).toBeGreaterThan(10_000);
    await restoreEmbedded(file, restored);
    const after = await withService(restored, (app) => figures(app, demo));
    expect(after).toEqual(before);
    await expect(restoreEmbedded(file, restored)).rejects.toThrow(/already holds a database/);
  }, 240_000);
});
