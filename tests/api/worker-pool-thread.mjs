// A thread for tests/api/bank-file-limits.test.ts: answers at once with its thread id, spins for ever on "spin",
// and on "grow" keeps every array it makes until V8 stops it at the thread's memory limit.
import { threadId } from 'node:worker_threads';

export default function run(task) {
  if (task === 'spin') for (;;);
  if (task === 'grow') {
    const kept = [];
    for (;;) kept.push(new Array(100_000).fill(kept.length));
  }
  return threadId;
}
