import { randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { type SQL, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Tx, rowShape, rowsOf } from '../../src/db/database';
import { type PgErrorInfo, pgErrorOf } from '../../src/db/errors';
import {
  type CoopFixture,
  type HolderFixture,
  contribute,
  createCoop,
  createHolder,
  createPool,
  createToken,
  expectLedgerConsistent,
  joinPool,
  receive,
} from '../support/fixtures';
import type { AwardChange, Member, Provider, PurchaseCreated, SharedCost } from '../support/api';
import { type Response, type TypedHarness, createHarness } from '../support/harness';

/**
 * History and tenancy rules held by the database itself (migrations 0010 and 0011): links never cross co-ops, a
 * posting names its account's owner, the audit log, tokens, awards, pool memberships and the statement register are
 * history that only moves forward, and every fixed vocabulary is a CHECK. The world is built through the API (co-ops
 * A and B, each with holders, a pool, a provider with a rate card, a purchase, a shared cost and DP awards); each test
 * then goes around the application with raw SQL, expects the database to refuse by the specific constraint or
 * trigger, and checks that nothing changed (every table's rows, digested, and the ledger still consistent). Each group
 * also shows the same statement accepted when it respects the rule, so a refusal is the rule and not bad SQL; those
 * acceptances run in a transaction that is rolled back after its deferred checks have run (SET CONSTRAINTS ALL
 * IMMEDIATE), unless the test says it commits.
 */

let h: TypedHarness;
let coopA: CoopFixture;
let coopB: CoopFixture;
/** a1, a2: in pool A with money and awards; a3: money, no award, in no pool; a4: in pool A, nothing else. */
let a1: HolderFixture;
let a2: HolderFixture;
let a3: HolderFixture;
let a4: HolderFixture;
/** a5, a6: holders with no award, each for one awards test. */
let a5: HolderFixture;
let a6: HolderFixture;
/** b1: in pool B with money and an award from 2025-10-01; b2: no award, in no pool. */
let b1: HolderFixture;
let b2: HolderFixture;
/** The raw-SQL "actor": a real token, as journal_entries.created_by_token_id must name one. */
let ACTOR: string;

const world = {} as {
  poolA: string;
  poolB: string;
  providerA: string;
  providerB: string;
  rateCardA: string;
  /** Receipts: a3's is linked to no purchase, shared cost or allocation. */
  receiptA3: string;
  receiptB1: string;
  purchaseA: { id: string; entryId: string };
  purchaseB: { id: string; entryId: string };
  sharedCostA: { id: string; entryId: string };
  sharedCostB: { id: string; entryId: string };
  awardA1: string;
  awardA2: string;
  awardB1: string;
  membershipA1: string;
  membershipA4: string;
};
const acct = {} as { bankA: string; fundsA1: string; fundsA2: string; shareA1: string };

const RATES = {
  services: [
    {
      serviceType: 'personal_assistance',
      unit: 'hour',
      individualRate: '18.40',
      tierPeriod: 'week',
      tiers: [{ minUnits: '40', rate: '16.90' }],
    },
  ],
};

async function expectStatus<T>(promise: Promise<Response<T>>, status: number): Promise<T> {
  const res = await promise;
  expect(res.status, res.text).toBe(status);
  return res.body;
}

async function provider(coop: CoopFixture, name: string): Promise<string> {
  const created = await expectStatus(
    h.call<Provider>('POST', `/v1/coops/${coop.coopId}/providers`, {
      token: coop.treasurerToken,
      body: { name, kind: 'cooperative', welshLanguageService: true, locality: 'Wrecsam' },
    }),
    201,
  );
  await expectStatus(
    h.call('PUT', `/v1/coops/${coop.coopId}/providers/${created.id}/rates`, {
      token: coop.treasurerToken,
      body: RATES,
    }),
    200,
  );
  return created.id;
}

async function purchase(
  coop: CoopFixture,
  providerId: string,
  poolId: string,
  invoiceReference: string,
  usage: Record<string, string>,
): Promise<{ id: string; entryId: string }> {
  const units = Object.values(usage).reduce((total, u) => total + Number(u), 0);
  return expectStatus(
    h.call<PurchaseCreated>('POST', `/v1/coops/${coop.coopId}/purchases`, {
      token: coop.treasurerToken,
      body: {
        providerId,
        poolId,
        invoiceReference,
        invoiceDate: '2026-01-20',
        serviceFrom: '2026-01-12',
        serviceTo: '2026-01-18',
        lines: [
          {
            serviceType: 'personal_assistance',
            description: 'Shared PA hours',
            units: String(units),
            unitRate: '16.90',
          },
        ],
        allocation: { method: 'usage', units: usage },
      },
    }),
    201,
  );
}

async function sharedCost(coop: CoopFixture, poolId: string, providerId: string) {
  return expectStatus(
    h.call<SharedCost>('POST', `/v1/coops/${coop.coopId}/pools/${poolId}/costs`, {
      token: coop.treasurerToken,
      body: {
        category: 'admin',
        description: 'Bookkeeper, January',
        amount: '12.00',
        date: '2026-01-15',
        providerId,
        allocation: { method: 'equal' },
      },
    }),
    201,
  );
}

async function putAward(coop: CoopFixture, memberId: string, award: Record<string, string>): Promise<string> {
  const body = await expectStatus(
    h.call<AwardChange>('PUT', `/v1/coops/${coop.coopId}/members/${memberId}/award`, {
      token: coop.treasurerToken,
      body: award,
    }),
    200,
  );
  return body.id;
}

const one = <Row>(query: SQL): Promise<Row> => h.db.one<Row>(query);

beforeAll(async () => {
  h = await createHarness();
  ACTOR = (await one<{ id: string }>(sql`select id from tokens order by created_at limit 1`)).id;
  coopA = await createCoop(h);
  coopB = await createCoop(h);
  a1 = await createHolder(h, coopA);
  a2 = await createHolder(h, coopA, { name: 'Gwenllian Ŵyn' });
  a3 = await createHolder(h, coopA);
  a4 = await createHolder(h, coopA);
  a5 = await createHolder(h, coopA);
  a6 = await createHolder(h, coopA);
  b1 = await createHolder(h, coopB);
  b2 = await createHolder(h, coopB);

  await receive(h, coopA, a1.memberId, '500.00');
  await receive(h, coopA, a2.memberId, '300.00');
  world.receiptA3 = (await receive(h, coopA, a3.memberId, '100.00')).entryId;
  world.receiptB1 = (await receive(h, coopB, b1.memberId, '400.00')).entryId;

  world.poolA = (await createPool(h, coopA)).id;
  world.poolB = (await createPool(h, coopB)).id;
  await joinPool(h, coopA, world.poolA, a1.memberId);
  await joinPool(h, coopA, world.poolA, a2.memberId);
  await joinPool(h, coopB, world.poolB, b1.memberId);
  expect((await contribute(h, coopA, world.poolA, a1.memberId, '200.00')).status).toBe(201);
  expect((await contribute(h, coopA, world.poolA, a2.memberId, '100.00')).status).toBe(201);
  expect((await contribute(h, coopB, world.poolB, b1.memberId, '150.00')).status).toBe(201);

  world.providerA = await provider(coopA, 'Cydweithfa Cymorth Wrecsam');
  world.providerB = await provider(coopB, 'Gofal Cymunedol Fflint');
  world.purchaseA = await purchase(coopA, world.providerA, world.poolA, 'A-INV-1', {
    [a1.memberId]: '3',
    [a2.memberId]: '2',
  });
  world.purchaseB = await purchase(coopB, world.providerB, world.poolB, 'B-INV-1', { [b1.memberId]: '4' });
  world.sharedCostA = await sharedCost(coopA, world.poolA, world.providerA);
  world.sharedCostB = await sharedCost(coopB, world.poolB, world.providerB);
  // a4 joins after the splits, so it holds nothing and can leave freely.
  await joinPool(h, coopA, world.poolA, a4.memberId);

  world.awardA1 = await putAward(coopA, a1.memberId, { amount: '300.00', frequency: 'weekly', startsOn: '2026-01-01' });
  world.awardA2 = await putAward(coopA, a2.memberId, {
    amount: '1200.00',
    frequency: 'monthly',
    startsOn: '2026-01-01',
    endsOn: '2026-06-30',
  });
  world.awardB1 = await putAward(coopB, b1.memberId, { amount: '250.00', frequency: 'weekly', startsOn: '2025-10-01' });

  world.rateCardA = (
    await one<{ id: string }>(sql`select id from rate_cards where provider_id = ${world.providerA}::uuid`)
  ).id;
  const membership = async (memberId: string) =>
    (
      await one<{ id: string }>(
        sql`select id from pool_memberships where pool_id = ${world.poolA}::uuid and member_id = ${memberId}::uuid`,
      )
    ).id;
  world.membershipA1 = await membership(a1.memberId);
  world.membershipA4 = await membership(a4.memberId);

  const accountOf = async (where: SQL) => (await one<{ id: string }>(sql`select id from accounts where ${where}`)).id;
  acct.bankA = await accountOf(sql`coop_id = ${coopA.coopId}::uuid and kind = 'bank'`);
  acct.fundsA1 = await accountOf(sql`kind = 'holder_funds' and member_id = ${a1.memberId}::uuid`);
  acct.fundsA2 = await accountOf(sql`kind = 'holder_funds' and member_id = ${a2.memberId}::uuid`);
  acct.shareA1 = await accountOf(
    sql`kind = 'pool_share' and member_id = ${a1.memberId}::uuid and pool_id = ${world.poolA}::uuid`,
  );
});
afterAll(async () => h?.close());

// ---------------------------------------------------------------------------------------------------------------
// what "nothing changed" means: every table's rows, digested, and the ledger still consistent

type Digest = Record<string, { rows: number; md5: string }>;

async function digest(): Promise<Digest> {
  const tables = await h.db.rows<{ name: string }>(
    sql`select table_name as name from information_schema.tables
         where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`,
  );
  expect(tables.length).toBeGreaterThan(10);
  const parts = tables.map(
    ({ name }) =>
      `select '${name}' as name, count(*)::int as rows, coalesce(md5(string_agg(t::text, '|' order by t::text)), '') as md5 from "${name}" t`,
  );
  const rows = await h.db.rows<{ name: string; rows: number; md5: string }>(sql.raw(parts.join(' union all ')));
  return Object.fromEntries(rows.map((r) => [r.name, { rows: Number(r.rows), md5: r.md5 }]));
}

async function expectUnchanged(before: Digest): Promise<void> {
  expect(await digest()).toEqual(before);
  await expectLedgerConsistent(h);
}

// ---------------------------------------------------------------------------------------------------------------
// running attempts

type Attempt = PgErrorInfo & { message: string; workFinished: boolean };

function messageOf(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth += 1) {
    parts.push(String((current as { message?: unknown }).message ?? ''));
    current = (current as { cause?: unknown }).cause;
  }
  return parts.join(' | ');
}

