import pLimit from 'p-limit';
import { Piscina } from 'piscina';
import type { WorkerLimits } from './limits';

/** A task stopped at one of its thread's limits: the time it may run, or the memory it may use. */
export class WorkerLimitError extends Error {
  constructor(
    readonly limit: 'time' | 'memory',
    readonly timeoutMs: number,
    readonly memoryMb: number,
  ) {
    super(limit === 'time' ? `the task ran longer than ${timeoutMs} ms` : `the task needed more than ${memoryMb} MB`);
    this.name = 'WorkerLimitError';
  }
}

export interface WorkerPool<Task, Result> {
  run(task: Task): Promise<Result>;
  close(): Promise<void>;
}

/** An idle thread is kept this long for the next task, then exits and hands its memory back. */
const IDLE_TIMEOUT_MS = 60_000;
/**
 * The threads run at a lower scheduling priority than the serving thread (and the database, on the same machine):
 * when the CPU is short, other co-ops' requests go first and the bank file waits (niceIncrement needs piscina's
 * optional native module; without it the threads run at normal priority).
 */
const NICE_INCREMENT = 10;
/**
 * Reading a file or matching allocates many short-lived objects (cells, amounts, keys); a larger young generation
 * collects them less often: about a fifth less time for the largest bank file. Up to this much, and at most an
 * eighth of the thread's heap.
 */
const YOUNG_GENERATION_MB = 128;

/**
 * Threads running `entry`'s default export, started on the first task. At most `threads` tasks run at once and the
 * rest wait here, not in piscina's queue, so a task's time limit counts its own running time only. A task over its
 * time limit has its thread terminated; one over its memory limit loses its thread to V8; piscina starts a fresh
 * thread for the next task either way.
 */
export function createWorkerPool<Task, Result>(entry: URL, limits: WorkerLimits): WorkerPool<Task, Result> {
  const turns = pLimit(limits.threads);
  let current: Threads<Task, Result> | null = null;
  const start = (): Threads<Task, Result> => {
    const pool = new Piscina<Task, Result>({
      filename: entry.href,
      minThreads: 0,
      maxThreads: limits.threads,
      idleTimeout: IDLE_TIMEOUT_MS,
      niceIncrement: NICE_INCREMENT,
      resourceLimits: {
        maxOldGenerationSizeMb: limits.memoryMb,
        maxYoungGenerationSizeMb: Math.min(YOUNG_GENERATION_MB, Math.floor(limits.memoryMb / 8)),
      },
    });
    const threads: Threads<Task, Result> = { pool, failure: null };
    // A thread that fails outside any task (one that cannot load its module, say) would leave the task waiting for
    // it queued, and piscina's 'error' event unhandled would end the process: fail the waiting task instead, and
    // start afresh for the next one.
    pool.on('error', (error: Error) => {
      threads.failure = error;
      if (current === threads) current = null;
      void pool.destroy();
    });
    return threads;
  };
  return {
    run: (task) =>
      turns(async () => {
        const threads = (current ??= start());
        const signal = AbortSignal.timeout(limits.timeoutMs);
        try {
          return await threads.pool.run(task, { signal });
        } catch (error) {
          if (threads.failure) throw new Error('a worker thread failed to start', { cause: threads.failure });
          if (signal.aborted) throw new WorkerLimitError('time', limits.timeoutMs, limits.memoryMb);
          if ((error as { code?: unknown }).code === 'ERR_WORKER_OUT_OF_MEMORY')
            throw new WorkerLimitError('memory', limits.timeoutMs, limits.memoryMb);
          throw error;
        }
      }),
    async close() {
      const threads = current;
      current = null;
      await threads?.pool.destroy();
    },
  };
}

interface Threads<Task, Result> {
  pool: Piscina<Task, Result>;
  /** Set when a thread failed outside a task: the pool is being destroyed and its waiting task fails. */
  failure: Error | null;
}
