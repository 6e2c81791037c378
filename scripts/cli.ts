/**
 * Operator commands. The database is chosen by the same environment variables as the service.
 *   create-token --role admin --label <text>   prints one line: a new admin token
 *   verify                                     recomputes every balance from postings and compares with the cache
 *   backup --to <file>                         the embedded database (service stopped) as one file
 *   restore --from <file>                      a backup into an empty DATA_DIR
 */
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../src/config';
import { backupEmbedded, restoreEmbedded } from '../src/db/embedded-backup';
import { openDatabase } from '../src/db/open';
import { formatMoney } from '../src/domain/money';
import { recomputedBalances } from '../src/services/ledger/queries';
import { createBootstrapAdminToken } from '../src/services/tokens';

const USAGE = `usage:
  cli create-token --role admin --label <text>
  cli verify
  cli backup --to <file>       (embedded database; stop the service first)
  cli restore --from <file>    (into an empty DATA_DIR)`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: { role: { type: 'string' }, label: { type: 'string' }, to: { type: 'string' }, from: { type: 'string' } },
    strict: true,
  });
  const config = loadConfig();
  if (command === 'create-token') {
    if (values.role !== 'admin' || !values.label) {
      console.error(
        'create-token makes the first admin token: --role admin --label <text> (other tokens: POST /v1/tokens)',
      );
      return 2;
    }
    const database = await openDatabase(config.database);
    try {
      console.log(await createBootstrapAdminToken(database, values.label, new Date(), config.tokens));
    } finally {
      await database.close();
    }
    return 0;
  }
  if (command === 'verify') {
    const database = await openDatabase(config.database);
    try {
      const rows = await database.read((db) => recomputedBalances(db));
      const wrong = rows.filter((r) => !r.cached.eq(r.recomputed));
      for (const row of wrong)
        console.log(`${row.id}: cached ${formatMoney(row.cached)} recomputed ${formatMoney(row.recomputed)}`);
      console.log(`${rows.length} accounts checked, ${wrong.length} disagree`);
      return wrong.length === 0 ? 0 : 1;
    } finally {
      await database.close();
    }
  }
  if (command === 'backup' || command === 'restore') {
    if (config.database.kind !== 'embedded') {
      console.error('On PostgreSQL use pg_dump and pg_restore (see the README, Operations).');
      return 2;
    }
    if (command === 'backup') {
      if (!values.to) return usage();
      const { bytes } = await backupEmbedded(config.database.dataDir, values.to);
      console.log(`backed up ${config.database.dataDir} to ${values.to} (${bytes} bytes)`);
      return 0;
    }
    if (!values.from) return usage();
    await restoreEmbedded(values.from, config.database.dataDir);
    console.log(`restored ${values.from} into ${config.database.dataDir}; run "cli verify" to check the balances`);
    return 0;
  }
  return usage();
}

function usage(): number {
  console.error(USAGE);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(
      error instanceof ConfigError
        ? error.message
        : `cli failed: ${error instanceof Error ? error.message : String(error)}`,
    );
    process.exit(1);
  },
);
