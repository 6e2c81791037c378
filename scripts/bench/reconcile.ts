/**
 * Reconciliation at scale on a real PostgreSQL server (run via `npm run bench`): for 10,000 and then 100,000 bank
 * movements in the ledger (a year of DP receipts and provider payments), a bank export with one line per movement
 * (dates a day or two later, most quoting the reference, a few duplicated amounts on the same day) is
 *  - imported through the service as a Lloyds-layout CSV, and
 *  - auto-matched through the service,
 * each step timed. Target: under 10 s in all at 100,000, and time growing no faster than n log n from 10,000.
 */
import { pathToFileURL } from 'node:url';
import postgres from 'postgres';
import { api, startBenchService } from './harness';

const SIZES = (process.env.BENCH_RECONCILE_SIZES ?? '10000,100000').split(',').map(Number);
const HOLDERS = 1000;

async function main(): Promise<void> {
  const { databaseUrl, adminToken, service } = await startBenchService(10);
  const sql = postgres(databaseUrl, { max: 4, onnotice: () => {} });
  const results: { n: number; importSeconds: number; matchSeconds: number; matched: number }[] = [];
  try {
    const la = await api(service.base, adminToken, 'POST', '/v1/local-authorities', {
      name: 'Bench Council',
      nameCy: 'Cyngor Mainc',
      code: 'BNCH',
    });
    for (const n of SIZES) {
      const coop = await api(service.base, adminToken, 'POST', '/v1/coops', { name: `Reconcile bench ${n}` });
      const treasurer = (
        await api(service.base, adminToken, 'POST', '/v1/tokens', {
          role: 'treasurer',
          label: 'bench',
          coopId: coop.id,
        })
      ).token;
      await seed(sql, coop.id, la.id, n);
      const csv = await bankExport(sql, coop.id);
      const t0 = performance.now();
      const imported = await post(
        `${service.base}/v1/coops/${coop.id}/bank-statements?format=csv&preset=lloyds`,
        treasurer,
        csv,
        'text/csv',
      );
      const t1 = performance.now();
      const matched = await post(`${service.base}/v1/coops/${coop.id}/reconciliation/auto`, treasurer);
      const t2 = performance.now();
      const total = matched.matched.byReference + matched.matched.byAmountAndDate;
      console.log(
        `${n} lines (${(csv.length / 1e6).toFixed(1)} MB): import ${((t1 - t0) / 1000).toFixed(2)} s (${imported.importedCount} lines), ` +
          `auto-match ${((t2 - t1) / 1000).toFixed(2)} s (${matched.matched.byReference} by reference, ${matched.matched.byAmountAndDate} by amount and date, ` +
          `${matched.suggestionCount} left as suggestions, ${matched.unmatchedBankLines} lines unmatched)`,
      );
      results.push({ n, importSeconds: (t1 - t0) / 1000, matchSeconds: (t2 - t1) / 1000, matched: total });
    }
    const [small, large] = results;
    if (small && large) {
      const growth = (large.importSeconds + large.matchSeconds) / (small.importSeconds + small.matchSeconds);
      const nLogN = (large.n * Math.log(large.n)) / (small.n * Math.log(small.n));
      console.log(
        `growth from ${small.n} to ${large.n}: ${growth.toFixed(1)}× (n log n would be ${nLogN.toFixed(1)}×; linear ${(large.n / small.n).toFixed(0)}×)`,
      );
      console.log(
        `BENCH reconcile.total_s=${(large.importSeconds + large.matchSeconds).toFixed(2)} import_s=${large.importSeconds.toFixed(2)} match_s=${large.matchSeconds.toFixed(2)} growth=${growth.toFixed(1)} nlogn=${nLogN.toFixed(1)}`,
      );
    }
  } finally {
    await sql.end();
    await service.stop();
  }
}

export async function post(url: string, token: string, body?: string, contentType?: string) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, ...(contentType ? { 'content-type': contentType } : {}) },
    body: body ?? null,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`POST ${url} → ${res.status} ${text.slice(0, 500)}`);
  return JSON.parse(text);
}

