/**
 * The "bank" workload (after Jepsen's bank test) against a running Cronfa service on PostgreSQL: concurrent clients
 * doing a random mix of money writes, every one with an Idempotency-Key, some retried, some given a client timeout
 * shorter than the request, with balance reads in between. Every write is recorded as ok, failed or unknown; the
 * checker then settles each unknown by replaying its key and compares the ledger with the record.
 */
import { randomInt } from 'node:crypto';
import postgres from 'postgres';

export interface WorkloadTarget {
  /** The service's base URL now (it may change if the service is restarted on another port). */
  base: () => string;
  adminToken: string;
}

export interface WorkloadOptions {
  clients: number;
  seconds: number;
  /** Share of writes sent with a client timeout of a few milliseconds (their outcome is unknown). */
  shortTimeoutShare?: number;
  /** Called once a second while the workload runs (fault injection: kill, restart, terminate connections). */
  onTick?: (second: number) => Promise<void>;
}

type Outcome = 'ok' | 'failed' | 'unknown';

export interface WriteRecord {
  key: string;
  op: string;
  method: string;
  path: string;
  body: unknown;
  outcome: Outcome;
  status: number | null;
  /** Sent more than once with the same key (a retry after an unknown outcome). */
  retried: boolean;
}

export interface WorkloadWorld {
  coopId: string;
  treasurer: string;
  memberIds: string[];
  poolIds: string[];
  providerId: string;
}

export interface WorkloadResult {
  world: WorkloadWorld;
  writes: WriteRecord[];
  reads: number;
  negativeReads: string[];
  /** Requests answered 5xx: allowed only while faults are injected, and only as problem+json. */
  serverErrors: { status: number; problemJson: boolean }[];
  /** The longest any answered request took, in milliseconds. */
  slowestMs: number;
}

const today = () => new Date().toISOString().slice(0, 10);
const pounds = (min: number, max: number) => `${randomInt(min, max)}.${String(randomInt(0, 100)).padStart(2, '0')}`;
const pick = <T>(items: readonly T[]): T => items[randomInt(0, items.length)]!;

async function call(
  target: WorkloadTarget,
  token: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
  timeoutMs?: number,
) {
  const res = await fetch(target.base() + path, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? null : JSON.stringify(body),
    ...(timeoutMs ? { signal: AbortSignal.timeout(timeoutMs) } : {}),
  });
  const text = await res.text();
  return {
    status: res.status,
    json: text ? (JSON.parse(text) as Record<string, unknown>) : null,
    problemJson: String(res.headers.get('content-type')).includes('problem+json'),
  };
}

async function must(target: WorkloadTarget, token: string, method: string, path: string, body?: unknown) {
  const res = await call(target, token, method, path, body);
  if (res.status >= 300)
    throw new Error(`workload setup: ${method} ${path} → ${res.status} ${JSON.stringify(res.json)}`);
  return res.json as Record<string, string>;
}