/** Runs `work` in a transaction that must be refused (committing it if every statement runs). */
async function refused(work: (tx: Tx) => Promise<unknown>): Promise<Attempt> {
  let workFinished = false;
  const error = await h.db.database
    .transaction(async (tx) => {
      await work(tx);
      workFinished = true;
    })
    .then(
      () => null,
      (e: unknown) => e,
    );
  expect(error, 'the database accepted what it must refuse').not.toBeNull();
  const info = pgErrorOf(error);
  expect(info, `not a PostgreSQL error: ${messageOf(error)}`).not.toBeNull();
  return { ...info!, message: messageOf(error), workFinished };
}

interface Expected {
  code: string;
  constraint?: string;
  message?: string;
  /** The refusal came at commit, after every statement ran (a deferred check). */
  atCommit?: boolean;
}

/** The attempt is refused with exactly this SQLSTATE and constraint (or message), and leaves every table as it was. */
async function expectRefused(expected: Expected, work: (tx: Tx) => Promise<unknown>): Promise<Attempt> {
  const before = await digest();
  const attempt = await refused(work);
  expect(
    { code: attempt.code, constraint: attempt.constraint },
    `refused for another reason: ${attempt.message}`,
  ).toEqual({
    code: expected.code,
    constraint: expected.constraint,
  });
  if (expected.message !== undefined) expect(attempt.message).toContain(expected.message);
  if (expected.atCommit !== undefined) expect(attempt.workFinished).toBe(expected.atCommit);
  await expectUnchanged(before);
  return attempt;
}

const fk = (constraint: string): Expected => ({ code: '23503', constraint, atCommit: false });
const check = (constraint: string): Expected => ({ code: '23514', constraint, atCommit: false });
const guard = (message: string): Expected => ({ code: '42501', constraint: undefined, message, atCommit: false });
const closed = (through: string): Expected => ({
  code: 'CR001',
  constraint: undefined,
  message: `the books are closed through ${through}`,
  atCommit: false,
});

const UNDO = new Error('rolled back on purpose');

/**
 * Runs `work`, then every deferred check (as a commit would), then rolls back: shows the statements are accepted
 * without leaving anything behind. Returns what `work` returned.
 */
async function acceptedThenRolledBack<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
  const before = await digest();
  let result: T | undefined;
  const outcome = await h.db.database
    .transaction(async (tx) => {
      result = await work(tx);
      await tx.execute(sql`set constraints all immediate`);
      throw UNDO;
    })
    .then(
      () => null,
      (e: unknown) => e,
    );
  expect(outcome === UNDO ? 'accepted' : messageOf(outcome)).toBe('accepted');
  expect(await digest()).toEqual(before);
  return result as T;
}

/**
 * For a rule found not to hold: runs `work` and its deferred checks, then rolls back whatever happened, so a write the
 * database wrongly accepts is not left behind for the tests after it. Returns the refusal, or null if accepted.
 */
async function refusalOrNull(work: (tx: Tx) => Promise<unknown>): Promise<(PgErrorInfo & { message: string }) | null> {
  const before = await digest();
  const outcome = await h.db.database
    .transaction(async (tx) => {
      await work(tx);
      await tx.execute(sql`set constraints all immediate`);
      throw UNDO;
    })
    .then(
      () => null,
      (e: unknown) => e,
    );
  expect(await digest()).toEqual(before);
  if (outcome === UNDO) return null;
  const info = pgErrorOf(outcome);
  expect(info, `not a PostgreSQL error: ${messageOf(outcome)}`).not.toBeNull();
  return { ...info!, message: messageOf(outcome) };
}

/** Runs `work` and commits it; it must be accepted. */
async function committed<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
  return h.db.database.transaction(work);
}

// ---------------------------------------------------------------------------------------------------------------
// raw SQL rows

const uniq = () => randomBytes(4).toString('hex');

function insertEntry(
  tx: Tx,
  entryId: string,
  coopId: string,
  options: { kind?: string; reverses?: string | null; createdBy?: string; valueDate?: string } = {},
) {
  return tx.execute(sql`
    insert into journal_entries (id, coop_id, kind, value_date, memo, created_by_token_id, reverses_entry_id)
    values (${entryId}::uuid, ${coopId}::uuid, ${options.kind ?? 'dp_receipt'}, ${options.valueDate ?? '2026-01-25'}::date,
            'raw SQL attempt', ${options.createdBy ?? ACTOR}::uuid, ${options.reverses ?? null}::uuid)`);
}

function insertPosting(
  tx: Tx,
  entryId: string,
  accountId: string,
  amount: string,
  memberId: string | null,
  category: string | null = null,
) {
  return tx.execute(sql`
    insert into postings (entry_id, account_id, member_id, amount, category)
    values (${entryId}::uuid, ${accountId}::uuid, ${memberId}::uuid, ${amount}::numeric, ${category})`);
}

/** A balanced entry in co-op A: 5.00 into the bank and a1's funds. */
async function balancedEntryA(tx: Tx, entryId: string, options: Parameters<typeof insertEntry>[3] = {}) {
  await insertEntry(tx, entryId, coopA.coopId, options);
  await insertPosting(tx, entryId, acct.bankA, '5.00', null);
  await insertPosting(tx, entryId, acct.fundsA1, '-5.00', a1.memberId);
}

function insertMembership(
  tx: Tx,
  row: {
    coopId: string;
    poolId: string;
    memberId: string;
    joinedOn?: string;
    frequency?: string | null;
  },
) {
  const frequency = row.frequency ?? null;
  return tx.execute(sql`
    insert into pool_memberships (id, coop_id, pool_id, member_id, joined_on, agreed_contribution_amount,
                                  agreed_contribution_frequency)
    values (${randomUUID()}::uuid, ${row.coopId}::uuid, ${row.poolId}::uuid, ${row.memberId}::uuid,
            ${row.joinedOn ?? '2026-01-01'}::date, ${frequency === null ? null : '20.00'}::numeric, ${frequency})`);
}

function insertAccount(
  tx: Tx,
  row: { coopId: string; kind: string; memberId?: string; poolId?: string; providerId?: string },
) {
  return tx.execute(sql`
    insert into accounts (id, coop_id, code, name, kind, member_id, pool_id, provider_id)
    values (${randomUUID()}::uuid, ${row.coopId}::uuid, ${`raw:${uniq()}`}, 'raw SQL account', ${row.kind},
            ${row.memberId ?? null}::uuid, ${row.poolId ?? null}::uuid, ${row.providerId ?? null}::uuid)`);
}

function insertPurchase(
  tx: Tx,
  row: {
    coopId: string;
    providerId: string;
    poolId?: string | null;
    memberId?: string | null;
    entryId: string;
    invoiceReference?: string;
  },
) {
  return tx.execute(sql`
    insert into purchases (id, coop_id, provider_id, pool_id, member_id, invoice_reference, invoice_date,
                           service_from, service_to, total, individual_rate_total, entry_id)
    values (${randomUUID()}::uuid, ${row.coopId}::uuid, ${row.providerId}::uuid, ${row.poolId ?? null}::uuid,
            ${row.memberId ?? null}::uuid, ${row.invoiceReference ?? `RAW-${uniq()}`}, '2026-01-20', '2026-01-12',
            '2026-01-18', 16.90, 18.40, ${row.entryId}::uuid)`);
}

function insertPurchaseShare(tx: Tx, row: { purchaseId: string; coopId: string; memberId: string }) {
  return tx.execute(sql`
    insert into purchase_shares (purchase_id, coop_id, member_id, amount, individual_amount)
    values (${row.purchaseId}::uuid, ${row.coopId}::uuid, ${row.memberId}::uuid, 1.00, 1.10)`);
}

