import type { AutoMatchRows, AutoMatchTask } from './auto-match-task';
import type { ReconciliationWorkerOptions } from './limits';
import type { ReadBankFileResult, ReadBankFileTask } from './read-bank-file';
import { createWorkerPool } from './worker-pool';

/**
 * The CPU-heavy steps of reconciliation, each on threads of its own: reading a bank file (hundreds of thousands of
 * lines of CSV or OFX) and auto-matching (as many lines against as many entries) take seconds, and on the serving
 * thread they would hold up every other co-op's requests meanwhile. Each step has its own time and memory limits;
 * a task over one rejects with a WorkerLimitError.
 */
export interface ReconciliationWorkers {
  readBankFile(task: ReadBankFileTask): Promise<ReadBankFileResult>;
  autoMatch(task: AutoMatchTask): Promise<AutoMatchRows>;
  close(): Promise<void>;
}

export function createReconciliationWorkers(options: ReconciliationWorkerOptions): ReconciliationWorkers {
  const bankFiles = createWorkerPool<ReadBankFileTask, ReadBankFileResult>(
    new URL('./read-bank-file-thread.mjs', import.meta.url),
    options.bankFiles,
  );
  const matcher = createWorkerPool<AutoMatchTask, AutoMatchRows>(
    new URL('./auto-match-thread.mjs', import.meta.url),
    options.autoMatch,
  );
  return {
    readBankFile: (task) => bankFiles.run(task),
    autoMatch: (task) => matcher.run(task),
    close: async () => {
      await Promise.all([bankFiles.close(), matcher.close()]);
    },
  };
}
