/** Runs the service (src/server.ts) as a child process on a free port, for benchmarks and crash tests. */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export interface ServiceProcess {
  base: string;
  child: ChildProcess;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts `src/server.ts` as its own process (so load generation does not share its event loop). */
export async function startService(
  databaseUrl: string | null,
  env: Record<string, string> = {},
): Promise<ServiceProcess> {
  const port = await freePort();
  const root = fileURLToPath(new URL('../..', import.meta.url));
  // BENCH_SERVICE_NODE_ARGS passes extra flags to the service's node (e.g. --cpu-prof) when looking for a bottleneck.
  const extraArgs = (process.env.BENCH_SERVICE_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...extraArgs, '--import', 'tsx', 'src/server.ts'], {
    cwd: root,
    // Load generators send far more than one client would: no rate limit unless the caller sets one.
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl ?? '',
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'error',
      RATE_LIMIT_PER_MINUTE: '0',
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  let exitCode: number | null = null;
  child.once('exit', (code, signal) => {
    exitCode = code ?? (signal ? 128 : 1);
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exitCode !== null) throw new Error(`service exited with code ${exitCode} before it was ready`);
    try {
      if ((await fetch(`${base}/ready`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('service did not become ready');
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    base,
    child,
    stop: (signal: NodeJS.Signals = 'SIGTERM') =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      }),
  };
}