/** A co-op with eight holders in two pools, a provider with a rate card, and money to spend. */
export async function setUpWorld(target: WorkloadTarget): Promise<WorkloadWorld> {
  const a = target.adminToken;
  const code = `WL${randomInt(1e6, 1e7)}`;
  const la = await must(target, a, 'POST', '/v1/local-authorities', {
    name: `Workload council ${code}`,
    nameCy: `Cyngor ${code}`,
    code,
  });
  const coop = await must(target, a, 'POST', '/v1/coops', { name: `Workload co-op ${code}` });
  const treasurer = (
    await must(target, a, 'POST', '/v1/tokens', { role: 'treasurer', label: 'workload', coopId: coop.id })
  ).token!;
  const c = `/v1/coops/${coop.id}`;
  const pools = [
    await must(target, treasurer, 'POST', `${c}/pools`, { name: 'PA team', purpose: 'workload' }),
    await must(target, treasurer, 'POST', `${c}/pools`, { name: 'Activities', purpose: 'workload' }),
  ];
  const memberIds: string[] = [];
  for (let i = 0; i < 8; i += 1) {
    const member = await must(target, treasurer, 'POST', `${c}/members`, {
      name: `Holder ${i}`,
      stakeholderClass: 'holder',
      localAuthorityId: la.id,
      laReference: `${code}-${i}`,
      preferredLanguage: 'en',
    });
    memberIds.push(member.id!);
    await must(target, treasurer, 'POST', `${c}/receipts`, {
      memberId: member.id,
      amount: '500.00',
      receivedOn: today(),
      reference: `${code}-OPEN-${i}`,
    });
    for (const pool of pools) {
      await must(target, treasurer, 'POST', `${c}/pools/${pool.id}/members`, { memberId: member.id });
      await must(target, treasurer, 'POST', `${c}/pools/${pool.id}/contributions`, {
        memberId: member.id,
        amount: '100.00',
        date: today(),
      });
    }
  }
  const provider = await must(target, treasurer, 'POST', `${c}/providers`, {
    name: 'Workload care co-op',
    kind: 'cooperative',
    welshLanguageService: true,
    locality: 'Wrecsam',
  });
  await must(target, treasurer, 'PUT', `${c}/providers/${provider.id}/rates`, {
    services: [
      {
        serviceType: 'personal_assistance',
        unit: 'hour',
        individualRate: '18.00',
        tierPeriod: 'week',
        tiers: [{ minUnits: '40', rate: '17.00' }],
      },
    ],
  });
  return { coopId: coop.id!, treasurer, memberIds, poolIds: pools.map((p) => p.id!), providerId: provider.id! };
}

/** One random write: its route and body. Ids of earlier successful writes feed payments and reversals. */
function nextWrite(
  world: WorkloadWorld,
  done: { entryIds: string[]; purchaseIds: string[] },
  client: number,
  n: number,
) {
  const c = `/v1/coops/${world.coopId}`;
  const member = pick(world.memberIds);
  const pool = pick(world.poolIds);
  const roll = randomInt(0, 100);
  if (roll < 20)
    return {
      op: 'receipt',
      method: 'POST',
      path: `${c}/receipts`,
      body: { memberId: member, amount: pounds(5, 120), receivedOn: today(), reference: `WL-${client}-${n}` },
    };
  if (roll < 45)
    return {
      op: 'contribution',
      method: 'POST',
      path: `${c}/pools/${pool}/contributions`,
      body: { memberId: member, amount: pounds(1, 80), date: today() },
    };
  if (roll < 57)
    return {
      op: 'shared_cost',
      method: 'POST',
      path: `${c}/pools/${pool}/costs`,
      body: {
        category: 'admin',
        description: 'Workload cost',
        amount: pounds(1, 40),
        date: today(),
        allocation: { method: 'equal' },
      },
    };
  if (roll < 69) {
    return {
      op: 'purchase',
      method: 'POST',
      path: `${c}/purchases`,
      body: {
        providerId: world.providerId,
        poolId: pool,
        invoiceReference: `WL-INV-${client}-${n}`,
        invoiceDate: today(),
        serviceFrom: today(),
        serviceTo: today(),
        lines: [
          {
            serviceType: 'personal_assistance',
            description: 'Shared hours',
            units: String(randomInt(1, 4)),
            unitRate: '17.00',
          },
        ],
        allocation: { method: 'equal' },
      },
    };
  }
  if (roll < 79 && done.purchaseIds.length > 0) {
    return {
      op: 'payment',
      method: 'POST',
      path: `${c}/purchases/${pick(done.purchaseIds)}/payments`,
      body: { amount: pounds(1, 40), paidOn: today(), reference: `WL-PAY-${client}-${n}` },
    };
  }
  if (roll < 86)
    return { op: 'pool_leave', method: 'DELETE', path: `${c}/pools/${pool}/members/${member}`, body: undefined };
  if (roll < 91)
    return { op: 'pool_join', method: 'POST', path: `${c}/pools/${pool}/members`, body: { memberId: member } };
  if (done.entryIds.length > 0)
    return {
      op: 'reversal',
      method: 'POST',
      path: `${c}/entries/${pick(done.entryIds)}/reversal`,
      body: { reason: 'Workload correction' },
    };
  return {
    op: 'receipt',
    method: 'POST',
    path: `${c}/receipts`,
    body: { memberId: member, amount: pounds(5, 120), receivedOn: today(), reference: `WL-${client}-${n}` },
  };
}

