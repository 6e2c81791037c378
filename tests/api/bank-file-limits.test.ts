import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app';
import { BANK_FILE_LIMIT_BYTES } from '../../src/domain/bank-files/csv-file';
import { RECONCILIATION_WORKER_DEFAULTS, type WorkerLimits } from '../../src/workers/limits';
import { createReconciliationWorkers } from '../../src/workers/reconciliation-workers';
import { createWorkerPool } from '../../src/workers/worker-pool';
import type { BankStatement } from '../support/api';
import { callApp } from '../support/harness';
import { Problem, problemType } from '../support/problems';
import { useHarness } from '../support/use-harness';

/**
 * The limits of the threads that read bank files: a task over its time or memory limit is stopped, and the next
 * task gets a fresh thread; through the upload route, a file over a limit is refused with a problem naming the
 * limit, and nothing of it is stored.
 */
const { h, coop } = useHarness();

describe('a worker pool at its limits', () => {
  const pool = createWorkerPool<string, number>(new URL('./worker-pool-thread.mjs', import.meta.url), {
    threads: 1,
    timeoutMs: 2000,
    memoryMb: 32,
  });
  afterAll(() => pool.close());

  it('stops a task over its time limit, and runs the next one on a fresh thread', async () => {
    const before = await pool.run('which thread');
    expect(await pool.run('which thread')).toBe(before);
    await expect(pool.run('spin')).rejects.toMatchObject({ name: 'WorkerLimitError', limit: 'time', timeoutMs: 2000 });
    const after = await pool.run('which thread');
    expect(after).not.toBe(before);
  });

  it('stops a task over its memory limit, and runs the next one on a fresh thread', async () => {
    const before = await pool.run('which thread');
    await expect(pool.run('grow')).rejects.toMatchObject({ name: 'WorkerLimitError', limit: 'memory', memoryMb: 32 });
    const after = await pool.run('which thread');
    expect(after).not.toBe(before);
  });
});

describe('a worker pool whose thread cannot start', () => {
  it('fails the task, rather than leaving it waiting or ending the process', async () => {
    const pool = createWorkerPool<string, number>(new URL('./no-such-thread.mjs', import.meta.url), {
      threads: 1,
      timeoutMs: 60_000,
      memoryMb: 32,
    });
    try {
      await expect(pool.run('which thread')).rejects.toThrow('a worker thread failed to start');
      await expect(pool.run('which thread')).rejects.toThrow('a worker thread failed to start');
    } finally {
      await pool.close();
    }
  });
});

/** A Lloyds export of `lines` DP receipts, newest first as Lloyds writes it, with a running balance that chains. */
function lloydsExport(lines: number, tag = 'LIM'): string {
  const rows: string[] = [];
  let balancePence = 0;
  for (let i = 0; i < lines; i += 1) {
    const pence = 1000 + (i % 5000);
    balancePence += pence;
    const day = String(1 + Math.floor((i * 28) / lines)).padStart(2, '0');
    rows.push(
      `${day}/10/2026,BGC,'30-94-57,12345678,COUNCIL DP ${tag}-${i},,${(pence / 100).toFixed(2)},${(balancePence / 100).toFixed(2)}`,
    );
  }
  return [
    'Transaction Date,Transaction Type,Sort Code,Account Number,Transaction Description,Debit Amount,Credit Amount,Balance',
    ...rows.reverse(),
  ].join('\n');
}

/** The app as the service builds it, on the harness's database, with bank-file threads at the given limits. */
async function appWithBankFileLimits(bankFiles: WorkerLimits): Promise<FastifyInstance> {
  const app = await buildApp(
    { logLevel: 'silent', requestTimeoutMs: 60_000 },
    {
      database: h.db.database,
      reconciliationWorkers: createReconciliationWorkers({ ...RECONCILIATION_WORKER_DEFAULTS, bankFiles }),
    },
  );
  await app.ready();
  return app;
}

