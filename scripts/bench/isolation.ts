/**
 * Tenant isolation on a real PostgreSQL server (run via `npm run bench`): while co-op A reconciles the largest bank
 * file the limits allow, one client reads co-op B's member balances continuously. Co-op A
 *  1. uploads the file (every line new),
 *  2. uploads it again (every line a duplicate),
 *  3. auto-matches it against its ledger (one DP receipt per line),
 *  4. reads its reconciliation summary;
 * after a quiet phase with B's reads alone, for comparison. Prints each phase's duration and B's read latency
 * p50 / p99 / max over the reads in flight during it. Target: B's p99 under 250 ms in every phase.
 */
import postgres from 'postgres';
import { LINES_MAX } from '../../src/domain/bank-files/csv-file';
import { BANK_FILE_LIMIT_BYTES } from '../../src/domain/bank-files/csv-file';
import { api, percentile, startBenchService } from './harness';
import { bankExport, seed } from './reconcile';

/** Lines in co-op A's file: the most the limits allow unless set (a smaller file, for a quick run). */
const LINES = Number(process.env.BENCH_ISOLATION_LINES ?? LINES_MAX);
const QUIET_SECONDS = Math.min(5, Number(process.env.BENCH_SECONDS ?? 60));
const B_HOLDERS = 20;
const P99_TARGET_MS = 250;

const READS_PER_SECOND = 50;

interface Read {
  /** When the read was due to be sent: a read held up behind a stalled service counts the time it waited. */
  dueMs: number;
  endMs: number;
  ok: boolean;
}

interface Phase {
  key: string;
  label: string;
  startMs: number;
  endMs: number;
  outcome: string;
}

async function main(): Promise<void> {
  // A long deadline (the service inherits this environment): each phase ends when its answer comes, not when the
  // service gives up waiting for it.
  process.env.REQUEST_TIMEOUT_MS = '300000';
  const { databaseUrl, adminToken, service } = await startBenchService(10);
  const sql = postgres(databaseUrl, { max: 4, onnotice: () => {} });
  try {
    const la = await api(service.base, adminToken, 'POST', '/v1/local-authorities', {
      name: 'Isolation Council',
      nameCy: 'Cyngor Ynysu',
      code: 'ISOL',
    });
    const coopA = await api(service.base, adminToken, 'POST', '/v1/coops', { name: 'Co-op A (reconciling)' });
    const treasurerA = (
      await api(service.base, adminToken, 'POST', '/v1/tokens', { role: 'treasurer', label: 'A', coopId: coopA.id })
    ).token;
    const b = await seedCoopB(service.base, adminToken, la.id);
    await seed(sql, coopA.id, la.id, LINES);
    const csv = fitToLimit(await bankExport(sql, coopA.id));
    const lineCount = csv.split('\n').length - 1;
    const megabytes = Buffer.byteLength(csv) / 1e6;
    console.log(
      `co-op A's file: ${lineCount} lines, ${megabytes.toFixed(1)} MB (limits: ${LINES_MAX} lines, ${BANK_FILE_LIMIT_BYTES} bytes)`,
    );

    const reads: Read[] = [];
    let reading = true;
    const reader = readContinuously(service.base, b, reads, () => reading);

    const a = `${service.base}/v1/coops/${coopA.id}`;
    const phases: Phase[] = [];
    const phase = async (key: string, label: string, work: () => Promise<string>) => {
      const startMs = performance.now();
      const outcome = await work();
      phases.push({ key, label, startMs, endMs: performance.now(), outcome });
    };
    await phase('quiet', 'quiet (B alone)', async () => {
      await new Promise((resolve) => setTimeout(resolve, QUIET_SECONDS * 1000));
      return '';
    });
    await phase('import', 'A imports the file', async () => {
      const body = await send('POST', `${a}/bank-statements?format=csv&preset=lloyds`, treasurerA, csv);
      return `${body.importedCount} imported, ${body.duplicatesSkipped} duplicates`;
    });
    await phase('reimport', 'A imports it again', async () => {
      const body = await send('POST', `${a}/bank-statements?format=csv&preset=lloyds`, treasurerA, csv);
      return `${body.importedCount} imported, ${body.duplicatesSkipped} duplicates`;
    });
    await phase('open', 'A reads its reconciliation (nothing matched)', async () => {
      const body = await send('GET', `${a}/reconciliation`, treasurerA);
      return `${body.unmatchedBankLineCount} lines and ${body.unmatchedEntryCount} entries unmatched`;
    });
    await phase('match', 'A auto-matches', async () => {
      const body = await send('POST', `${a}/reconciliation/auto`, treasurerA);
      return `${body.matched.byReference} by reference, ${body.matched.byAmountAndDate} by amount and date, ${body.unmatchedBankLines} lines unmatched`;
    });
    await phase('summary', 'A reads its reconciliation', async () => {
      const body = await send('GET', `${a}/reconciliation`, treasurerA);
      return `${body.unmatchedBankLineCount} lines and ${body.unmatchedEntryCount} entries unmatched, difference ${body.difference}`;
    });
    reading = false;
    await reader;

    const figures: string[] = [`lines=${lineCount}`, `mb=${megabytes.toFixed(1)}`];
    let worstP99 = 0;
    for (const p of phases) {
      // Every read in flight at some moment of the phase: one that started before it and ended during it waited on it too.
      const during = reads.filter((r) => r.dueMs < p.endMs && r.endMs > p.startMs);
      const latencies = during.map((r) => r.endMs - r.dueMs);
      const failed = during.filter((r) => !r.ok).length;
      const [p50, p99, max] = [percentile(latencies, 50), percentile(latencies, 99), Math.max(...latencies)];
      const seconds = (p.endMs - p.startMs) / 1000;
      if (p.key !== 'quiet') worstP99 = Math.max(worstP99, p99);
      console.log(
        `${p.label}: ${seconds.toFixed(2)} s${p.outcome ? ` (${p.outcome})` : ''}; co-op B: ${latencies.length} reads (${failed} failed), p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${max.toFixed(1)} ms`,
      );
      figures.push(
        `${p.key}_s=${seconds.toFixed(2)}`,
        `${p.key}_p50_ms=${p50.toFixed(1)}`,
        `${p.key}_p99_ms=${p99.toFixed(1)}`,
        `${p.key}_max_ms=${max.toFixed(1)}`,
      );
    }
    console.log(
      `co-op B's worst p99 while A reconciles: ${worstP99.toFixed(1)} ms (target < ${P99_TARGET_MS} ms: ${worstP99 < P99_TARGET_MS ? 'met' : 'not met'})`,
    );
    console.log(`BENCH isolation.${figures.join(' ')}`);
  } finally {
    await sql.end();
    await service.stop();
  }
}