function insertPurchaseLine(
  tx: Tx,
  row: { purchaseId: string; coopId: string; memberId: string | null; category?: string },
) {
  return tx.execute(sql`
    insert into purchase_lines (purchase_id, coop_id, line_number, service_type, category, description, unit, units,
                                unit_rate, amount, individual_rate, individual_amount, member_id)
    values (${row.purchaseId}::uuid, ${row.coopId}::uuid, 99, 'personal_assistance',
            ${row.category ?? 'personal_assistance'}, 'raw SQL line', 'hour', 1, 16.90, 16.90, 18.40, 18.40,
            ${row.memberId}::uuid)`);
}

function insertAllocationInput(tx: Tx, row: { entryId: string; coopId: string; memberId: string }) {
  return tx.execute(sql`
    insert into allocation_inputs (entry_id, coop_id, member_id, input, amount)
    values (${row.entryId}::uuid, ${row.coopId}::uuid, ${row.memberId}::uuid, 1, 0.01)`);
}

function insertSharedCost(
  tx: Tx,
  row: { coopId: string; poolId: string; providerId?: string | null; entryId: string; category?: string },
) {
  return tx.execute(sql`
    insert into shared_costs (id, coop_id, pool_id, entry_id, category, description, amount, cost_date, provider_id)
    values (${randomUUID()}::uuid, ${row.coopId}::uuid, ${row.poolId}::uuid, ${row.entryId}::uuid,
            ${row.category ?? 'admin'}, 'raw SQL cost', 5.00, '2026-01-15', ${row.providerId ?? null}::uuid)`);
}

async function insertAward(
  tx: Tx,
  row: {
    coopId: string;
    memberId: string;
    startsOn: string;
    endsOn?: string | null;
    frequency?: string;
    id?: string;
  },
): Promise<string> {
  const id = row.id ?? randomUUID();
  await tx.execute(sql`
    insert into awards (id, coop_id, member_id, amount, frequency, starts_on, ends_on, created_by_token_id)
    values (${id}::uuid, ${row.coopId}::uuid, ${row.memberId}::uuid, 250.00, ${row.frequency ?? 'weekly'},
            ${row.startsOn}::date, ${row.endsOn ?? null}::date, ${ACTOR}::uuid)`);
  return id;
}

function insertToken(
  tx: Tx,
  row: { role: string; coopId?: string | null; memberId?: string | null; laId?: string | null },
) {
  return tx.execute(sql`
    insert into tokens (id, token_hash, role, label, coop_id, member_id, local_authority_id, created_by_token_id,
                        expires_at)
    values (${randomUUID()}::uuid, ${randomBytes(32).toString('hex')}, ${row.role}, 'raw SQL token',
            ${row.coopId ?? null}::uuid, ${row.memberId ?? null}::uuid, ${row.laId ?? null}::uuid, ${ACTOR}::uuid,
            now() + interval '30 days')`);
}

function insertMember(
  tx: Tx,
  row: { stakeholderClass: string; language?: string; laId?: string | null; laReference?: string | null },
) {
  return tx.execute(sql`
    insert into members (id, coop_id, name, stakeholder_class, local_authority_id, la_reference, preferred_language)
    values (${randomUUID()}::uuid, ${coopA.coopId}::uuid, 'Raw SQL member', ${row.stakeholderClass},
            ${row.laId ?? null}::uuid, ${row.laReference ?? null}, ${row.language ?? 'cy'})`);
}

function insertRegisterRow(tx: Tx, row: { kind?: string; format?: string; language?: string }) {
  return tx.execute(sql`
    insert into statement_register (id, coop_id, kind, subject_id, period_from, period_to, format, language, sha256,
                                    issued_by_token_id)
    values (${randomUUID()}::uuid, ${coopA.coopId}::uuid, ${row.kind ?? 'pool'}, ${world.poolA}::uuid, '2026-02-01',
            '2026-02-28', ${row.format ?? 'json'}, ${row.language ?? 'en'}, ${randomBytes(32).toString('hex')},
            ${ACTOR}::uuid)`);
}

// ---------------------------------------------------------------------------------------------------------------

describe('the world the attempts start from', () => {
  it('holds what the API made: two co-ops with purchases, shared costs, splits and awards', async () => {
    const purchases = await h.db.rows<{ coop_id: string; n: number }>(
      sql`select coop_id, count(*)::int as n from purchases group by coop_id`,
    );
    expect(purchases.map((r) => Number(r.n))).toEqual([1, 1]);
    const shares = await one<{ n: number }>(
      sql`select count(*)::int as n from purchase_shares where purchase_id = ${world.purchaseA.id}::uuid`,
    );
    expect(Number(shares.n)).toBe(2);
    const inputs = await one<{ n: number }>(
      sql`select count(*)::int as n from allocation_inputs where entry_id = ${world.sharedCostA.entryId}::uuid`,
    );
    expect(Number(inputs.n)).toBe(2);
    const awards = await h.db.rows<{ id: string }>(sql`select id from awards order by id`);
    expect(awards.map((r) => r.id).sort()).toEqual([world.awardA1, world.awardA2, world.awardB1].sort());
    const register = await one<{ n: number }>(sql`select count(*)::int as n from statement_register`);
    expect(Number(register.n)).toBe(0);
    await expectLedgerConsistent(h);
  });

  it('has every composite foreign key and named CHECK of migration 0010, none of them deferrable', async () => {
    const names = [
      'pool_memberships_member_coop_fk',
      'pool_memberships_pool_coop_fk',
      'accounts_member_coop_fk',
      'accounts_pool_coop_fk',
      'accounts_provider_coop_fk',
      'purchases_provider_coop_fk',
      'purchases_pool_coop_fk',
      'purchases_member_coop_fk',
      'purchases_entry_coop_fk',
      'purchase_shares_member_coop_fk',
      'purchase_shares_purchase_coop_fk',
      'purchase_lines_member_coop_fk',
      'purchase_lines_purchase_coop_fk',
      'allocation_inputs_member_coop_fk',
      'allocation_inputs_entry_coop_fk',
      'shared_costs_pool_coop_fk',
      'shared_costs_provider_coop_fk',
      'shared_costs_entry_coop_fk',
      'awards_member_coop_fk',
      'journal_entries_reverses_coop_fk',
      'journal_entries_created_by_token_id_tokens_id_fk',
      'tokens_member_coop_fk',
    ];
    const rows = await h.db.rows<{ conname: string; contype: string; condeferrable: boolean }>(
      sql`select conname, contype, condeferrable from pg_constraint
           where conname in (${sql.join(
             names.map((n) => sql`${n}`),
             sql`, `,
           )})`,
    );
    expect(rows.map((r) => r.conname).sort()).toEqual([...names].sort());
    // Checked at the end of each statement: the rolled-back acceptances below show all a commit would check.
    expect(rows.filter((r) => r.contype !== 'f' || r.condeferrable)).toEqual([]);
  });
});