function upload(app: FastifyInstance, csv: string) {
  return callApp<BankStatement>(app, 'POST', `/v1/coops/${coop.coopId}/bank-statements?format=csv&preset=lloyds`, {
    token: coop.treasurerToken,
    headers: { 'content-type': 'text/csv' },
    rawBody: csv,
  });
}

function stored(): Promise<{ statements: number; lines: number }> {
  return h.db.one(sql`
    select (select count(*)::int from bank_statements where coop_id = ${coop.coopId}::uuid) as statements,
           (select count(*)::int from bank_lines where coop_id = ${coop.coopId}::uuid) as lines`);
}

describe('a bank file over a thread limit', () => {
  it('over the time limit: refused with 422 naming the limit, and nothing stored', async () => {
    const app = await appWithBankFileLimits({ threads: 1, timeoutMs: 1, memoryMb: 1024 });
    try {
      const before = await stored();
      const res = await upload(app, lloydsExport(20_000));
      expect(res.status).toBe(422);
      expect(res.headers['content-type']).toContain('application/problem+json');
      const problem = res.json(Problem);
      expect(problem).toMatchObject({
        type: problemType('invalid-bank-file'),
        limit: 'time',
        timeoutMs: 1,
        line: null,
      });
      expect(problem.detail).toContain('took longer than the 0.001 s a bank file may take');
      expect(await stored()).toEqual(before);
    } finally {
      await app.close();
    }
  });

  it('over the memory limit: refused with 422 naming the limit, nothing stored, and the next file reads on a fresh thread', async () => {
    const app = await appWithBankFileLimits({ threads: 1, timeoutMs: 60_000, memoryMb: 32 });
    try {
      const before = await stored();
      const res = await upload(app, lloydsExport(100_000));
      expect(res.status).toBe(422);
      expect(res.headers['content-type']).toContain('application/problem+json');
      const problem = res.json(Problem);
      expect(problem).toMatchObject({ type: problemType('invalid-bank-file'), limit: 'memory', memoryMb: 32 });
      expect(problem.detail).toContain('needed more than the 32 MB of memory a bank file may use');
      expect(await stored()).toEqual(before);

      const small = await upload(app, lloydsExport(3, 'AFTER'));
      expect(small.status).toBe(201);
      expect(small.body).toMatchObject({ lineCount: 3, importedCount: 3, duplicatesSkipped: 0 });
      expect(await stored()).toEqual({ statements: before.statements + 1, lines: before.lines + 3 });
    } finally {
      await app.close();
    }
  });

  it('refuses more lines than a file may hold, naming the most, and stores nothing', async () => {
    const app = await appWithBankFileLimits(RECONCILIATION_WORKER_DEFAULTS.bankFiles);
    try {
      const before = await stored();
      // Short lines, so the file is within the upload's size limit and only its line count is over.
      const rows = Array.from({ length: 200_001 }, (_, i) => `2026-10-01,P${i},1.00`);
      const res = await callApp(
        app,
        'POST',
        `/v1/coops/${coop.coopId}/bank-statements?format=csv&dateColumn=Date&dateFormat=YYYY-MM-DD&descriptionColumn=Details&amountColumn=Amount`,
        {
          token: coop.treasurerToken,
          headers: { 'content-type': 'text/csv' },
          rawBody: ['Date,Details,Amount', ...rows].join('\n'),
        },
      );
      expect(res.status).toBe(422);
      expect(res.json(Problem).detail).toContain('it has more than 200000 transactions');
      expect(await stored()).toEqual(before);
    } finally {
      await app.close();
    }
  });

  it('refuses a file over the upload size limit with 413, and stores nothing', async () => {
    const before = await stored();
    const header = lloydsExport(1);
    const res = await h.call('POST', `/v1/coops/${coop.coopId}/bank-statements?format=csv&preset=lloyds`, {
      token: coop.treasurerToken,
      rawBody: header + '\n'.repeat(BANK_FILE_LIMIT_BYTES + 1 - header.length),
      headers: { 'content-type': 'text/csv' },
    });
    expect(res.status).toBe(413);
    expect(res.json(Problem).type).toBe(problemType('payload-too-large'));
    expect(await stored()).toEqual(before);
  });
});