/** Runs the clients for the given time; never throws for a failed request (that is data). */
export async function runWorkload(
  target: WorkloadTarget,
  world: WorkloadWorld,
  options: WorkloadOptions,
): Promise<WorkloadResult> {
  const writes: WriteRecord[] = [];
  const negativeReads: string[] = [];
  const serverErrors: WorkloadResult['serverErrors'] = [];
  const done = { entryIds: [] as string[], purchaseIds: [] as string[] };
  let reads = 0;
  const started = Date.now();
  const endAt = started + options.seconds * 1000;
  const shortShare = options.shortTimeoutShare ?? 0.05;
  let ticking = true;
  const ticker = (async () => {
    for (let second = 1; ticking && Date.now() < endAt; second += 1) {
      await new Promise((r) => setTimeout(r, 1000));
      if (ticking && options.onTick) await options.onTick(second).catch(() => {});
    }
  })();

  let slowestMs = 0;
  const send = async (request: ReturnType<typeof nextWrite>, key: string, timeoutMs?: number) => {
    try {
      const t0 = Date.now();
      const res = await call(
        target,
        world.treasurer,
        request.method,
        request.path,
        request.body,
        { 'idempotency-key': key },
        timeoutMs,
      );
      slowestMs = Math.max(slowestMs, Date.now() - t0);
      if (res.status >= 500) serverErrors.push({ status: res.status, problemJson: res.problemJson });
      return res;
    } catch {
      return null; // timed out, connection refused or reset: the outcome is unknown
    }
  };

  await Promise.all(
    Array.from({ length: options.clients }, async (_, client) => {
      for (let n = 0; Date.now() < endAt; n += 1) {
        if (randomInt(0, 4) === 0) {
          const member = pick(world.memberIds);
          const res = await call(
            target,
            world.treasurer,
            'GET',
            `/v1/coops/${world.coopId}/members/${member}/balance`,
          ).catch(() => null);
          if (res?.status === 200) {
            reads += 1;
            const balance = res.json as { funds: string; pools: { share: string }[] };
            for (const figure of [balance.funds, ...balance.pools.map((p) => p.share)])
              if (figure.startsWith('-')) negativeReads.push(`${member}: ${figure}`);
          }
          continue;
        }
        const request = nextWrite(world, done, client, n);
        const key = `wl-${started}-${client}-${n}`;
        const short = Math.random() < shortShare;
        let res = await send(request, key, short ? randomInt(1, 30) : 20_000);
        let retried = false;
        // Half the unknowns are retried at once with the same key, as a careful client would.
        if ((res === null || res.status >= 500) && Math.random() < 0.5) {
          retried = true;
          res = await send(request, key, 20_000);
        }
        const inFlightElsewhere =
          res?.status === 409 && res.json?.type === 'https://cronfa.dev/problems/concurrent-update';
        const outcome: Outcome =
          res === null || res.status >= 500 || inFlightElsewhere ? 'unknown' : res.status < 300 ? 'ok' : 'failed';
        writes.push({
          key,
          op: request.op,
          method: request.method,
          path: request.path,
          body: request.body,
          outcome,
          status: res?.status ?? null,
          retried,
        });
        // A client that cannot reach the service waits a moment before its next request, as real ones do.
        if (res === null || res.status === 503) await new Promise((r) => setTimeout(r, 100));
        if (outcome === 'ok' && res?.json) {
          if (typeof res.json.entryId === 'string') done.entryIds.push(res.json.entryId);
          if (request.op === 'purchase' && typeof res.json.id === 'string') done.purchaseIds.push(res.json.id);
        }
      }
    }),
  );
  ticking = false;
  await ticker;
  return { world, writes, reads, negativeReads, serverErrors, slowestMs };
}

export interface CheckReport {
  violations: string[];
  counts: Record<Outcome, number> & { settledOk: number; settledFailed: number; operations: number };
}