describe('rule 1: a link never crosses co-ops (composite foreign keys, SQLSTATE 23503)', () => {
  it("refuses a pool membership whose member is another co-op's (pool_memberships_member_coop_fk)", async () => {
    await expectRefused(fk('pool_memberships_member_coop_fk'), (tx) =>
      insertMembership(tx, { coopId: coopA.coopId, poolId: world.poolA, memberId: b2.memberId }),
    );
    await acceptedThenRolledBack((tx) =>
      insertMembership(tx, { coopId: coopA.coopId, poolId: world.poolA, memberId: a3.memberId }),
    );
  });

  it("refuses a pool membership whose pool is another co-op's (pool_memberships_pool_coop_fk)", async () => {
    await expectRefused(fk('pool_memberships_pool_coop_fk'), (tx) =>
      insertMembership(tx, { coopId: coopA.coopId, poolId: world.poolB, memberId: a3.memberId }),
    );
    // Labelling the row with the pool's co-op instead only moves the refusal to the member.
    await expectRefused(fk('pool_memberships_member_coop_fk'), (tx) =>
      insertMembership(tx, { coopId: coopB.coopId, poolId: world.poolB, memberId: a3.memberId }),
    );
    await acceptedThenRolledBack((tx) =>
      insertMembership(tx, { coopId: coopB.coopId, poolId: world.poolB, memberId: b2.memberId }),
    );
  });

  it("refuses an account whose member is another co-op's (accounts_member_coop_fk)", async () => {
    await expectRefused(fk('accounts_member_coop_fk'), (tx) =>
      insertAccount(tx, { coopId: coopA.coopId, kind: 'pool_share', memberId: b2.memberId, poolId: world.poolA }),
    );
    await acceptedThenRolledBack((tx) =>
      insertAccount(tx, { coopId: coopA.coopId, kind: 'pool_share', memberId: a3.memberId, poolId: world.poolA }),
    );
  });

  it("refuses an account whose pool is another co-op's (accounts_pool_coop_fk)", async () => {
    await expectRefused(fk('accounts_pool_coop_fk'), (tx) =>
      insertAccount(tx, { coopId: coopA.coopId, kind: 'pool_share', memberId: a3.memberId, poolId: world.poolB }),
    );
    await acceptedThenRolledBack((tx) =>
      insertAccount(tx, { coopId: coopA.coopId, kind: 'pool_share', memberId: a3.memberId, poolId: world.poolA }),
    );
  });

  it("refuses an account whose provider is another co-op's (accounts_provider_coop_fk)", async () => {
    // coop_own, not provider_payable: a provider has one payable (accounts_provider_payable_key, checked first).
    await expectRefused(fk('accounts_provider_coop_fk'), (tx) =>
      insertAccount(tx, { coopId: coopA.coopId, kind: 'coop_own', providerId: world.providerB }),
    );
    await acceptedThenRolledBack((tx) =>
      insertAccount(tx, { coopId: coopA.coopId, kind: 'coop_own', providerId: world.providerA }),
    );
  });

  describe("a purchase whose provider, pool, member or entry is another co-op's", () => {
    const ownPurchase = () => ({
      coopId: coopA.coopId,
      providerId: world.providerA,
      poolId: world.poolA,
      entryId: world.receiptA3,
    });

    it('accepts the same purchase row when everything it names is its own co-op’s (pool, or member)', async () => {
      await acceptedThenRolledBack((tx) => insertPurchase(tx, ownPurchase()));
      await acceptedThenRolledBack((tx) =>
        insertPurchase(tx, { ...ownPurchase(), poolId: null, memberId: a3.memberId }),
      );
    });

    it('refuses another co-op’s provider (purchases_provider_coop_fk)', async () => {
      await expectRefused(fk('purchases_provider_coop_fk'), (tx) =>
        insertPurchase(tx, { ...ownPurchase(), providerId: world.providerB }),
      );
    });

    it('refuses another co-op’s pool (purchases_pool_coop_fk)', async () => {
      await expectRefused(fk('purchases_pool_coop_fk'), (tx) =>
        insertPurchase(tx, { ...ownPurchase(), poolId: world.poolB }),
      );
    });

    it('refuses another co-op’s member (purchases_member_coop_fk)', async () => {
      await expectRefused(fk('purchases_member_coop_fk'), (tx) =>
        insertPurchase(tx, { ...ownPurchase(), poolId: null, memberId: b2.memberId }),
      );
    });

    it('refuses another co-op’s journal entry (purchases_entry_coop_fk)', async () => {
      await expectRefused(fk('purchases_entry_coop_fk'), (tx) =>
        insertPurchase(tx, { ...ownPurchase(), entryId: world.receiptB1 }),
      );
    });
  });

  it("refuses a purchase share naming another co-op's member (purchase_shares_member_coop_fk)", async () => {
    await expectRefused(fk('purchase_shares_member_coop_fk'), (tx) =>
      insertPurchaseShare(tx, { purchaseId: world.purchaseA.id, coopId: coopA.coopId, memberId: b2.memberId }),
    );
    await acceptedThenRolledBack((tx) =>
      insertPurchaseShare(tx, { purchaseId: world.purchaseA.id, coopId: coopA.coopId, memberId: a3.memberId }),
    );
  });

  it("refuses a purchase line naming another co-op's member (purchase_lines_member_coop_fk)", async () => {
    await expectRefused(fk('purchase_lines_member_coop_fk'), (tx) =>
      insertPurchaseLine(tx, { purchaseId: world.purchaseA.id, coopId: coopA.coopId, memberId: b2.memberId }),
    );
    await acceptedThenRolledBack((tx) =>
      insertPurchaseLine(tx, { purchaseId: world.purchaseA.id, coopId: coopA.coopId, memberId: a3.memberId }),
    );
  });

  it("refuses an allocation input naming another co-op's member (allocation_inputs_member_coop_fk)", async () => {
    await expectRefused(fk('allocation_inputs_member_coop_fk'), (tx) =>
      insertAllocationInput(tx, { entryId: world.sharedCostA.entryId, coopId: coopA.coopId, memberId: b2.memberId }),
    );
    await acceptedThenRolledBack((tx) =>
      insertAllocationInput(tx, { entryId: world.sharedCostA.entryId, coopId: coopA.coopId, memberId: a3.memberId }),
    );
  });

  it("refuses shares, lines, inputs and costs whose purchase or entry is another co-op's (*_purchase_coop_fk, *_entry_coop_fk)", async () => {
    // Labelled with the member's co-op (B), they hang off co-op A's purchase or entry.
    await expectRefused(fk('purchase_shares_purchase_coop_fk'), (tx) =>
      insertPurchaseShare(tx, { purchaseId: world.purchaseA.id, coopId: coopB.coopId, memberId: b2.memberId }),
    );
    await expectRefused(fk('purchase_lines_purchase_coop_fk'), (tx) =>
      insertPurchaseLine(tx, { purchaseId: world.purchaseA.id, coopId: coopB.coopId, memberId: b2.memberId }),
    );
    await expectRefused(fk('allocation_inputs_entry_coop_fk'), (tx) =>
      insertAllocationInput(tx, { entryId: world.sharedCostA.entryId, coopId: coopB.coopId, memberId: b2.memberId }),
    );
    await expectRefused(fk('shared_costs_entry_coop_fk'), (tx) =>
      insertSharedCost(tx, { coopId: coopA.coopId, poolId: world.poolA, entryId: world.receiptB1 }),
    );
    // The same rows on co-op B's own purchase and entry are accepted.
    await acceptedThenRolledBack(async (tx) => {
      await insertPurchaseShare(tx, { purchaseId: world.purchaseB.id, coopId: coopB.coopId, memberId: b2.memberId });
      await insertPurchaseLine(tx, { purchaseId: world.purchaseB.id, coopId: coopB.coopId, memberId: b2.memberId });
      await insertAllocationInput(tx, {
        entryId: world.sharedCostB.entryId,
        coopId: coopB.coopId,
        memberId: b2.memberId,
      });
      await insertSharedCost(tx, { coopId: coopB.coopId, poolId: world.poolB, entryId: world.receiptB1 });
    });
  });

  it("refuses a shared cost on another co-op's pool (shared_costs_pool_coop_fk)", async () => {
    await expectRefused(fk('shared_costs_pool_coop_fk'), (tx) =>
      insertSharedCost(tx, { coopId: coopA.coopId, poolId: world.poolB, entryId: world.receiptA3 }),
    );
    await acceptedThenRolledBack((tx) =>
      insertSharedCost(tx, { coopId: coopA.coopId, poolId: world.poolA, entryId: world.receiptA3 }),
    );
  });

  it("refuses a shared cost naming another co-op's provider (shared_costs_provider_coop_fk)", async () => {
    await expectRefused(fk('shared_costs_provider_coop_fk'), (tx) =>
      insertSharedCost(tx, {
        coopId: coopA.coopId,
        poolId: world.poolA,
        providerId: world.providerB,
        entryId: world.receiptA3,
      }),
    );
    await acceptedThenRolledBack((tx) =>
      insertSharedCost(tx, {
        coopId: coopA.coopId,
        poolId: world.poolA,
        providerId: world.providerA,
        entryId: world.receiptA3,
      }),
    );
  });

  it("refuses an award for another co-op's member (awards_member_coop_fk)", async () => {
    await expectRefused(fk('awards_member_coop_fk'), (tx) =>
      insertAward(tx, { coopId: coopA.coopId, memberId: b2.memberId, startsOn: '2026-02-01' }),
    );
    await acceptedThenRolledBack((tx) =>
      insertAward(tx, { coopId: coopA.coopId, memberId: a3.memberId, startsOn: '2026-02-01' }),
    );
  });

  it('refuses reversing a reversal (journal_entries_reversal_of_original)', async () => {
    await expectRefused(check('journal_entries_reversal_of_original'), async (tx) => {
      const [account] = rowsOf(
        rowShape('holder funds account', { id: z.string() }),
        await tx.execute(sql`select id from accounts where kind = 'holder_funds' and member_id = ${a3.memberId}::uuid`),
      );
      const first = randomUUID();
      await insertEntry(tx, first, coopA.coopId, { kind: 'reversal', reverses: world.receiptA3 });
      await insertPosting(tx, first, acct.bankA, '-100.00', null);
      await insertPosting(tx, first, account!.id, '100.00', a3.memberId);
      await insertEntry(tx, randomUUID(), coopA.coopId, { kind: 'reversal', reverses: first });
    });
  });

  it("refuses a reversal of another co-op's entry, or of no entry at all (journal_entries_reverses_coop_fk)", async () => {
    const reversal = (reverses: string) => async (tx: Tx) => {
      const entryId = randomUUID();
      await insertEntry(tx, entryId, coopA.coopId, { kind: 'reversal', reverses });
      await insertPosting(tx, entryId, acct.bankA, '-100.00', null);
      await insertPosting(tx, entryId, acct.fundsA1, '100.00', a1.memberId);
    };
    await expectRefused(fk('journal_entries_reverses_coop_fk'), reversal(world.receiptB1));
    await expectRefused(fk('journal_entries_reverses_coop_fk'), reversal(randomUUID()));
    // Reversing co-op A's own receipt (a3's 100.00) is accepted, balanced and all.
    await acceptedThenRolledBack(async (tx) => {
      const entryId = randomUUID();
      await insertEntry(tx, entryId, coopA.coopId, { kind: 'reversal', reverses: world.receiptA3 });
      const [account] = rowsOf(
        rowShape('holder funds account', { id: z.string() }),
        await tx.execute(sql`select id from accounts where kind = 'holder_funds' and member_id = ${a3.memberId}::uuid`),
      );
      await insertPosting(tx, entryId, acct.bankA, '-100.00', null);
      await insertPosting(tx, entryId, account!.id, '100.00', a3.memberId);
    });
  });

  it('refuses a journal entry whose created_by_token_id is no token (journal_entries_created_by_token_id_tokens_id_fk)', async () => {
    await expectRefused(fk('journal_entries_created_by_token_id_tokens_id_fk'), (tx) =>
      balancedEntryA(tx, randomUUID(), { createdBy: randomUUID() }),
    );
    await acceptedThenRolledBack((tx) => balancedEntryA(tx, randomUUID(), { createdBy: ACTOR }));
  });

  it("refuses a holder token whose member is another co-op's (tokens_member_coop_fk)", async () => {
    await expectRefused(fk('tokens_member_coop_fk'), (tx) =>
      insertToken(tx, { role: 'holder', coopId: coopA.coopId, memberId: b2.memberId }),
    );
    await acceptedThenRolledBack((tx) =>
      insertToken(tx, { role: 'holder', coopId: coopA.coopId, memberId: a3.memberId }),
    );
  });
});

