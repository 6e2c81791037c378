/**
 * The pages for people on a real PostgreSQL server (run via `npm run bench`): an LA with 5,000 holders across 10
 * co-ops, each with six months of Direct Payments, then
 *  - a signed-in holder's *Your money* page, 32 clients each signed in as their own holder, pages/s and p50/p99,
 *    beside the REST balance read by the same 32 holders' tokens in the same run (target: at least half its rate);
 *  - the LA officer's *Your holders* list of all 5,000: time to first byte (target: under 300 ms).
 */
import postgres from 'postgres';
import { api, describeLoad, percentile, runLoad, startBenchService } from './harness';

const COOPS = 10;
const HOLDERS_PER_COOP = Number(process.env.BENCH_PAGE_HOLDERS_PER_COOP ?? 500);
const CLIENTS = 32;
const SECONDS = Number(process.env.BENCH_PAGE_SECONDS ?? 15);
const PASSWORD = 'bench password for pages';

/** A browser's worth of state for fetch: cookies kept, the CSRF token of the last page read. */
class Browser {
  private cookies = new Map<string, string>();
  private csrf = '';
  constructor(private readonly base: string) {}
  async get(path: string): Promise<Response> {
    const res = await fetch(this.base + path, { headers: { cookie: this.cookieHeader() }, redirect: 'manual' });
    this.keep(res);
    return res;
  }
  async read(path: string): Promise<string> {
    const text = await (await this.get(path)).text();
    this.csrf = /name="_csrf" value="([^"]+)"/.exec(text)?.[1] ?? this.csrf;
    return text;
  }
  async post(path: string, fields: Record<string, string>): Promise<Response> {
    const res = await fetch(this.base + path, {
      method: 'POST',
      headers: { cookie: this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: this.csrf, ...fields }).toString(),
      redirect: 'manual',
    });
    this.keep(res);
    return res;
  }
  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  private keep(res: Response) {
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      this.cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
  }
}

async function main(): Promise<void> {
  const { databaseUrl, adminToken, service } = await startBenchService(10);
  const sql = postgres(databaseUrl, { max: 4, onnotice: () => {} });
  try {
    const la = await api(service.base, adminToken, 'POST', '/v1/local-authorities', {
      name: 'Bench Council',
      nameCy: 'Cyngor Mainc',
      code: 'BNCP',
    });
    const coops: { id: string; treasurer: string }[] = [];
    for (let i = 0; i < COOPS; i += 1) {
      const coop = await api(service.base, adminToken, 'POST', '/v1/coops', { name: `Bench co-op ${i + 1}` });
      const treasurer = await api(service.base, adminToken, 'POST', '/v1/tokens', {
        role: 'treasurer',
        label: 'bench',
        coopId: coop.id,
      });
      coops.push({ id: coop.id, treasurer: treasurer.token });
    }
    const started = performance.now();
    for (const coop of coops) await seedCoop(sql, coop.id, la.id);
    await sql`analyze`;
    console.log(
      `seeded ${COOPS * HOLDERS_PER_COOP} holders of one LA across ${COOPS} co-ops in ${((performance.now() - started) / 1000).toFixed(0)} s`,
    );

    // 32 holders of the first co-op, each signed in to the pages and holding an API token.
    const coop = coops[0]!;
    const members = await sql<{ id: string }[]>`
      select id from members where coop_id = ${coop.id} order by la_reference limit ${CLIENTS}`;
    const holders: { memberId: string; browser: Browser; token: string }[] = [];
    for (const member of members) {
      const invitation = await api(service.base, coop.treasurer, 'POST', '/v1/invitations', {
        role: 'holder',
        name: 'Bench holder',
        email: `holder-${member.id}@bench.invalid`,
        memberId: member.id,
      });
      const browser = new Browser(service.base);
      const path = new URL((invitation as unknown as { url: string }).url).pathname;
      await browser.read(path);
      const accepted = await browser.post(path, { password: PASSWORD, confirmation: PASSWORD });
      if (accepted.status !== 303) throw new Error(`accepting an invitation: ${accepted.status}`);
      const token = await api(service.base, coop.treasurer, 'POST', '/v1/tokens', {
        role: 'holder',
        label: 'bench',
        coopId: coop.id,
        memberId: member.id,
      });
      holders.push({ memberId: member.id, browser, token: token.token });
    }

    const page = async (client: number) => {
      const holder = holders[client]!;
      const res = await fetch(`${service.base}/accounts/${holder.memberId}`, {
        headers: { cookie: holder.browser.cookieHeader() },
        redirect: 'manual',
      });
      const text = await res.text();
      return res.status === 200 && text.includes('id="money-total"');
    };
    const rest = async (client: number) => {
      const holder = holders[client]!;
      const res = await fetch(`${service.base}/v1/coops/${coop.id}/members/${holder.memberId}/balance`, {
        headers: { authorization: `Bearer ${holder.token}` },
      });
      await res.arrayBuffer();
      return res.status === 200;
    };
    await runLoad(CLIENTS, 3, 1, page); // warm up
    const pages = await runLoad(CLIENTS, SECONDS, 5, page);
    console.log(describeLoad(`"Your money" pages, ${CLIENTS} signed-in holders`, pages));
    await runLoad(CLIENTS, 3, 1, rest);
    const reads = await runLoad(CLIENTS, SECONDS, 5, rest);
    console.log(describeLoad(`REST balance reads, ${CLIENTS} holder tokens`, reads));

    // The officer's list of every holder.
    const officerInvitation = await api(service.base, adminToken, 'POST', '/v1/invitations', {
      role: 'la_officer',
      name: 'Bench officer',
      email: 'officer@bench.invalid',
      localAuthorityId: la.id,
    });
    const officer = new Browser(service.base);
    const officerPath = new URL((officerInvitation as unknown as { url: string }).url).pathname;
    await officer.read(officerPath);
    await officer.post(officerPath, { password: PASSWORD, confirmation: PASSWORD });
    const ttfb: number[] = [];
    for (let i = 0; i < 11; i += 1) {
      const t0 = performance.now();
      const res = await officer.get('/holders');
      ttfb.push(performance.now() - t0); // fetch resolves when the status line and headers arrive
      const body = await res.text();
      if (res.status !== 200 || !body.includes(`${COOPS * HOLDERS_PER_COOP} holders`)) {
        throw new Error(`the holder list: ${res.status}`);
      }
    }
    const listed = ttfb.slice(1);
    console.log(
      `"Your holders", ${COOPS * HOLDERS_PER_COOP} holders in ${COOPS} co-ops: time to first byte median ${percentile(listed, 50).toFixed(0)} ms, worst ${Math.max(...listed).toFixed(0)} ms (target < 300 ms)`,
    );
    const rate = (r: { completed: number; seconds: number }) => (r.completed / r.seconds).toFixed(0);
    console.log(
      `BENCH page_rps=${rate(pages)} page_p50_ms=${percentile(pages.latenciesMs, 50).toFixed(1)} page_p99_ms=${percentile(pages.latenciesMs, 99).toFixed(1)} rest_rps=${rate(reads)} rest_p50_ms=${percentile(reads.latenciesMs, 50).toFixed(1)} rest_p99_ms=${percentile(reads.latenciesMs, 99).toFixed(1)} holders_ttfb_ms=${percentile(listed, 50).toFixed(0)} holders_ttfb_worst_ms=${Math.max(...listed).toFixed(0)}`,
    );
  } finally {
    await sql.end();
    await service.stop();
  }
}

