/**
 * Posting throughput against a real PostgreSQL server (run via `npm run bench`):
 *  1. 32 concurrent HTTP clients post pool contributions across 1,000 holders for BENCH_SECONDS (default 60);
 *  2. the same transaction issued directly with postgres.js (no HTTP, no validation): the ceiling;
 *  3. GET member balance requests/s.
 * Prints entries/s per 10 s window, p50/p99 latency and the service/ceiling ratio.
 */
import { randomUUID } from 'node:crypto';
import pLimit from 'p-limit';
import postgres from 'postgres';
import { api, describeLoad, percentile, runLoad, startBenchService } from './harness';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const CLIENTS = 32;
const HOLDERS = 1000;
const POOL_SIZE = 10;

async function main(): Promise<void> {
  const { databaseUrl, adminToken: admin, service } = await startBenchService(POOL_SIZE);
  try {
    const { coopId, treasurer, poolId, holderIds } = await seed(service.base, admin);
    const c = `/v1/coops/${coopId}`;
    const today = new Date().toISOString().slice(0, 10);

    const viaHttp = await runLoad(CLIENTS, SECONDS, 10, async (client, i) => {
      const memberId = holderIds[(client * 7919 + i * 31) % HOLDERS]!;
      const res = await fetch(`${service.base}${c}/pools/${poolId}/contributions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${treasurer}`, 'content-type': 'application/json' },
        body: JSON.stringify({ memberId, amount: '0.01', date: today }),
      });
      await res.arrayBuffer();
      return res.status === 201;
    });

    const ceiling = await directCeiling(databaseUrl, coopId, poolId);

    const balances = await runLoad(CLIENTS, SECONDS, 10, async (client, i) => {
      const memberId = holderIds[(client * 104729 + i * 17) % HOLDERS]!;
      const res = await fetch(`${service.base}${c}/members/${memberId}/balance`, {
        headers: { authorization: `Bearer ${treasurer}` },
      });
      await res.arrayBuffer();
      return res.status === 200;
    });

    const ratio = viaHttp.completed / ceiling.completed;
    const lowestWindowRatio = Math.min(...viaHttp.perWindow) / (ceiling.completed / ceiling.seconds);
    console.log(describeLoad('contributions via HTTP (entries)', viaHttp));
    console.log(describeLoad('same transaction via postgres.js (ceiling)', ceiling));
    console.log(
      `ratio service/ceiling: ${(ratio * 100).toFixed(0)}% overall, ${(lowestWindowRatio * 100).toFixed(0)}% in the slowest window (target ≥ 50%)`,
    );
    console.log(describeLoad('GET member balance (requests)', balances));
    console.log(
      `BENCH postings.entries_per_s=${(viaHttp.completed / SECONDS).toFixed(0)} ceiling=${(ceiling.completed / SECONDS).toFixed(0)} ratio=${ratio.toFixed(2)} p50_ms=${percentile(viaHttp.latenciesMs, 50).toFixed(1)} p99_ms=${percentile(viaHttp.latenciesMs, 99).toFixed(1)} balance_rps=${(balances.completed / SECONDS).toFixed(0)}`,
    );
  } finally {
    await service.stop();
  }
}

async function seed(base: string, admin: string) {
  const la = await api(base, admin, 'POST', '/v1/local-authorities', {
    name: 'Bench LA',
    nameCy: 'ALl Mainc',
    code: 'BENCH',
  });
  const coop = await api(base, admin, 'POST', '/v1/coops', { name: 'Bench co-op' });
  const treasurer = (
    await api(base, admin, 'POST', '/v1/tokens', { role: 'treasurer', label: 'bench', coopId: coop.id })
  ).token as string;
  const c = `/v1/coops/${coop.id}`;
  const pool = await api(base, treasurer, 'POST', `${c}/pools`, { name: 'Bench pool', purpose: 'benchmark' });
  const limit = pLimit(16);
  const holderIds = await Promise.all(
    Array.from({ length: HOLDERS }, (_, i) =>
      limit(async () => {
        const member = await api(base, treasurer, 'POST', `${c}/members`, {
          name: `Holder ${i}`,
          stakeholderClass: 'holder',
          localAuthorityId: la.id,
          laReference: `B-${i}`,
          preferredLanguage: 'en',
        });
        await api(base, treasurer, 'POST', `${c}/pools/${pool.id}/members`, { memberId: member.id });
        await api(base, treasurer, 'POST', `${c}/receipts`, {
          memberId: member.id,
          amount: '100000.00',
          receivedOn: '2026-01-01',
          reference: `BENCH-${i}`,
        });
        return member.id as string;
      }),
    ),
  );
  return { coopId: coop.id as string, treasurer, poolId: pool.id as string, holderIds };
}

/** The contribution transaction with nothing around it: lock both accounts in id order, insert entry and postings. */
async function directCeiling(databaseUrl: string, coopId: string, poolId: string) {
  const sql = postgres(databaseUrl, { max: POOL_SIZE, onnotice: () => {} });
  const pairs = await sql<{ memberId: string; funds: string; share: string }[]>`
    select f.member_id as "memberId", f.id as funds, s.id as share
      from accounts f join accounts s on s.member_id = f.member_id and s.kind = 'pool_share' and s.pool_id = ${poolId}
     where f.kind = 'holder_funds' and f.coop_id = ${coopId}`;
  const [token] = await sql<{ id: string }[]>`select id from tokens limit 1`;
  const today = new Date().toISOString().slice(0, 10);
  const result = await runLoad(CLIENTS, SECONDS, 10, async (client, i) => {
    const pair = pairs[(client * 7919 + i * 31) % pairs.length]!;
    const entryId = randomUUID();
    const ids = [pair.funds, pair.share].sort();
    await sql.begin(async (tx) => {
      await tx`select id, balance from accounts where id in ${tx(ids)} order by id for update`;
      await tx`insert into journal_entries (id, coop_id, kind, value_date, memo, created_by_token_id)
               values (${entryId}, ${coopId}, 'pool_contribution', ${today}, 'bench', ${token!.id})`;
      await tx`insert into postings (entry_id, account_id, member_id, amount)
               values (${entryId}, ${pair.funds}, ${pair.memberId}, '0.01'), (${entryId}, ${pair.share}, ${pair.memberId}, '-0.01')`;
    });
    return true;
  });
  await sql.end();
  return result;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