describe("rule 2: a posting names its account's owner (postings_member_owns_account, SQLSTATE 23514)", () => {
  const attempt = (account: () => string, memberId: () => string | null) => async (tx: Tx) => {
    const entryId = randomUUID();
    await insertEntry(tx, entryId, coopA.coopId);
    await insertPosting(tx, entryId, acct.bankA, '5.00', null);
    await insertPosting(tx, entryId, account(), '-5.00', memberId());
  };

  it("accepts a balanced entry whose postings name each account's owner (and none for the bank)", async () => {
    await acceptedThenRolledBack(
      attempt(
        () => acct.fundsA1,
        () => a1.memberId,
      ),
    );
  });

  it("refuses a posting on a1's funds that names a2", async () => {
    await expectRefused(
      check('postings_member_owns_account'),
      attempt(
        () => acct.fundsA1,
        () => a2.memberId,
      ),
    );
  });

  it("refuses a posting on a1's funds that names nobody", async () => {
    await expectRefused(
      check('postings_member_owns_account'),
      attempt(
        () => acct.fundsA1,
        () => null,
      ),
    );
  });

  it('refuses a posting on the bank account that names a member', async () => {
    await expectRefused(check('postings_member_owns_account'), async (tx) => {
      const entryId = randomUUID();
      await insertEntry(tx, entryId, coopA.coopId);
      await insertPosting(tx, entryId, acct.bankA, '5.00', a1.memberId);
      await insertPosting(tx, entryId, acct.fundsA1, '-5.00', a1.memberId);
    });
  });
});

describe('rule 3: the audit log is append-only', () => {
  const auditRowsOfA = async () =>
    Number(
      (await one<{ n: number }>(sql`select count(*)::int as n from audit_log where coop_id = ${coopA.coopId}::uuid`)).n,
    );

  it('accepts a new audit row; the rows the attempts below aim at exist', async () => {
    expect(await auditRowsOfA()).toBeGreaterThan(5);
    await acceptedThenRolledBack((tx) =>
      tx.execute(sql`
        insert into audit_log (id, coop_id, actor_token_id, action, target_type, target_id)
        values (${randomUUID()}::uuid, ${coopA.coopId}::uuid, ${ACTOR}::uuid, 'raw.sql', 'member', ${a1.memberId}::uuid)`),
    );
  });

  it('refuses UPDATE', async () => {
    await expectRefused(guard('audit_log is append-only: UPDATE refused'), (tx) =>
      tx.execute(sql`update audit_log set action = 'nothing happened' where coop_id = ${coopA.coopId}::uuid`),
    );
  });

  it('refuses DELETE', async () => {
    await expectRefused(guard('audit_log is append-only: DELETE refused'), (tx) =>
      tx.execute(sql`delete from audit_log where coop_id = ${coopA.coopId}::uuid`),
    );
  });

  it('refuses TRUNCATE', async () => {
    await expectRefused(guard('audit_log is append-only: TRUNCATE refused'), (tx) =>
      tx.execute(sql`truncate audit_log`),
    );
  });
});

describe('rule 4: fixed vocabularies are CHECK constraints (SQLSTATE 23514)', () => {
  interface VocabularyCase {
    constraint: string;
    bad: string;
    good: string;
    write: (tx: Tx, value: string) => Promise<unknown>;
  }
  const cases: VocabularyCase[] = [
    {
      constraint: 'accounts_kind_known',
      bad: 'wallet',
      good: 'coop_own',
      write: (tx, kind) => insertAccount(tx, { coopId: coopA.coopId, kind }),
    },
    {
      constraint: 'journal_entries_kind_known',
      bad: 'gift',
      good: 'bank_interest',
      write: (tx, kind) => balancedEntryA(tx, randomUUID(), { kind }),
    },
    {
      constraint: 'members_stakeholder_class_known',
      bad: 'volunteer',
      good: 'family_carer',
      write: (tx, stakeholderClass) => insertMember(tx, { stakeholderClass }),
    },
    {
      constraint: 'members_preferred_language_known',
      bad: 'fr',
      good: 'en',
      write: (tx, language) => insertMember(tx, { stakeholderClass: 'worker', language }),
    },
    {
      constraint: 'tokens_role_known',
      bad: 'auditor',
      good: 'treasurer',
      write: (tx, role) => insertToken(tx, { role, coopId: coopA.coopId }),
    },
    {
      constraint: 'rate_card_services_tier_period_known',
      bad: 'fortnight',
      good: 'month',
      write: (tx, tierPeriod) =>
        tx.execute(sql`
          insert into rate_card_services (id, rate_card_id, service_type, unit, individual_rate, tier_period)
          values (${randomUUID()}::uuid, ${world.rateCardA}::uuid, 'respite', 'night', 95.00, ${tierPeriod})`),
    },
    {
      constraint: 'rate_card_services_unit_known',
      bad: 'minute',
      good: 'session',
      write: (tx, unit) =>
        tx.execute(sql`
          insert into rate_card_services (id, rate_card_id, service_type, unit, individual_rate, tier_period)
          values (${randomUUID()}::uuid, ${world.rateCardA}::uuid, 'day_activities', ${unit}, 40.00, 'week')`),
    },
    {
      constraint: 'awards_frequency_known',
      bad: 'daily',
      good: 'four_weekly',
      write: (tx, frequency) =>
        insertAward(tx, { coopId: coopA.coopId, memberId: a3.memberId, startsOn: '2026-02-01', frequency }),
    },
    {
      constraint: 'pool_memberships_frequency_known',
      bad: 'fortnightly',
      good: 'monthly',
      write: (tx, frequency) =>
        insertMembership(tx, { coopId: coopA.coopId, poolId: world.poolA, memberId: a3.memberId, frequency }),
    },
    {
      constraint: 'providers_kind_known',
      bad: 'corporation',
      good: 'user_led',
      write: (tx, kind) =>
        tx.execute(sql`
          insert into providers (id, coop_id, name, kind, welsh_language_service, locality)
          values (${randomUUID()}::uuid, ${coopA.coopId}::uuid, ${`Raw provider ${uniq()}`}, ${kind}, false, 'Rhuthun')`),
    },
    {
      // A spending category, but not one a shared cost may have.
      constraint: 'shared_costs_category_known',
      bad: 'personal_assistance',
      good: 'training',
      write: (tx, category) =>
        insertSharedCost(tx, { coopId: coopA.coopId, poolId: world.poolA, entryId: world.receiptA3, category }),
    },
    {
      constraint: 'postings_category_known',
      bad: 'groceries',
      good: 'admin',
      write: async (tx, category) => {
        const entryId = randomUUID();
        await insertEntry(tx, entryId, coopA.coopId, { kind: 'shared_cost' });
        await insertPosting(tx, entryId, acct.shareA1, '5.00', a1.memberId, category);
        await insertPosting(tx, entryId, acct.bankA, '-5.00', null);
      },
    },
    {
      constraint: 'purchase_lines_category_known',
      bad: 'groceries',
      good: 'respite',
      write: (tx, category) =>
        insertPurchaseLine(tx, { purchaseId: world.purchaseA.id, coopId: coopA.coopId, memberId: null, category }),
    },
    {
      constraint: 'bank_statements_format_known',
      bad: 'qif',
      good: 'ofx',
      write: (tx, format) =>
        tx.execute(sql`
          insert into bank_statements (id, coop_id, format, layout, file_sha256, line_count, duplicates_skipped,
                                       imported_by_token_id)
          values (${randomUUID()}::uuid, ${coopA.coopId}::uuid, ${format}, 'generic', ${randomBytes(32).toString('hex')},
                  0, 0, ${ACTOR}::uuid)`),
    },
    {
      constraint: 'reconciliation_matches_method_known',
      bad: 'guess',
      good: 'manual',
      write: (tx, method) =>
        tx.execute(sql`
          insert into reconciliation_matches (id, coop_id, method, created_by_token_id)
          values (${randomUUID()}::uuid, ${coopA.coopId}::uuid, ${method}, ${ACTOR}::uuid)`),
    },
    {
      constraint: 'statement_register_kind_known',
      bad: 'member',
      good: 'holder',
      write: (tx, kind) => insertRegisterRow(tx, { kind }),
    },
    {
      constraint: 'statement_register_format_known',
      bad: 'docx',
      good: 'pdf',
      write: (tx, format) => insertRegisterRow(tx, { format }),
    },
    {
      constraint: 'statement_register_language_known',
      bad: 'fr',
      good: 'cy',
      write: (tx, language) => insertRegisterRow(tx, { language }),
    },
  ];

  for (const c of cases) {
    it(`refuses '${c.bad}' and accepts '${c.good}' (${c.constraint})`, async () => {
      await expectRefused(check(c.constraint), (tx) => c.write(tx, c.bad));
      await acceptedThenRolledBack((tx) => c.write(tx, c.good));
    });
  }

  it("refuses a 'reversal' that reverses nothing, and another kind that reverses something (journal_entries_reversal_links)", async () => {
    await expectRefused(check('journal_entries_reversal_links'), (tx) =>
      balancedEntryA(tx, randomUUID(), { kind: 'reversal', reverses: null }),
    );
    await expectRefused(check('journal_entries_reversal_links'), (tx) =>
      balancedEntryA(tx, randomUUID(), { kind: 'dp_receipt', reverses: world.receiptA3 }),
    );
    await acceptedThenRolledBack((tx) => balancedEntryA(tx, randomUUID(), { kind: 'dp_receipt', reverses: null }));
    await acceptedThenRolledBack((tx) =>
      balancedEntryA(tx, randomUUID(), { kind: 'reversal', reverses: world.receiptA3 }),
    );
  });

  it('refuses a local authority or LA reference on a member who is not a holder (members_only_holders_have_la)', async () => {
    await expectRefused(check('members_only_holders_have_la'), (tx) =>
      insertMember(tx, { stakeholderClass: 'worker', laId: coopA.laId, laReference: `DP-${uniq()}` }),
    );
    await expectRefused(check('members_only_holders_have_la'), (tx) =>
      insertMember(tx, { stakeholderClass: 'supporter', laReference: `DP-${uniq()}` }),
    );
    await expectRefused(check('members_only_holders_have_la'), (tx) =>
      insertMember(tx, { stakeholderClass: 'family_carer', laId: coopA.laId }),
    );
    await acceptedThenRolledBack((tx) => insertMember(tx, { stakeholderClass: 'worker' }));
    await acceptedThenRolledBack((tx) =>
      insertMember(tx, { stakeholderClass: 'holder', laId: coopA.laId, laReference: `DP-${uniq()}` }),
    );
  });

  it('refuses an la_officer token that carries a member (tokens_scope_matches_role)', async () => {
    await expectRefused(check('tokens_scope_matches_role'), (tx) =>
      insertToken(tx, { role: 'la_officer', laId: coopA.laId, memberId: a1.memberId }),
    );
    await acceptedThenRolledBack((tx) => insertToken(tx, { role: 'la_officer', laId: coopA.laId }));
  });
});