/**
 * `n` bank movements for the co-op: DP receipts of holders (fortnightly-ish amounts, so many share an amount) and
 * provider payments, over a year, written in bulk with the ledger's per-row triggers off (balanced by construction;
 * cached balances summed once after).
 */
export async function seed(sql: postgres.Sql, coopId: string, laId: string, n: number) {
  const [token] = await sql<{ id: string }[]>`select id from tokens limit 1`;
  const [bank] = await sql<{ id: string }[]>`select id from accounts where coop_id = ${coopId} and kind = 'bank'`;
  await sql`
    insert into members (id, coop_id, name, stakeholder_class, local_authority_id, la_reference, preferred_language)
    select gen_random_uuid(), ${coopId}, 'Holder ' || k, 'holder', ${laId}, 'RB' || ${n} || '-' || k, 'en' from generate_series(1, ${HOLDERS}) k`;
  await sql`
    insert into accounts (id, coop_id, code, name, kind, member_id, local_authority_id)
    select gen_random_uuid(), ${coopId}, 'liabilities:holders:' || la_reference || ':funds', 'Funds', 'holder_funds', id, ${laId} from members where coop_id = ${coopId}`;
  await sql.begin(async (tx) => {
    await tx`set local session_replication_role = replica`;
    await tx`
      create temporary table plan on commit drop as
      select gen_random_uuid() as entry_id, k, f.id as funds_id, f.member_id,
             date '2025-11-01' + (k * 365 / ${n})::int as value_date,
             -- receipts of a few hundred pounds; one in ten lands on a round amount shared with many others
             case when k % 10 = 0 then 200.00 else 100 + (k::bigint * 7919 % 50000) / 100.0 end as amount
        from generate_series(0, ${n - 1}) k
        join (select id, member_id, row_number() over (order by id) - 1 as i from accounts where coop_id = ${coopId} and kind = 'holder_funds') f
          on f.i = k % ${HOLDERS}`;
    await tx`
      insert into journal_entries (id, coop_id, kind, value_date, memo, reference, created_by_token_id)
      select entry_id, ${coopId}, 'dp_receipt', value_date, 'bench', 'REF-' || ${n} || '-' || k, ${token!.id} from plan`;
    await tx`
      insert into postings (entry_id, account_id, member_id, amount)
      select entry_id, ${bank!.id}::uuid, null::uuid, amount from plan
      union all select entry_id, funds_id, member_id, -amount from plan`;
    await tx`
      update accounts a set balance = t.total
        from (select p.account_id, sum(p.amount) as total from postings p join accounts x on x.id = p.account_id where x.coop_id = ${coopId} group by p.account_id) t
       where t.account_id = a.id`;
  });
  await sql`analyze`;
}

/** The bank's view: each receipt a day or two later, four in five quoting the reference, as a Lloyds export. */
export async function bankExport(sql: postgres.Sql, coopId: string): Promise<string> {
  const rows = await sql<{ posted: string; description: string; amount: string }[]>`
    select to_char(e.value_date + (hashtext(e.id::text) & 1), 'DD/MM/YYYY') as posted,
           case when hashtext(e.reference) % 5 = 0 then 'BANK GIRO CREDIT' else 'COUNCIL DP ' || e.reference end as description,
           p.amount::text as amount
      from journal_entries e join postings p on p.entry_id = e.id join accounts a on a.id = p.account_id and a.kind = 'bank'
     where e.coop_id = ${coopId}
     order by e.value_date + (hashtext(e.id::text) & 1), e.id`;
  let balancePence = 0n;
  const lines = rows.map((row) => {
    const pence = BigInt(row.amount.replace('.', ''));
    balancePence += pence;
    const balance = `${balancePence / 100n}.${String(balancePence % 100n).padStart(2, '0')}`;
    return `${row.posted},BGC,'30-94-57,00123456,${row.description},,${row.amount},${balance}`;
  });
  return [
    'Transaction Date,Transaction Type,Sort Code,Account Number,Transaction Description,Debit Amount,Credit Amount,Balance',
    ...lines,
  ].join('\n');
}

// Run as a script (not when scripts/bench/isolation.ts imports its seed and export).
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
