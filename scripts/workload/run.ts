/**
 * `npm run workload -- [--seconds 300] [--clients 16] [--faults none|kill|database]`: the bank workload for as long
 * as asked, against the service as its own process on a throw-away PostgreSQL server, with the chosen faults
 * injected every few seconds; prints the counts and every invariant violation, and exits 1 if there was any.
 */
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { openDatabase } from '../../src/db/open';
import { createBootstrapAdminToken } from '../../src/services/tokens';
import { createScratchDatabase, requireServerUrl } from '../bench/harness';
import { withServerStopped } from '../lib/postgres-server';
import { type ServiceProcess, startService } from '../lib/service-process';
import { type WorkloadTarget, checkWorkload, runWorkload, setUpWorld } from './bank-workload';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '60' },
      clients: { type: 'string', default: '16' },
      faults: { type: 'string', default: 'none' },
    },
  });
  const seconds = Number(values.seconds);
  const faults = values.faults;
  if (!['none', 'kill', 'database'].includes(faults)) throw new Error('--faults is none, kill or database');
  const databaseUrl = await createScratchDatabase(requireServerUrl());
  const database = await openDatabase({ kind: 'postgres', url: databaseUrl, poolSize: 2 });
  const adminToken = await createBootstrapAdminToken(database, 'workload', new Date());
  await database.close();
  const env = { REQUEST_TIMEOUT_MS: '5000' };
  let service: ServiceProcess = await startService(databaseUrl, env);
  const target: WorkloadTarget = { base: () => service.base, adminToken };
  const admin = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  let injected = 0;
  try {
    const world = await setUpWorld(target);
    const result = await runWorkload(target, world, {
      clients: Number(values.clients),
      seconds,
      onTick: async (second) => {
        if (faults === 'none' || second % 4 !== 0) return;
        injected += 1;
        if (faults === 'kill') {
          await service.stop('SIGKILL');
          service = await startService(databaseUrl, env);
        } else {
          // Every third fault stops the server for a second; the others terminate the service's connections.
          const stopped = second % 12 === 0 && (await withServerStopped(() => new Promise((r) => setTimeout(r, 1000))));
          if (!stopped)
            await admin`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${new URL(databaseUrl).pathname.slice(1)} and pid <> pg_backend_pid()`;
        }
      },
    });
    const report = await checkWorkload(target, databaseUrl, result);
    const c = report.counts;
    console.log(`${seconds} s, ${values.clients} clients, faults: ${faults} (${injected} injected)`);
    console.log(
      `${c.operations} operations: ${c.ok} ok, ${c.failed} failed, ${c.unknown} unknown (settled on replay: ${c.settledOk} ok, ${c.settledFailed} failed); ${result.reads} balance reads`,
    );
    console.log(`5xx answers: ${result.serverErrors.length}; slowest answer ${result.slowestMs} ms`);
    console.log(`${report.violations.length} invariant violations`);
    for (const violation of report.violations) console.log(`  ${violation}`);
    return report.violations.length === 0 ? 0 : 1;
  } finally {
    await admin.end().catch(() => {});
    await service.stop('SIGTERM');
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
