/** Stopping and starting the throw-away PostgreSQL server of scripts/with-postgres.sh, for fault injection. */
import { exec } from 'node:child_process';
import { promisify } from 'node:util';

/**
 * Stops the server, runs `whileDown` (the clients keep running: nothing here blocks the event loop), and starts it
 * again with the same options. Returns false, doing nothing, outside scripts/with-postgres.sh.
 */
export async function withServerStopped(whileDown: () => Promise<void>): Promise<boolean> {
  const { TEST_PG_STOP: stop, TEST_PG_START: start } = process.env;
  if (!stop || !start) return false;
  await promisify(exec)(stop);
  try {
    await whileDown();
  } finally {
    await promisify(exec)(start);
  }
  return true;
}
