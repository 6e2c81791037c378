import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { lockDataDir } from './data-dir-lock';

/**
 * Backups of the embedded database as one gzip'd tar file of its PostgreSQL directory (PGlite's own dump format).
 * The service must be stopped: the data-directory lock refuses a backup or restore while it runs.
 */
export async function backupEmbedded(dataDir: string, file: string): Promise<{ bytes: number }> {
  const pgdata = join(dataDir, 'pgdata');
  if (!existsSync(pgdata)) throw new Error(`no embedded database in ${dataDir}`);
  const unlock = lockDataDir(dataDir);
  try {
    const client = await PGlite.create(pgdata);
    try {
      // A checkpoint first, so the files in the archive hold every committed change.
      await client.exec('checkpoint');
      const dump = await client.dumpDataDir('gzip');
      const bytes = Buffer.from(await dump.arrayBuffer());
      // Written beside the target and renamed, so a failed backup never leaves a truncated file under its name.
      writeFileSync(`${file}.partial`, bytes);
      renameSync(`${file}.partial`, file);
      return { bytes: bytes.length };
    } finally {
      await client.close();
    }
  } finally {
    unlock();
  }
}

/** Restores a backup into an empty DATA_DIR (never over an existing database). */
export async function restoreEmbedded(file: string, dataDir: string): Promise<void> {
  const pgdata = join(dataDir, 'pgdata');
  if (existsSync(pgdata)) throw new Error(`${dataDir} already holds a database; restore into an empty DATA_DIR`);
  mkdirSync(dataDir, { recursive: true });
  const unlock = lockDataDir(dataDir);
  try {
    const client = await PGlite.create(pgdata, { loadDataDir: new Blob([readFileSync(file)]) });
    await client.close();
  } finally {
    unlock();
  }
}
