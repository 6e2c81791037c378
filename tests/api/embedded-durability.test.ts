import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type ServiceProcess, startService } from '../../scripts/lib/service-process';
import { openDatabase } from '../../src/db/open';
import { recomputedBalances } from '../../src/services/ledger/queries';
import { createBootstrapAdminToken } from '../../src/services/tokens';
import { onPostgres } from '../support/database';

/**
 * The embedded database must keep every acknowledged write when the service process is killed outright. The
 * service runs as a real child process on a data directory; receipts are posted by several clients at once, the
 * process gets SIGKILL mid-load, and after a restart every acknowledged receipt is there and balances agree.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'cronfa-durability-'));
let service: ServiceProcess | null = null;
afterAll(async () => {
  await service?.stop('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

async function call(base: string, token: string, method: string, path: string, body?: unknown) {
  const res = await fetch(base + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : null,
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

describe.skipIf(onPostgres)(
  'embedded database durability (embedded run only: PostgreSQL is durable by its own fsync)',
  () => {
    it('keeps every acknowledged receipt when the service is killed with SIGKILL mid-load', async () => {
      const database = await openDatabase({ kind: 'embedded', dataDir });
      const admin = await createBootstrapAdminToken(database, 'durability test', new Date());
      await database.close();

      service = await startService(null, { DATA_DIR: dataDir });
      const base = service.base;
      const la = await call(base, admin, 'POST', '/v1/local-authorities', {
        name: 'Conwy',
        nameCy: 'Conwy',
        code: 'CNW',
      });
      const coop = await call(base, admin, 'POST', '/v1/coops', { name: 'Cronfa Conwy' });
      const treasurer = (
        await call(base, admin, 'POST', '/v1/tokens', { role: 'treasurer', label: 't', coopId: coop.body.id })
      ).body.token;
      const c = `/v1/coops/${coop.body.id}`;
      const member = await call(base, treasurer, 'POST', `${c}/members`, {
        name: 'Gwenllian Ŵyn',
        stakeholderClass: 'holder',
        localAuthorityId: la.body.id,
        laReference: 'CNW-1',
        preferredLanguage: 'cy',
      });

      const acknowledged: string[] = [];
      // The kill comes once enough writes are acknowledged (mid-load), however fast or slow the machine is.
      const KILL_AFTER_ACKNOWLEDGED = 20;
      let loaded: () => void = () => {};
      const underLoad = new Promise<void>((resolve) => (loaded = resolve));
      let stop = false;
      const clients = Array.from({ length: 4 }, async (_, client) => {
        for (let i = 0; !stop; i += 1) {
          try {
            const res = await call(base, treasurer, 'POST', `${c}/receipts`, {
              memberId: member.body.id,
              amount: '1.00',
              receivedOn: '2026-01-05',
              reference: `K-${client}-${i}`,
            });
            if (res.status === 201) acknowledged.push(res.body.entryId);
            if (acknowledged.length >= KILL_AFTER_ACKNOWLEDGED) loaded();
          } catch {
            return; // the process is gone: this request's fate is unknown, and it was not acknowledged
          }
        }
      });
      await Promise.race([underLoad, Promise.all(clients)]);
      await service.stop('SIGKILL');
      stop = true;
      await Promise.all(clients);
      expect(acknowledged.length).toBeGreaterThanOrEqual(KILL_AFTER_ACKNOWLEDGED);

      service = await startService(null, { DATA_DIR: dataDir });
      for (const entryId of acknowledged) {
        expect((await call(service.base, treasurer, 'GET', `${c}/entries/${entryId}`)).status).toBe(200);
      }
      const balance = await call(service.base, treasurer, 'GET', `${c}/members/${member.body.id}/balance`);
      const receivedPounds = Number.parseInt(balance.body.funds, 10);
      // Requests in flight at the kill may have committed without being acknowledged: at most one per client.
      expect(receivedPounds).toBeGreaterThanOrEqual(acknowledged.length);
      expect(receivedPounds).toBeLessThanOrEqual(acknowledged.length + 4);
      await service.stop('SIGTERM');
      service = null;

      const reopened = await openDatabase({ kind: 'embedded', dataDir });
      const rows = await reopened.read((db) => recomputedBalances(db));
      await reopened.close();
      expect(rows.filter((r) => !r.cached.eq(r.recomputed))).toEqual([]);
    });

    it('refuses a second process on the same data directory instead of losing its writes', async () => {
      const first = await openDatabase({ kind: 'embedded', dataDir: join(dataDir, 'shared') });
      try {
        const second = startService(null, { DATA_DIR: join(dataDir, 'shared') });
        await expect(second).rejects.toThrow(/exited|did not become ready/);
      } finally {
        await first.close();
      }
    });
  },
);