describe("rule 5: a token's identity, power and expiry never change; revocation is final; tokens stay", () => {
  let live: { id: string; token: string };
  let revoked: { id: string; token: string };
  const tokenRow = (id: string) => one<Record<string, unknown>>(sql`select * from tokens where id = ${id}::uuid`);

  beforeAll(async () => {
    live = await createToken(h, coopA.treasurerToken, { role: 'holder', coopId: coopA.coopId, memberId: a3.memberId });
    revoked = await createToken(h, coopA.treasurerToken, {
      role: 'holder',
      coopId: coopA.coopId,
      memberId: a3.memberId,
    });
  });

  it('accepts a revocation (through the API), after which the token no longer works', async () => {
    expect(
      (await h.call('GET', `/v1/coops/${coopA.coopId}/members/${a3.memberId}`, { token: revoked.token })).status,
    ).toBe(200);
    expect((await h.call('DELETE', `/v1/tokens/${revoked.id}`, { token: h.adminToken })).status).toBe(204);
    expect((await tokenRow(revoked.id)).revoked_at).not.toBeNull();
    expect(
      (await h.call('GET', `/v1/coops/${coopA.coopId}/members/${a3.memberId}`, { token: revoked.token })).status,
    ).toBe(401);
  });

  it('refuses clearing a revocation', async () => {
    await expectRefused(guard("a token's revocation is final"), (tx) =>
      tx.execute(sql`update tokens set revoked_at = null where id = ${revoked.id}::uuid`),
    );
  });

  it('refuses moving a revocation, earlier or later', async () => {
    await expectRefused(guard("a token's revocation is final"), (tx) =>
      tx.execute(sql`update tokens set revoked_at = revoked_at + interval '1 day' where id = ${revoked.id}::uuid`),
    );
    await expectRefused(guard("a token's revocation is final"), (tx) =>
      tx.execute(sql`update tokens set revoked_at = revoked_at - interval '1 day' where id = ${revoked.id}::uuid`),
    );
  });

  it("refuses changing a token's role, even to one its scope would fit", async () => {
    // holder → treasurer of the same co-op without the member: tokens_scope_matches_role would accept the result.
    await expectRefused(guard("a token's identity, scope and expiry never change"), (tx) =>
      tx.execute(sql`update tokens set role = 'treasurer', member_id = null where id = ${live.id}::uuid`),
    );
  });

  it("refuses changing a token's scope (its member, co-op or local authority)", async () => {
    await expectRefused(guard("a token's identity, scope and expiry never change"), (tx) =>
      tx.execute(sql`update tokens set member_id = ${a1.memberId}::uuid where id = ${live.id}::uuid`),
    );
    await expectRefused(guard("a token's identity, scope and expiry never change"), (tx) =>
      tx.execute(
        sql`update tokens set coop_id = ${coopB.coopId}::uuid, member_id = ${b1.memberId}::uuid where id = ${live.id}::uuid`,
      ),
    );
  });

  it("refuses changing a token's hash", async () => {
    await expectRefused(guard("a token's identity, scope and expiry never change"), (tx) =>
      tx.execute(sql`update tokens set token_hash = ${randomBytes(32).toString('hex')} where id = ${live.id}::uuid`),
    );
  });

  it("refuses changing a token's expiry, later or sooner", async () => {
    await expectRefused(guard("a token's identity, scope and expiry never change"), (tx) =>
      tx.execute(sql`update tokens set expires_at = expires_at + interval '10 years' where id = ${live.id}::uuid`),
    );
    await expectRefused(guard("a token's identity, scope and expiry never change"), (tx) =>
      tx.execute(sql`update tokens set expires_at = expires_at - interval '1 day' where id = ${live.id}::uuid`),
    );
  });

  it('refuses deleting a token, live or revoked', async () => {
    await expectRefused(guard('tokens are never deleted; revoke them'), (tx) =>
      tx.execute(sql`delete from tokens where id = ${live.id}::uuid`),
    );
    await expectRefused(guard('tokens are never deleted; revoke them'), (tx) =>
      tx.execute(sql`delete from tokens where id = ${revoked.id}::uuid`),
    );
  });

  it('accepts recording a use (last_used_at), and nothing else about the token moves', async () => {
    const before = await tokenRow(live.id);
    await committed((tx) =>
      tx.execute(sql`update tokens set last_used_at = now() + interval '1 minute' where id = ${live.id}::uuid`),
    );
    const after = await tokenRow(live.id);
    expect(after.last_used_at).not.toEqual(before.last_used_at);
    expect({ ...after, last_used_at: null }).toEqual({ ...before, last_used_at: null });
    // Recording a use on a revoked token is accepted too; its revocation stays.
    const revokedBefore = await tokenRow(revoked.id);
    await committed((tx) => tx.execute(sql`update tokens set last_used_at = now() where id = ${revoked.id}::uuid`));
    expect((await tokenRow(revoked.id)).revoked_at).toEqual(revokedBefore.revoked_at);
  });
});