/**
 * The invariants, checked against the database directly: every ok write posted exactly once, every failed one
 * never, every unknown at most once and settled by replaying its key; cached balances equal their postings; the
 * co-op's accounts sum to zero (the bank equals everything it owes); no member's money below zero.
 */
export async function checkWorkload(
  target: WorkloadTarget,
  databaseUrl: string,
  result: WorkloadResult,
): Promise<CheckReport> {
  const sql = postgres(databaseUrl, { max: 2, onnotice: () => {} });
  const violations: string[] = [...result.negativeReads.map((r) => `negative balance read: ${r}`)];
  try {
    const postedBy = async () => {
      const rows = await sql<{ key: string; n: number }[]>`
        select idempotency_key as key, count(*)::int as n from journal_entries
         where coop_id = ${result.world.coopId} and idempotency_key is not null group by idempotency_key`;
      return new Map(rows.map((r) => [r.key, r.n]));
    };
    const before = await postedBy();
    // Writes that post no entry when they succeed (joining a pool; leaving with an empty share).
    const postsNothing = (w: WriteRecord) => w.op === 'pool_join' || w.op === 'pool_leave';
    let settledOk = 0;
    let settledFailed = 0;
    for (const write of result.writes) {
      const n = before.get(write.key) ?? 0;
      if (n > 1) violations.push(`${write.key} (${write.op}) posted ${n} times`);
      if (write.outcome === 'ok' && n !== 1 && !postsNothing(write))
        violations.push(`${write.key} (${write.op}) acknowledged but posted ${n} times`);
      if (write.outcome === 'failed' && n !== 0)
        violations.push(`${write.key} (${write.op}) refused with ${write.status} but posted`);
    }
    // Each unknown is settled by replaying it with its key, eight at a time.
    const unknowns = result.writes.filter((w) => w.outcome === 'unknown');
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let write = unknowns.shift(); write; write = unknowns.shift()) {
          const replay = await call(target, result.world.treasurer, write.method, write.path, write.body, {
            'idempotency-key': write.key,
          });
          if (replay.status >= 500) violations.push(`${write.key}: replay answered ${replay.status}`);
          else if (replay.status < 300) settledOk += 1;
          else settledFailed += 1;
        }
      }),
    );
    const after = await postedBy();
    for (const write of result.writes.filter((w) => w.outcome === 'unknown')) {
      const n = after.get(write.key) ?? 0;
      if (n > 1) violations.push(`${write.key} (${write.op}) posted ${n} times after its replay`);
    }
    const [books] = await sql<{ total: string; bank: string; owed: string; wrong_cache: number; overdrawn: number }[]>`
      with recomputed as (
        select a.id, a.kind, a.balance, coalesce(sum(p.amount), 0) as summed
          from accounts a left join postings p on p.account_id = a.id
         where a.coop_id = ${result.world.coopId} group by a.id)
      select sum(summed)::text as total,
             sum(summed) filter (where kind = 'bank')::text as bank,
             (-sum(summed) filter (where kind <> 'bank'))::text as owed,
             count(*) filter (where balance <> summed)::int as wrong_cache,
             count(*) filter (where kind in ('holder_funds', 'pool_share') and summed > 0)::int as overdrawn
        from recomputed`;
    if (books!.total !== '0.00') violations.push(`accounts sum to ${books!.total}, not 0.00`);
    if (books!.bank !== books!.owed) violations.push(`bank ${books!.bank} but liabilities ${books!.owed}`);
    if (books!.wrong_cache > 0) violations.push(`${books!.wrong_cache} cached balances differ from their postings`);
    if (books!.overdrawn > 0) violations.push(`${books!.overdrawn} member accounts below zero`);
    const count = (o: Outcome) => result.writes.filter((w) => w.outcome === o).length;
    return {
      violations,
      counts: {
        ok: count('ok'),
        failed: count('failed'),
        unknown: count('unknown'),
        settledOk,
        settledFailed,
        operations: result.writes.length + result.reads,
      },
    };
  } finally {
    await sql.end();
  }
}
