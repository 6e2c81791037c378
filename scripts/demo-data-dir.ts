import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lockDataDir } from '../src/db/data-dir-lock';

/** The file that marks a directory as the demo's own: the demo only ever replaces books in a directory it made. */
export const DEMO_MARKER = 'cronfa-demo';
/** What the demo writes into its directory, and so all it ever removes there. */
export const DEMO_FILES = ['pgdata', 'bank-export-lloyds.csv'] as const;

export class DemoDataDirError extends Error {}

/**
 * Makes `dir` ready for a fresh demo: creates it (and marks it the demo's) if it does not exist, or adopts it if it is
 * empty; in a directory the demo made before, removes only the demo's own books and bank export. Refuses a
 * directory a running service holds, and one with books or files the demo did not make, and deletes nothing there.
 */
export function prepareDemoDataDir(dir: string): void {
  if (!existsSync(dir)) {
    mkdirSync(dir, { recursive: true });
  } else if (!existsSync(join(dir, DEMO_MARKER))) {
    const contents = readdirSync(dir);
    if (contents.length > 0) {
      throw new DemoDataDirError(
        `${dir} is not the demo's directory (it holds ${contents.slice(0, 3).join(', ')}${contents.length > 3 ? ', …' : ''}); ` +
          'the demo replaces its books each time, so it only uses a directory of its own: set DATA_DIR to a new one',
      );
    }
  }
  try {
    // Claims the directory (the service's own pid-file lock): a running service or demo keeps it.
    lockDataDir(dir);
  } catch (error) {
    throw new DemoDataDirError(`${(error as Error).message}; stop it first, or give the demo another DATA_DIR`);
  }
  for (const name of DEMO_FILES) rmSync(join(dir, name), { recursive: true, force: true });
  writeFileSync(join(dir, DEMO_MARKER), 'A Cronfa demo lives here: `npm run demo` replaces its books each time.\n');
}
