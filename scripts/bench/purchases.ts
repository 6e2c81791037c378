/**
 * Purchase throughput against a real PostgreSQL server (run via `npm run bench`): 32 concurrent HTTP clients record
 * invoices of 4 lines allocated equally across the 8 members of a pool, for BENCH_SECONDS (default 60); then the
 * same transaction issued directly with postgres.js (lock 9 accounts, insert entry, 9 postings, purchase, lines and
 * shares) as the ceiling. Prints entries/s per 10 s window, p50/p99 and the ratio.
 */
import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { api, describeLoad, percentile, runLoad, startBenchService } from './harness';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const CLIENTS = 32;
const POOLS = 16;
const MEMBERS_PER_POOL = 8;
const POOL_SIZE = 10;

async function main(): Promise<void> {
  const { databaseUrl, adminToken: admin, service } = await startBenchService(POOL_SIZE);
  try {
    const { coopId, treasurer, providerId, poolIds } = await seed(service.base, admin);
    const today = new Date().toISOString().slice(0, 10);
    const viaHttp = await runLoad(CLIENTS, SECONDS, 10, async (client, i) => {
      const res = await fetch(`${service.base}/v1/coops/${coopId}/purchases`, {
        method: 'POST',
        headers: { authorization: `Bearer ${treasurer}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          providerId,
          poolId: poolIds[(client + i) % POOLS],
          invoiceReference: `B-${client}-${i}-${randomUUID().slice(0, 8)}`,
          invoiceDate: today,
          serviceFrom: today,
          serviceTo: today,
          lines: ['Morning', 'Afternoon', 'Evening', 'Night'].map((part) => ({
            serviceType: 'personal_assistance',
            description: `${part} support`,
            units: '1.5',
            unitRate: '16.90',
          })),
          allocation: { method: 'equal' },
        }),
      });
      await res.arrayBuffer();
      return res.status === 201;
    });
    const ceiling = await directCeiling(databaseUrl, coopId, providerId, poolIds);
    const ratio = viaHttp.completed / ceiling.completed;
    console.log(describeLoad('purchases via HTTP (entries)', viaHttp));
    console.log(describeLoad('same transaction via postgres.js (ceiling)', ceiling));
    console.log(`ratio service/ceiling: ${(ratio * 100).toFixed(0)}% (target ≥ 50%)`);
    console.log(
      `BENCH purchases.entries_per_s=${(viaHttp.completed / SECONDS).toFixed(0)} ceiling=${(ceiling.completed / SECONDS).toFixed(0)} ratio=${ratio.toFixed(2)} p50_ms=${percentile(viaHttp.latenciesMs, 50).toFixed(1)} p99_ms=${percentile(viaHttp.latenciesMs, 99).toFixed(1)}`,
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
  ).token;
  const c = `/v1/coops/${coop.id}`;
  const provider = await api(base, treasurer, 'POST', `${c}/providers`, {
    name: 'Bench PA co-op',
    kind: 'cooperative',
    welshLanguageService: true,
    locality: 'Wrecsam',
  });
  await api(base, treasurer, 'PUT', `${c}/providers/${provider.id}/rates`, {
    services: [
      {
        serviceType: 'personal_assistance',
        unit: 'hour',
        individualRate: '18.40',
        tierPeriod: 'week',
        tiers: [{ minUnits: '40', rate: '16.90' }],
      },
    ],
  });
  const poolIds: string[] = [];
  for (let p = 0; p < POOLS; p += 1) {
    const pool = await api(base, treasurer, 'POST', `${c}/pools`, { name: `Bench pool ${p}`, purpose: 'benchmark' });
    poolIds.push(pool.id);
    for (let m = 0; m < MEMBERS_PER_POOL; m += 1) {
      const member = await api(base, treasurer, 'POST', `${c}/members`, {
        name: `Holder ${p}-${m}`,
        stakeholderClass: 'holder',
        localAuthorityId: la.id,
        laReference: `B-${p}-${m}`,
        preferredLanguage: 'en',
      });
      await api(base, treasurer, 'POST', `${c}/receipts`, {
        memberId: member.id,
        amount: '900000.00',
        receivedOn: '2026-01-01',
        reference: `R-${p}-${m}`,
      });
      await api(base, treasurer, 'POST', `${c}/pools/${pool.id}/members`, {
        memberId: member.id,
        joinedOn: '2026-01-01',
      });
      await api(base, treasurer, 'POST', `${c}/pools/${pool.id}/contributions`, {
        memberId: member.id,
        amount: '800000.00',
        date: '2026-01-02',
      });
    }
  }
  return { coopId: coop.id, treasurer, providerId: provider.id, poolIds };
}

/** Lock the pool's 8 shares and the payable in id order, insert entry, 9 postings, purchase, 4 lines, 8 shares. */
async function directCeiling(databaseUrl: string, coopId: string, providerId: string, poolIds: string[]) {
  const sql = postgres(databaseUrl, { max: POOL_SIZE, onnotice: () => {} });
  const shares = await sql<{ id: string; memberId: string; poolId: string }[]>`
    select id, member_id as "memberId", pool_id as "poolId" from accounts where kind = 'pool_share' and coop_id = ${coopId}`;
  const [payable] = await sql<
    { id: string }[]
  >`select id from accounts where kind = 'provider_payable' and provider_id = ${providerId}`;
  const [token] = await sql<{ id: string }[]>`select id from tokens limit 1`;
  const today = new Date().toISOString().slice(0, 10);
  const result = await runLoad(CLIENTS, SECONDS, 10, async (client, i) => {
    const poolId = poolIds[(client + i) % POOLS]!;
    const members = shares.filter((s) => s.poolId === poolId);
    const entryId = randomUUID();
    const purchaseId = randomUUID();
    const lockIds = [...members.map((m) => m.id), payable!.id].sort();
    await sql.begin(async (tx) => {
      await tx`select id, balance from accounts where id in ${tx(lockIds)} order by id for update`;
      await tx`insert into journal_entries (id, coop_id, kind, value_date, memo, reference, created_by_token_id)
               values (${entryId}, ${coopId}, 'purchase', ${today}, 'bench', ${purchaseId}, ${token!.id})`;
      const postingRows = [
        ...members.map((m) => ({
          entry_id: entryId,
          account_id: m.id,
          member_id: m.memberId,
          amount: '12.67',
          category: 'personal_assistance',
        })),
        { entry_id: entryId, account_id: payable!.id, member_id: null, amount: '-101.36', category: null },
      ];
      await tx`insert into postings ${tx(postingRows)}`;
      await tx`insert into purchases (id, coop_id, provider_id, pool_id, invoice_reference, invoice_date, service_from, service_to, total, individual_rate_total, entry_id)
               values (${purchaseId}, ${coopId}, ${providerId}, ${poolId}, ${purchaseId}, ${today}, ${today}, ${today}, '101.36', '110.40', ${entryId})`;
      await tx`insert into purchase_lines ${tx(
        [1, 2, 3, 4].map((n) => ({
          purchase_id: purchaseId,
          coop_id: coopId,
          line_number: n,
          service_type: 'personal_assistance',
          category: 'personal_assistance',
          description: 'bench',
          unit: 'hour',
          units: '1.50',
          unit_rate: '16.90',
          amount: '25.35',
          individual_rate: '18.40',
          individual_amount: '27.60',
        })),
      )}`;
      await tx`insert into purchase_shares ${tx(members.map((m) => ({ purchase_id: purchaseId, coop_id: coopId, member_id: m.memberId, amount: '12.67', individual_amount: '13.80' })))}`;
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