/**
 * Reads co-op B's balances at a fixed rate, each on its own schedule whether or not earlier ones have been answered
 * (a client that waited for each answer would send fewer reads while the service stalls, hiding the stall).
 */
async function readContinuously(
  base: string,
  b: { coopId: string; treasurer: string; memberIds: string[] },
  reads: Read[],
  going: () => boolean,
): Promise<void> {
  const intervalMs = 1000 / READS_PER_SECOND;
  const startMs = performance.now();
  const inFlight = new Set<Promise<void>>();
  for (let i = 0; going(); i += 1) {
    const dueMs = startMs + i * intervalMs;
    const waitMs = dueMs - performance.now();
    if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
    const memberId = b.memberIds[i % b.memberIds.length]!;
    const read = (async () => {
      let ok = false;
      try {
        const res = await fetch(`${base}/v1/coops/${b.coopId}/members/${memberId}/balance`, {
          headers: { authorization: `Bearer ${b.treasurer}` },
        });
        await res.arrayBuffer();
        ok = res.status === 200;
      } catch {
        // counted as failed
      }
      reads.push({ dueMs, endMs: performance.now(), ok });
    })();
    inFlight.add(read);
    void read.then(() => inFlight.delete(read));
  }
  await Promise.all(inFlight);
}

/** Co-op B: a few holders with a receipt each, and its treasurer's token for reading their balances. */
async function seedCoopB(base: string, admin: string, laId: string) {
  const coop = await api(base, admin, 'POST', '/v1/coops', { name: 'Co-op B (reading)' });
  const treasurer = (await api(base, admin, 'POST', '/v1/tokens', { role: 'treasurer', label: 'B', coopId: coop.id }))
    .token;
  const memberIds: string[] = [];
  for (let i = 0; i < B_HOLDERS; i += 1) {
    const member = await api(base, treasurer, 'POST', `/v1/coops/${coop.id}/members`, {
      name: `Holder B${i}`,
      stakeholderClass: 'holder',
      localAuthorityId: laId,
      laReference: `ISOL-B-${i}`,
      preferredLanguage: 'en',
    });
    await api(base, treasurer, 'POST', `/v1/coops/${coop.id}/receipts`, {
      memberId: member.id,
      amount: '500.00',
      receivedOn: '2026-01-05',
      reference: `ISOL-B-${i}`,
    });
    memberIds.push(member.id);
  }
  return { coopId: coop.id, treasurer, memberIds };
}

/** The export cut to the upload limit, by whole lines from the end (the running balances still chain). */
function fitToLimit(csv: string): string {
  const lines = csv.split('\n');
  let bytes = 0;
  let kept = 0;
  while (kept < lines.length && bytes + Buffer.byteLength(lines[kept]!) + (kept > 0 ? 1 : 0) <= BANK_FILE_LIMIT_BYTES) {
    bytes += Buffer.byteLength(lines[kept]!) + (kept > 0 ? 1 : 0);
    kept += 1;
  }
  return lines.slice(0, kept).join('\n');
}

async function send(method: string, url: string, token: string, csv?: string) {
  const res = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(csv === undefined ? {} : { 'content-type': 'text/csv' }) },
    body: csv ?? null,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${url} → ${res.status} ${text.slice(0, 500)}`);
  return JSON.parse(text);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