/** One co-op's holders of the LA with a weekly award and six monthly Direct Payments (triggers off, balanced). */
async function seedCoop(sql: postgres.Sql, coopId: string, laId: string): Promise<void> {
  const [token] = await sql<{ id: string }[]>`select id from tokens limit 1`;
  const [bank] = await sql<{ id: string }[]>`select id from accounts where coop_id = ${coopId} and kind = 'bank'`;
  await sql`
    insert into members (id, coop_id, name, stakeholder_class, local_authority_id, la_reference, preferred_language)
    select gen_random_uuid(), ${coopId}, 'Holder ' || n, 'holder', ${laId}, 'BP-' || ${coopId.slice(0, 8)} || '-' || lpad(n::text, 5, '0'),
           case when n % 3 = 0 then 'cy' else 'en' end
      from generate_series(1, ${HOLDERS_PER_COOP}) n`;
  await sql`
    insert into awards (id, coop_id, member_id, amount, frequency, starts_on)
    select gen_random_uuid(), coop_id, id, 150.00 + (random() * 100)::int, 'weekly', '2025-01-01' from members where coop_id = ${coopId}`;
  await sql`
    insert into accounts (id, coop_id, code, name, kind, member_id, local_authority_id)
    select gen_random_uuid(), ${coopId}, 'liabilities:holders:' || la_reference || ':funds', 'Funds of ' || la_reference, 'holder_funds', id, ${laId}
      from members where coop_id = ${coopId}`;
  await sql.begin(async (tx) => {
    await tx`set local session_replication_role = replica`;
    await tx`
      create temporary table plan on commit drop as
      select gen_random_uuid() as entry_id, m.id as member_id, f.id as funds_id, k, (500 + (random() * 600)::int)::numeric(14,2) as amount
        from members m
        join accounts f on f.member_id = m.id and f.kind = 'holder_funds'
        cross join generate_series(0, 5) k
       where m.coop_id = ${coopId}`;
    await tx`
      insert into journal_entries (id, coop_id, kind, value_date, memo, reference, created_by_token_id)
      select entry_id, ${coopId}, 'dp_receipt', (date_trunc('month', now()) - (k || ' months')::interval)::date + 4, 'bench', 'DP-' || k, ${token!.id} from plan`;
    await tx`
      insert into postings (entry_id, account_id, member_id, amount)
      select entry_id, ${bank!.id}::uuid, null::uuid, amount from plan
      union all select entry_id, funds_id, member_id, -amount from plan`;
    await tx`
      update accounts a set balance = t.total
        from (select p.account_id, sum(p.amount) as total from postings p join accounts x on x.id = p.account_id
               where x.coop_id = ${coopId} group by p.account_id) t
       where a.id = t.account_id`;
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