describe('rule 6: awards are dated history', () => {
  const awardRow = (id: string) => one<Record<string, unknown>>(sql`select * from awards where id = ${id}::uuid`);

  it('refuses, at commit, two overlapping live awards inserted in one transaction (awards_no_overlap, 23P01)', async () => {
    await expectRefused({ code: '23P01', constraint: 'awards_no_overlap', atCommit: true }, async (tx) => {
      await insertAward(tx, {
        coopId: coopA.coopId,
        memberId: a5.memberId,
        startsOn: '2026-02-01',
        endsOn: '2026-03-31',
      });
      await insertAward(tx, { coopId: coopA.coopId, memberId: a5.memberId, startsOn: '2026-03-31' });
    });
    // One day later there is no overlap: the same two awards commit.
    await committed(async (tx) => {
      await insertAward(tx, {
        coopId: coopA.coopId,
        memberId: a5.memberId,
        startsOn: '2026-02-01',
        endsOn: '2026-03-31',
      });
      await insertAward(tx, { coopId: coopA.coopId, memberId: a5.memberId, startsOn: '2026-04-01' });
    });
  });

  it('refuses, at commit, an award overlapping one committed earlier in another transaction', async () => {
    // a5's raw awards (previous test), and a1's award made through the API.
    await expectRefused({ code: '23P01', constraint: 'awards_no_overlap', atCommit: true }, (tx) =>
      insertAward(tx, { coopId: coopA.coopId, memberId: a5.memberId, startsOn: '2026-01-01', endsOn: '2026-02-01' }),
    );
    await expectRefused({ code: '23P01', constraint: 'awards_no_overlap', atCommit: true }, (tx) =>
      insertAward(tx, { coopId: coopA.coopId, memberId: a1.memberId, startsOn: '2026-09-01' }),
    );
    // Before a5's first award there is room.
    await acceptedThenRolledBack((tx) =>
      insertAward(tx, { coopId: coopA.coopId, memberId: a5.memberId, startsOn: '2026-01-01', endsOn: '2026-01-31' }),
    );
  });

  it('refuses the second of two overlapping awards written by concurrent transactions', async () => {
    let releaseFirst!: () => void;
    const gate = new Promise<void>((resolve) => (releaseFirst = resolve));
    let firstInserted!: () => void;
    const inserted = new Promise<void>((resolve) => (firstInserted = resolve));
    const before = await digest();
    const first = h.db.database
      .transaction(async (tx) => {
        await insertAward(tx, { coopId: coopA.coopId, memberId: a6.memberId, startsOn: '2026-01-01' });
        firstInserted();
        await gate;
      })
      .then(
        () => 'committed',
        (e: unknown) => e,
      );
    await inserted;
    const second = h.db.database
      .transaction((tx) => insertAward(tx, { coopId: coopA.coopId, memberId: a6.memberId, startsOn: '2026-06-01' }))
      .then(
        () => 'committed',
        (e: unknown) => e,
      );
    if (h.db.kind === 'postgres') {
      // The second transaction waits on the holder's award lock while the first is still open.
      let waiting = false;
      for (let i = 0; i < 250 && !waiting; i += 1) {
        const [row] = await h.db.rows<{ n: number }>(
          sql`select count(*)::int as n from pg_locks where locktype = 'advisory' and not granted
                 and database = (select oid from pg_database where datname = current_database())`,
        );
        waiting = Number(row!.n) > 0;
        if (!waiting) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(waiting).toBe(true);
    }
    // (The embedded database is one session: the second transaction simply runs after the first.)
    releaseFirst();
    const [firstOutcome, secondOutcome] = await Promise.all([first, second]);
    expect(firstOutcome).toBe('committed');
    expect(pgErrorOf(secondOutcome), messageOf(secondOutcome)).toMatchObject({
      code: '23P01',
      constraint: 'awards_no_overlap',
    });
    const after = await digest();
    expect(after.awards!.rows).toBe(before.awards!.rows + 1);
    const a6Awards = await h.db.rows<{ starts_on: string }>(
      sql`select starts_on::text from awards where member_id = ${a6.memberId}::uuid`,
    );
    expect(a6Awards).toEqual([{ starts_on: '2026-01-01' }]);
  });

  it('does not count a replaced award: a correction for the same dates commits once the old one is marked replaced', async () => {
    // a1's award from the API, 2026-01-01 onwards; the same dates again, alone, overlap.
    await expectRefused({ code: '23P01', constraint: 'awards_no_overlap', atCommit: true }, (tx) =>
      insertAward(tx, { coopId: coopA.coopId, memberId: a1.memberId, startsOn: '2026-01-01' }),
    );
    const correction = await committed(async (tx) => {
      const id = await insertAward(tx, { coopId: coopA.coopId, memberId: a1.memberId, startsOn: '2026-01-01' });
      await tx.execute(sql`update awards set replaced_by_award_id = ${id}::uuid where id = ${world.awardA1}::uuid`);
      return id;
    });
    const member = await expectStatus(
      h.call<Member>('GET', `/v1/coops/${coopA.coopId}/members/${a1.memberId}`, { token: coopA.treasurerToken }),
      200,
    );
    expect(member.award?.id).toBe(correction);
    expect(member.awards.find((a) => a.id === world.awardA1)?.replacedBy).toBe(correction);
    // A replacement is final.
    await expectRefused(guard('an award may only be ended earlier or marked replaced'), (tx) =>
      tx.execute(sql`update awards set replaced_by_award_id = null where id = ${world.awardA1}::uuid`),
    );
  });

  it('refuses lengthening an award, or making an ended award open-ended', async () => {
    // a2's award runs 2026-01-01 to 2026-06-30.
    await expectRefused(guard('an award may only be ended earlier or marked replaced'), (tx) =>
      tx.execute(sql`update awards set ends_on = '2026-07-31' where id = ${world.awardA2}::uuid`),
    );
    await expectRefused(guard('an award may only be ended earlier or marked replaced'), (tx) =>
      tx.execute(sql`update awards set ends_on = null where id = ${world.awardA2}::uuid`),
    );
  });

  it("refuses changing an award's amount, frequency or start", async () => {
    await expectRefused(guard('an award may only be ended earlier or marked replaced'), (tx) =>
      tx.execute(sql`update awards set amount = amount + 1 where id = ${world.awardA2}::uuid`),
    );
    await expectRefused(guard('an award may only be ended earlier or marked replaced'), (tx) =>
      tx.execute(sql`update awards set frequency = 'weekly' where id = ${world.awardA2}::uuid`),
    );
    await expectRefused(guard('an award may only be ended earlier or marked replaced'), (tx) =>
      tx.execute(sql`update awards set starts_on = '2026-02-01' where id = ${world.awardA2}::uuid`),
    );
  });

  it('refuses deleting (or truncating) awards', async () => {
    await expectRefused(guard('awards are history: never deleted'), (tx) =>
      tx.execute(sql`delete from awards where id = ${world.awardA2}::uuid`),
    );
    await expectRefused(guard('awards is append-only: TRUNCATE refused'), (tx) => tx.execute(sql`truncate awards`));
  });

  it('accepts ending an award earlier', async () => {
    const before = await awardRow(world.awardA2);
    await committed((tx) =>
      tx.execute(sql`update awards set ends_on = '2026-05-31' where id = ${world.awardA2}::uuid`),
    );
    const after = await awardRow(world.awardA2);
    expect(after).toEqual({ ...before, ends_on: '2026-05-31' });
  });

  // An award marked replaced counts for nothing, so only a correction may replace it: the same holder's award,
  // starting on or before it. Both attempts run in a rolled-back transaction.
  it("refuses marking an award replaced by another holder's award, or by itself (awards_replaced_by_correction)", async () => {
    // a6's award (2026-01-01 onwards, from the concurrency test) is live; a2's award is someone else's.
    const a6Award = (await one<{ id: string }>(sql`select id from awards where member_id = ${a6.memberId}::uuid`)).id;
    const byOther = await refusalOrNull((tx) =>
      tx.execute(sql`update awards set replaced_by_award_id = ${world.awardA2}::uuid where id = ${a6Award}::uuid`),
    );
    const bySelf = await refusalOrNull((tx) =>
      tx.execute(sql`update awards set replaced_by_award_id = id where id = ${a6Award}::uuid`),
    );
    expect(
      { byOtherHoldersAward: byOther !== null, byItself: bySelf !== null },
      'the database accepted marking a live award replaced by an award that does not correct it',
    ).toEqual({ byOtherHoldersAward: true, byItself: true });
    expect(byOther).toMatchObject({ code: '23514', constraint: 'awards_replaced_by_correction' });
    expect(bySelf).toMatchObject({ code: '23514', constraint: 'awards_replaced_by_correction' });
  });

  describe('with co-op B closed through 2025-12-31', () => {
    beforeAll(async () => {
      await expectStatus(
        h.call('POST', `/v1/coops/${coopB.coopId}/periods/close`, {
          token: coopB.treasurerToken,
          body: { through: '2025-12-31', force: true, reason: 'test' },
        }),
        201,
      );
    });

    it('refuses an award starting on or before the closed date (CR001)', async () => {
      const attempt = await expectRefused(closed('2025-12-31'), (tx) =>
        insertAward(tx, { coopId: coopB.coopId, memberId: b2.memberId, startsOn: '2025-12-31' }),
      );
      expect(attempt.detail).toBe('2025-12-31');
      await expectRefused(closed('2025-12-31'), (tx) =>
        insertAward(tx, { coopId: coopB.coopId, memberId: b2.memberId, startsOn: '2025-06-01', endsOn: '2026-03-31' }),
      );
      await acceptedThenRolledBack((tx) =>
        insertAward(tx, { coopId: coopB.coopId, memberId: b2.memberId, startsOn: '2026-01-01' }),
      );
    });

    it('refuses ending an award so that the end reaches into the closed period (CR001)', async () => {
      // b1's award runs from 2025-10-01, open-ended: ending it on 2025-12-30 would take 2025-12-31 away.
      await expectRefused(closed('2025-12-31'), (tx) =>
        tx.execute(sql`update awards set ends_on = '2025-12-30' where id = ${world.awardB1}::uuid`),
      );
      await expectRefused(closed('2025-12-31'), (tx) =>
        tx.execute(sql`update awards set ends_on = '2025-10-01' where id = ${world.awardB1}::uuid`),
      );
      // Marking it replaced would take its closed dates away too: a correction would have to start by 2025-10-01,
      // inside the closed period, and a later award is no correction of it.
      await expectRefused(check('awards_replaced_by_correction'), async (tx) => {
        const id = await insertAward(tx, { coopId: coopB.coopId, memberId: b1.memberId, startsOn: '2026-01-01' });
        await tx.execute(sql`update awards set replaced_by_award_id = ${id}::uuid where id = ${world.awardB1}::uuid`);
      });
      // Ending it on the closed date itself leaves the closed period as it was.
      await acceptedThenRolledBack((tx) =>
        tx.execute(sql`update awards set ends_on = '2025-12-31' where id = ${world.awardB1}::uuid`),
      );
    });

    it('refuses a pool membership joined inside the closed period (CR001)', async () => {
      await expectRefused(closed('2025-12-31'), (tx) =>
        insertMembership(tx, {
          coopId: coopB.coopId,
          poolId: world.poolB,
          memberId: b2.memberId,
          joinedOn: '2025-12-31',
        }),
      );
      await acceptedThenRolledBack((tx) =>
        insertMembership(tx, {
          coopId: coopB.coopId,
          poolId: world.poolB,
          memberId: b2.memberId,
          joinedOn: '2026-01-01',
        }),
      );
    });
  });
});

describe('rule 7: pool memberships are dated history', () => {
  const membershipRow = (id: string) =>
    one<Record<string, unknown>>(sql`select * from pool_memberships where id = ${id}::uuid`);

  it('refuses a left_on without a left_at, and a left_at without a left_on (pool_memberships_left_together)', async () => {
    await expectRefused(check('pool_memberships_left_together'), (tx) =>
      tx.execute(sql`update pool_memberships set left_on = '2026-02-01' where id = ${world.membershipA4}::uuid`),
    );
    await expectRefused(check('pool_memberships_left_together'), (tx) =>
      tx.execute(sql`update pool_memberships set left_at = now() where id = ${world.membershipA4}::uuid`),
    );
  });

  it('refuses leaving before joining (pool_memberships_left_after_joining)', async () => {
    // a4 joined on 2026-01-01.
    await expectRefused(check('pool_memberships_left_after_joining'), (tx) =>
      tx.execute(
        sql`update pool_memberships set left_on = '2025-12-31', left_at = now() where id = ${world.membershipA4}::uuid`,
      ),
    );
  });

  it('accepts leaving, with left_on and left_at together, once; a second UPDATE is refused', async () => {
    const before = await membershipRow(world.membershipA4);
    expect(before.left_on).toBeNull();
    await committed((tx) =>
      tx.execute(
        sql`update pool_memberships set left_on = '2026-02-01', left_at = now() where id = ${world.membershipA4}::uuid`,
      ),
    );
    const left = await membershipRow(world.membershipA4);
    expect(left).toMatchObject({ left_on: '2026-02-01' });
    expect(left.left_at).not.toBeNull();
    await expectRefused(guard('a pool membership may only be ended, once'), (tx) =>
      tx.execute(
        sql`update pool_memberships set left_on = '2026-03-01', left_at = now() where id = ${world.membershipA4}::uuid`,
      ),
    );
    await expectRefused(guard('a pool membership may only be ended, once'), (tx) =>
      tx.execute(
        sql`update pool_memberships set left_on = null, left_at = null where id = ${world.membershipA4}::uuid`,
      ),
    );
    expect(await membershipRow(world.membershipA4)).toEqual(left);
  });

  it('refuses DELETE', async () => {
    await expectRefused(guard('pool memberships are history: never deleted'), (tx) =>
      tx.execute(sql`delete from pool_memberships where id = ${world.membershipA1}::uuid`),
    );
    await expectRefused(guard('pool memberships are history: never deleted'), (tx) =>
      tx.execute(sql`delete from pool_memberships where id = ${world.membershipA4}::uuid`),
    );
  });
  // Nothing references pool_memberships by foreign key, so only its own trigger stops a TRUNCATE erasing every co-op's
  // membership history. Run in a rolled-back transaction, so the tests after it still have their memberships.
  it('refuses TRUNCATE of pool memberships (history is never deleted)', async () => {
    const memberships = Number((await one<{ n: number }>(sql`select count(*)::int as n from pool_memberships`)).n);
    expect(memberships).toBeGreaterThan(0);
    const refusal = await refusalOrNull((tx) => tx.execute(sql`truncate pool_memberships`));
    expect(refusal, 'TRUNCATE pool_memberships was accepted: every membership row was deleted').not.toBeNull();
    expect(refusal!.code).toBe('42501');
  });
});

describe('rule 8: one live invoice per provider and reference (purchases_provider_invoice_live_key, 23505)', () => {
  let first: { id: string; entryId: string };
  const duplicate = (invoiceReference: string) => (tx: Tx) =>
    insertPurchase(tx, {
      coopId: coopA.coopId,
      providerId: world.providerA,
      poolId: world.poolA,
      entryId: world.receiptA3,
      invoiceReference,
    });

  beforeAll(async () => {
    first = await purchase(coopA, world.providerA, world.poolA, 'A-INV-DUP', { [a1.memberId]: '1' });
  });

  it("refuses a second purchase row with the same provider and reference while the first's entry stands", async () => {
    await expectRefused(
      { code: '23505', constraint: 'purchases_provider_invoice_live_key', message: 'A-INV-DUP', atCommit: false },
      duplicate('A-INV-DUP'),
    );
    // Another reference, or the same reference from another provider, is accepted.
    await acceptedThenRolledBack(duplicate('A-INV-DUP-2'));
    await acceptedThenRolledBack((tx) =>
      insertPurchase(tx, {
        coopId: coopB.coopId,
        providerId: world.providerB,
        poolId: world.poolB,
        entryId: world.receiptB1,
        invoiceReference: 'A-INV-DUP',
      }),
    );
  });

  it("accepts the same reference once the first purchase's entry has been reversed", async () => {
    await expectStatus(
      h.call('POST', `/v1/coops/${coopA.coopId}/entries/${first.entryId}/reversal`, {
        token: coopA.treasurerToken,
        body: { reason: 'Invoice keyed with the wrong hours' },
      }),
      201,
    );
    await acceptedThenRolledBack(duplicate('A-INV-DUP'));
    // The corrected invoice, through the API, under its own reference; then it is the live one.
    await purchase(coopA, world.providerA, world.poolA, 'A-INV-DUP', { [a1.memberId]: '2' });
    await expectRefused(
      { code: '23505', constraint: 'purchases_provider_invoice_live_key', atCommit: false },
      duplicate('A-INV-DUP'),
    );
  });
});

describe('rule 9: the statement register only counts forward', () => {
  type RegisterRow = Record<string, unknown> & { id: string; times_issued: number; sha256: string };
  let row: RegisterRow;
  const registerRow = () =>
    one<RegisterRow>(sql`select * from statement_register where kind = 'pool' and subject_id = ${world.poolA}::uuid`);
  const statementUrl = () =>
    `/v1/coops/${coopA.coopId}/statements/pools/${world.poolA}?from=2026-01-01&to=2026-01-31&format=json`;
  const update = (set: SQL) => (tx: Tx) =>
    tx.execute(sql`update statement_register set ${set} where id = ${row.id}::uuid`);
  /** A repeat as the service records it: one more issue, the last time moved on. */
  const repeat = sql`times_issued = times_issued + 1, last_issued_at = last_issued_at + interval '1 minute'`;
  const refusal = guard('a register row only counts a repeat issue');

  beforeAll(async () => {
    await expectStatus(h.call('GET', statementUrl(), { token: coopA.treasurerToken }), 200);
    row = await registerRow();
    expect(Number(row.times_issued)).toBe(1);
  });

  it('accepts a repeat that adds one and moves last_issued_at on (raw SQL, then the API)', async () => {
    await committed(update(repeat));
    const repeated = await registerRow();
    expect(Number(repeated.times_issued)).toBe(2);
    expect(new Date(String(repeated.last_issued_at)).getTime()).toBe(
      new Date(String(row.last_issued_at)).getTime() + 60_000,
    );
    expect({ ...repeated, times_issued: 0, last_issued_at: null }).toEqual({
      ...row,
      times_issued: 0,
      last_issued_at: null,
    });
    // The same download again counts on the same row, through the register's own guard.
    const again = await h.call('GET', statementUrl(), { token: coopA.treasurerToken });
    expect(again.status).toBe(200);
    expect(again.headers['x-statement-sha256']).toBe(row.sha256);
    const counted = await registerRow();
    expect(Number(counted.times_issued)).toBe(3);
    expect(new Date(String(counted.last_issued_at)).getTime()).toBeGreaterThanOrEqual(
      new Date(String(repeated.last_issued_at)).getTime(),
    );
    row = counted;
  });

  it('refuses changing the SHA-256 of a document issued', async () => {
    await expectRefused(refusal, update(sql`${repeat}, sha256 = ${randomBytes(32).toString('hex')}`));
  });

  it('refuses changing its kind', async () => {
    await expectRefused(refusal, update(sql`${repeat}, kind = 'holder'`));
  });

  it('refuses changing its subject', async () => {
    await expectRefused(refusal, update(sql`${repeat}, subject_id = ${world.poolB}::uuid`));
  });

  it('refuses changing first_issued_at', async () => {
    await expectRefused(refusal, update(sql`${repeat}, first_issued_at = first_issued_at - interval '1 day'`));
  });

  it('refuses adding two (or none) to times_issued', async () => {
    await expectRefused(
      refusal,
      update(sql`times_issued = times_issued + 2, last_issued_at = last_issued_at + interval '1 minute'`),
    );
    await expectRefused(refusal, update(sql`last_issued_at = last_issued_at + interval '1 minute'`));
  });

  it('refuses moving last_issued_at back', async () => {
    await expectRefused(
      refusal,
      update(sql`times_issued = times_issued + 1, last_issued_at = last_issued_at - interval '1 second'`),
    );
  });

  it('refuses DELETE', async () => {
    await expectRefused(guard('the statement register is append-only'), (tx) =>
      tx.execute(sql`delete from statement_register where id = ${row.id}::uuid`),
    );
  });

  it('refuses TRUNCATE', async () => {
    await expectRefused(guard('statement_register is append-only: TRUNCATE refused'), (tx) =>
      tx.execute(sql`truncate statement_register`),
    );
  });
});
