/**
 * How much a reconciliation worker thread may take. A thread over its time limit is terminated; one over its memory
 * limit is stopped by V8; either way the request is refused, and the next one gets a fresh thread.
 */
export interface WorkerLimits {
  /** Threads; tasks beyond them wait their turn (the time limit starts when a task gets its thread). */
  threads: number;
  /** Longest a task may run on its thread. */
  timeoutMs: number;
  /** The thread's heap (V8's old generation); a task that needs more is refused. */
  memoryMb: number;
}

export interface ReconciliationWorkerOptions {
  /** Decoding, parsing, ordering and keying uploaded bank files. */
  bankFiles: WorkerLimits;
  /** The auto-matcher. */
  autoMatch: WorkerLimits;
}

/**
 * The largest file the upload limits allow (LINES_MAX, 200,000 lines; BANK_FILE_LIMIT_BYTES, 20 MB) reads in about
 * 4.5 s and under 400 MB on one core of the benchmark machine: the limits leave four times that time (a busy or a
 * slower machine) and more than twice that memory (V8 slows down collecting garbage near its limit).
 */
export const BANK_FILE_THREADS = 1;
export const BANK_FILE_TIMEOUT_MS = 20_000;
export const BANK_FILE_MEMORY_MB = 1024;

/**
 * Auto-matching has no upload to limit it (a co-op's unmatched lines add up across imports): 300,000 lines against
 * 300,000 entries take about 5 s and 1 GB.
 */
export const AUTO_MATCH_THREADS = 1;
export const AUTO_MATCH_TIMEOUT_MS = 60_000;
export const AUTO_MATCH_MEMORY_MB = 2048;

export const RECONCILIATION_WORKER_DEFAULTS: ReconciliationWorkerOptions = {
  bankFiles: { threads: BANK_FILE_THREADS, timeoutMs: BANK_FILE_TIMEOUT_MS, memoryMb: BANK_FILE_MEMORY_MB },
  autoMatch: { threads: AUTO_MATCH_THREADS, timeoutMs: AUTO_MATCH_TIMEOUT_MS, memoryMb: AUTO_MATCH_MEMORY_MB },
};
