/**
 * `npm run demo`: a fresh embedded database in the demo's own directory (./data/demo, or DATA_DIR) filled with the
 * demo co-op, then the service, and for each role a person to sign in as, a token and an example curl. It only ever replaces books it made
 * itself (see demo-data-dir.ts).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildApp } from '../src/app';
import { loadConfig } from '../src/config';
import { openDatabase } from '../src/db/open';
import { createBootstrapAdminToken } from '../src/services/tokens';
import { demoBankExport } from './demo-bank-export';
import { prepareDemoDataDir } from './demo-data-dir';
import { DEMO_PASSWORD, seedDemoPeople } from './demo-people';
import { seedDemo } from './demo-seed';

async function main(): Promise<void> {
  const config = loadConfig({ ...process.env, DATA_DIR: process.env.DATA_DIR ?? './data/demo', DATABASE_URL: '' });
  if (config.database.kind !== 'embedded') throw new Error('the demo runs on the embedded database');
  if (!config.database.dataDir.startsWith('memory://')) prepareDemoDataDir(config.database.dataDir);
  const database = await openDatabase(config.database);
  const app = await buildApp({ ...config, logLevel: process.env.LOG_LEVEL ? config.logLevel : 'warn' }, { database });
  const admin = await createBootstrapAdminToken(database, 'Demo admin', new Date(), config.tokens);
  console.log('Seeding the demo co-op (12 holders, 2 pools, 3 months of receipts)…');
  const demo = await seedDemo(app, admin);
  const people = await seedDemoPeople(app, database, demo);
  // The bank's side of the same three months, for the reconciliation walk-through in the README.
  const bankExportDir = config.database.dataDir.startsWith('memory://') ? './data' : config.database.dataDir;
  mkdirSync(bankExportDir, { recursive: true });
  const bankExport = join(bankExportDir, 'bank-export-lloyds.csv');
  writeFileSync(bankExport, await demoBankExport(app, demo));
  await app.listen({ port: config.port, host: config.host });
  const base = `http://${config.host}:${config.port}`;
  const c = `${base}/v1/coops/${demo.coopId}`;
  console.log(`
Cronfa demo is running at ${base}  (API docs: ${base}/docs)

Sign in at ${base}/sign-in with the password "${DEMO_PASSWORD}":
${people.map((p) => `  ${p.role.padEnd(11)} ${p.email.padEnd(30)} ${p.who}`).join('\n')}

Tokens for the API:

admin       ${demo.admin}
  curl -s -H "Authorization: Bearer ${demo.admin}" ${base}/v1/local-authorities

treasurer   ${demo.treasurer}
  curl -s -H "Authorization: Bearer ${demo.treasurer}" ${c}/accounts

holder      ${demo.holder.token}   (${demo.holder.name})
  curl -s -H "Authorization: Bearer ${demo.holder.token}" ${c}/members/${demo.holder.memberId}/balance

la_officer  ${demo.laOfficer.token}   (Wrexham)
  curl -s -H "Authorization: Bearer ${demo.laOfficer.token}" ${c}/members

The co-op's bank export (Lloyds layout) for reconciliation: ${bankExport}
  curl -s -H "Authorization: Bearer ${demo.treasurer}" -H "Content-Type: text/csv" --data-binary @${bankExport} "${c}/bank-statements?format=csv&preset=lloyds"

Press Ctrl+C to stop.`);
  const stop = async () => {
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  console.error('demo failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
