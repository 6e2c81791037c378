import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { sql } from 'drizzle-orm';
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
  expectLedgerConsistent,
  joinPool,
  receive,
} from '../support/fixtures';
import type { MemberBalance, PoolBalance } from '../support/api';
import { only } from '../support/assert';
import { type TypedHarness, createHarness } from '../support/harness';

/**
 * The ledger's rules hold in the database itself: each test goes around the application with raw SQL, tries to
 * break one rule, expects the database to refuse (by the specific trigger or constraint), and checks that nothing
 * changed — no entry, posting or audit row added, no cached balance moved, the API reporting the same figures.
 */

let h: TypedHarness;
let coopA: CoopFixture;
let coopB: CoopFixture;
let a1: HolderFixture;
let a2: HolderFixture;
let b1: HolderFixture;
let poolId: string;
/** Account ids by role. */
const acct = {} as {
  bankA: string;
  fundsA1: string;
  shareA1: string;
  fundsA2: string;
  shareA2: string;
  bankB: string;
  fundsB1: string;
};
/** The raw-SQL "actor": a real token, as journal_entries.created_by_token_id must name one. */
let ACTOR: string;

beforeAll(async () => {
  h = await createHarness();
  ACTOR = (await h.db.one<{ id: string }>(sql`select id from tokens order by created_at limit 1`)).id;
  coopA = await createCoop(h);
  coopB = await createCoop(h);
  a1 = await createHolder(h, coopA);
  a2 = await createHolder(h, coopA, { name: 'Gwenllian Ŵyn' });
  b1 = await createHolder(h, coopB);
  await receive(h, coopA, a1.memberId, '100.00');
  await receive(h, coopA, a2.memberId, '50.00');
  await receive(h, coopB, b1.memberId, '70.00');
  const pool = await createPool(h, coopA);
  poolId = pool.id;
  await joinPool(h, coopA, poolId, a1.memberId);
  await joinPool(h, coopA, poolId, a2.memberId);
  expect((await contribute(h, coopA, poolId, a1.memberId, '40.00')).status).toBe(201);
  expect((await contribute(h, coopA, poolId, a2.memberId, '20.00')).status).toBe(201);

  const rows = await h.db.database.read(async (db) =>
    rowsOf(
      rowShape('account', {
        id: z.string(),
        coop_id: z.string(),
        kind: z.string(),
        member_id: z.string().nullable(),
        pool_id: z.string().nullable(),
      }),
      await db.execute(sql`select id, coop_id, kind, member_id, pool_id from accounts`),
    ),
  );
  const find = (predicate: (r: (typeof rows)[number]) => boolean) => only(rows.filter(predicate), 'account').id;
  acct.bankA = find((r) => r.coop_id === coopA.coopId && r.kind === 'bank');
  acct.bankB = find((r) => r.coop_id === coopB.coopId && r.kind === 'bank');
  acct.fundsA1 = find((r) => r.kind === 'holder_funds' && r.member_id === a1.memberId);
  acct.fundsA2 = find((r) => r.kind === 'holder_funds' && r.member_id === a2.memberId);
  acct.fundsB1 = find((r) => r.kind === 'holder_funds' && r.member_id === b1.memberId);
  acct.shareA1 = find((r) => r.kind === 'pool_share' && r.member_id === a1.memberId && r.pool_id === poolId);
  acct.shareA2 = find((r) => r.kind === 'pool_share' && r.member_id === a2.memberId && r.pool_id === poolId);
});
afterAll(async () => h.close());

// ---------------------------------------------------------------------------------------------------------------
// helpers

const IdRow = rowShape('id', { id: z.string() });

function insertEntry(tx: Tx, entryId: string, coopId: string, valueDate = '2026-01-10') {
  return tx.execute(sql`
    insert into journal_entries (id, coop_id, kind, value_date, memo, created_by_token_id)
    values (${entryId}::uuid, ${coopId}::uuid, 'dp_receipt', ${valueDate}::date, 'raw SQL attempt', ${ACTOR}::uuid)`);
}

function insertPosting(tx: Tx, entryId: string, accountId: string, amount: string, memberId: string | null = null) {
  return tx.execute(sql`
    insert into postings (entry_id, account_id, member_id, amount)
    values (${entryId}::uuid, ${accountId}::uuid, ${memberId}::uuid, ${amount}::numeric)`);
}

interface Snapshot {
  counts: { entries: number; postings: number; audit: number };
  balances: Record<string, string>;
  api: { a1: MemberBalance; a2: MemberBalance; b1: MemberBalance; pool: PoolBalance };
}

async function snapshot(): Promise<Snapshot> {
  const { counts, balances } = await h.db.database.read(async (db) => {
    const [countRow] = rowsOf(
      rowShape('counts', { entries: z.number().int(), postings: z.number().int(), audit: z.number().int() }),
      await db.execute(sql`
        select (select count(*)::int from journal_entries) as entries,
               (select count(*)::int from postings) as postings,
               (select count(*)::int from audit_log) as audit`),
    );
    const balanceRows = rowsOf(
      rowShape('balance', { id: z.string(), balance: z.string() }),
      await db.execute(sql`select id, balance::text as balance from accounts order by id`),
    );
    return { counts: countRow!, balances: Object.fromEntries(balanceRows.map((r) => [r.id, r.balance])) };
  });
  const balanceOf = async (coop: CoopFixture, memberId: string) => {
    const res = await h.call<MemberBalance>('GET', `/v1/coops/${coop.coopId}/members/${memberId}/balance`, {
      token: coop.treasurerToken,
    });
    expect(res.status).toBe(200);
    return res.body;
  };
  const pool = await h.call<PoolBalance>('GET', `/v1/coops/${coopA.coopId}/pools/${poolId}/balance`, {
    token: coopA.treasurerToken,
  });
  expect(pool.status).toBe(200);
  return {
    counts: { entries: Number(counts.entries), postings: Number(counts.postings), audit: Number(counts.audit) },
    balances,
    api: {
      a1: await balanceOf(coopA, a1.memberId),
      a2: await balanceOf(coopA, a2.memberId),
      b1: await balanceOf(coopB, b1.memberId),
      pool: pool.body,
    },
  };
}

/** Runs `work` in a transaction that must be refused; returns the PostgreSQL error and whether `work` itself finished. */
async function refused(
  work: (tx: Tx) => Promise<unknown>,
): Promise<PgErrorInfo & { message: string; workFinished: boolean }> {
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
  expect(info, `not a PostgreSQL error: ${String(error)}`).not.toBeNull();
  return { ...info!, message: messageOf(error), workFinished };
}

function messageOf(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth += 1) {
    parts.push(String((current as { message?: unknown }).message ?? ''));
    current = (current as { cause?: unknown }).cause;
  }
  return parts.join(' | ');
}

/** Asserts that a refused attempt left the ledger exactly as it was, and still consistent. */
async function expectUnchanged(before: Snapshot): Promise<void> {
  expect(await snapshot()).toEqual(before);
  await expectLedgerConsistent(h);
}

// ---------------------------------------------------------------------------------------------------------------

describe('the set-up the attempts start from', () => {
  it('has the balances the API produced', async () => {
    const s = await snapshot();
    expect(s.balances[acct.fundsA1]).toBe('-60.00');
    expect(s.balances[acct.shareA1]).toBe('-40.00');
    expect(s.balances[acct.fundsA2]).toBe('-30.00');
    expect(s.balances[acct.shareA2]).toBe('-20.00');
    expect(s.balances[acct.bankA]).toBe('150.00');
    expect(s.balances[acct.bankB]).toBe('70.00');
    expect(s.balances[acct.fundsB1]).toBe('-70.00');
    expect(s.api.a1).toMatchObject({ funds: '60.00', total: '100.00' });
  });

  it('accepts a balanced raw-SQL entry on its own co-op within funds (so the refusals below are the rules, not bad SQL)', async () => {
    const before = await snapshot();
    const entryId = randomUUID();
    await h.db.database.transaction(async (tx) => {
      await insertEntry(tx, entryId, coopA.coopId);
      await insertPosting(tx, entryId, acct.bankA, '5.00');
      await insertPosting(tx, entryId, acct.fundsA1, '-5.00', a1.memberId);
    });
    const after = await snapshot();
    expect(after.counts).toEqual({
      ...before.counts,
      entries: before.counts.entries + 1,
      postings: before.counts.postings + 2,
    });
    expect(after.balances[acct.bankA]).toBe('155.00');
    expect(after.balances[acct.fundsA1]).toBe('-65.00');
    expect(after.api.a1).toMatchObject({ funds: '65.00', total: '105.00' });
    await expectLedgerConsistent(h);
  });
});

describe('rule 1: every entry balances to the penny (deferred constraint trigger)', () => {
  it('refuses, at commit, an entry whose postings are off by one penny', async () => {
    const before = await snapshot();
    const entryId = randomUUID();
    const error = await refused(async (tx) => {
      await insertEntry(tx, entryId, coopA.coopId);
      await insertPosting(tx, entryId, acct.bankA, '10.00');
      await insertPosting(tx, entryId, acct.fundsA1, '-9.99', a1.memberId);
    });
    // Every statement ran: the check waited for the commit.
    expect(error.workFinished).toBe(true);
    expect(error.code).toBe('23514');
    expect(error.constraint).toBe('journal_entry_balanced');
    await expectUnchanged(before);
  });

  it('refuses an unbalanced entry even when its postings come before the entry row in the transaction', async () => {
    const before = await snapshot();
    const entryId = randomUUID();
    const error = await refused(async (tx) => {
      // Postings first: the foreign key to journal_entries is not deferrable, so insert the entry in the same statement.
      await tx.execute(sql`
        with e as (
          insert into journal_entries (id, coop_id, kind, value_date, memo, created_by_token_id)
          values (${entryId}::uuid, ${coopA.coopId}::uuid, 'dp_receipt', '2026-01-10', 'raw SQL attempt', ${ACTOR}::uuid)
        )
        insert into postings (entry_id, account_id, member_id, amount)
        values (${entryId}::uuid, ${acct.bankA}::uuid, null, 20.00), (${entryId}::uuid, ${acct.fundsA1}::uuid, ${a1.memberId}::uuid, -20.01)`);
    });
    expect(error.workFinished).toBe(true);
    expect(error.code).toBe('23514');
    expect(error.constraint).toBe('journal_entry_balanced');
    await expectUnchanged(before);
  });

  it('refuses an entry with no postings', async () => {
    const before = await snapshot();
    const error = await refused(async (tx) => {
      await insertEntry(tx, randomUUID(), coopA.coopId);
    });
    expect(error.workFinished).toBe(true);
    expect(error.code).toBe('23514');
    expect(error.constraint).toBe('journal_entry_balanced');
    await expectUnchanged(before);
  });

  it('refuses an entry with a single posting', async () => {
    const before = await snapshot();
    const error = await refused(async (tx) => {
      const entryId = randomUUID();
      await insertEntry(tx, entryId, coopA.coopId);
      await insertPosting(tx, entryId, acct.bankA, '1.00');
    });
    expect(error.code).toBe('23514');
    expect(error.constraint).toBe('journal_entry_balanced');
    await expectUnchanged(before);
  });

  it('refuses a posting of zero', async () => {
    const before = await snapshot();
    const error = await refused(async (tx) => {
      const entryId = randomUUID();
      await insertEntry(tx, entryId, coopA.coopId);
      await insertPosting(tx, entryId, acct.bankA, '0.00');
      await insertPosting(tx, entryId, acct.fundsA1, '0.00', a1.memberId);
    });
    expect(error.code).toBe('23514');
    expect(error.constraint).toBe('postings_amount_not_zero');
    await expectUnchanged(before);
  });

  it('refuses new postings added to an entry that was already committed (that would edit it)', async () => {
    const before = await snapshot();
    const [existing] = await h.db.database.read(async (db) =>
      rowsOf(
        IdRow,
        await db.execute(
          sql`select id from journal_entries where coop_id = ${coopA.coopId}::uuid and kind = 'dp_receipt' order by id limit 1`,
        ),
      ),
    );
    expect(existing).toBeDefined();
    // A balanced pair on an old receipt would quietly turn "received £100" into "received £60" after the fact.
    const error = await refused(async (tx) => {
      await insertPosting(tx, existing!.id, acct.bankA, '-40.00');
      await insertPosting(tx, existing!.id, acct.fundsA1, '40.00', a1.memberId);
    });
    expect(error.code).toMatch(/^(23514|42501)$/);
    await expectUnchanged(before);
  });
});

describe('rule 3: entries and postings are append-only', () => {
  const someEntryId = async () => {
    const [row] = await h.db.database.read(async (db) =>
      rowsOf(
        IdRow,
        await db.execute(sql`select id from journal_entries where coop_id = ${coopA.coopId}::uuid order by id limit 1`),
      ),
    );
    return row!.id;
  };

  it('refuses UPDATE of a journal entry', async () => {
    const before = await snapshot();
    const entryId = await someEntryId();
    const error = await refused((tx) =>
      tx.execute(
        sql`update journal_entries set memo = 'edited', value_date = '2025-12-01' where id = ${entryId}::uuid`,
      ),
    );
    expect(error.code).toBe('42501');
    expect(error.message).toContain('append-only');
    await expectUnchanged(before);
  });

  it('refuses UPDATE of every journal entry at once, even a no-op', async () => {
    const before = await snapshot();
    const error = await refused((tx) => tx.execute(sql`update journal_entries set memo = memo`));
    expect(error.code).toBe('42501');
    await expectUnchanged(before);
  });

  it('refuses DELETE of a journal entry (by the trigger, before any foreign key)', async () => {
    const before = await snapshot();
    const entryId = await someEntryId();
    const error = await refused((tx) => tx.execute(sql`delete from journal_entries where id = ${entryId}::uuid`));
    expect(error.code).toBe('42501');
    await expectUnchanged(before);
  });

  it('refuses UPDATE of a posting amount, even one that keeps the entry balanced', async () => {
    const before = await snapshot();
    const entryId = await someEntryId();
    const error = await refused((tx) =>
      tx.execute(sql`update postings set amount = amount * 2 where entry_id = ${entryId}::uuid`),
    );
    expect(error.code).toBe('42501');
    expect(error.message).toContain('append-only');
    await expectUnchanged(before);
  });

  it('refuses UPDATE that moves a posting to another account', async () => {
    const before = await snapshot();
    const error = await refused((tx) =>
      tx.execute(
        sql`update postings set account_id = ${acct.fundsA2}::uuid, member_id = ${a2.memberId}::uuid where account_id = ${acct.fundsA1}::uuid`,
      ),
    );
    expect(error.code).toBe('42501');
    await expectUnchanged(before);
  });

  it('refuses DELETE of postings', async () => {
    const before = await snapshot();
    const error = await refused((tx) => tx.execute(sql`delete from postings where account_id = ${acct.shareA1}::uuid`));
    expect(error.code).toBe('42501');
    await expectUnchanged(before);
  });

  it('refuses TRUNCATE of postings', async () => {
    const before = await snapshot();
    const error = await refused((tx) => tx.execute(sql`truncate postings`));
    expect(error.code).toBe('42501');
    await expectUnchanged(before);
  });

  it('refuses TRUNCATE of journal entries, even with CASCADE', async () => {
    const before = await snapshot();
    const error = await refused((tx) => tx.execute(sql`truncate journal_entries cascade`));
    expect(error.code).toBe('42501');
    await expectUnchanged(before);
  });
});

describe('rule 5: cached balances move only with postings', () => {
  it('refuses a direct UPDATE of a holder funds balance', async () => {
    const before = await snapshot();
    const error = await refused((tx) =>
      tx.execute(sql`update accounts set balance = balance - 1000 where id = ${acct.fundsA1}::uuid`),
    );
    expect(error.code).toBe('42501');
    expect(error.message).toContain('derived from postings');
    await expectUnchanged(before);
  });

  it('refuses a direct UPDATE of the bank balance, and of every balance at once', async () => {
    const before = await snapshot();
    const bank = await refused((tx) => tx.execute(sql`update accounts set balance = 0 where id = ${acct.bankA}::uuid`));
    expect(bank.code).toBe('42501');
    const all = await refused((tx) => tx.execute(sql`update accounts set balance = 0`));
    expect(all.code).toBe('42501');
    await expectUnchanged(before);
  });

  it('refuses deleting an account', async () => {
    const before = await snapshot();
    const error = await refused((tx) => tx.execute(sql`delete from accounts where id = ${acct.fundsB1}::uuid`));
    expect(error.code).toBe('42501');
    await expectUnchanged(before);
  });
});

describe('rule 2: no holder funds or pool share below zero (CHECK on the cached balance)', () => {
  const available = async (accountId: string) => {
    const s = await snapshot();
    // Debit-positive: what the member has is the negated balance.
    return { s, cents: -Math.round(Number(s.balances[accountId]) * 100) };
  };
  const money = (cents: number) => (cents / 100).toFixed(2);

  it('refuses a balanced entry that moves one penny more than a holder has in funds', async () => {
    const { s: before, cents } = await available(acct.fundsA1);
    expect(cents).toBeGreaterThan(0);
    const error = await refused(async (tx) => {
      const entryId = randomUUID();
      await insertEntry(tx, entryId, coopA.coopId);
      // funds → pool share: the funds trigger-update takes the funds account above zero (overdrawn).
      await insertPosting(tx, entryId, acct.fundsA1, money(cents + 1), a1.memberId);
      await insertPosting(tx, entryId, acct.shareA1, `-${money(cents + 1)}`, a1.memberId);
    });
    expect(error.code).toBe('23514');
    expect(error.constraint).toBe('accounts_member_money_not_overdrawn');
    // Refused at the statement itself, not at commit.
    expect(error.workFinished).toBe(false);
    await expectUnchanged(before);
  });

  it('refuses a balanced entry that takes a pool share below zero', async () => {
    const { s: before, cents } = await available(acct.shareA2);
    expect(cents).toBe(2000);
    const error = await refused(async (tx) => {
      const entryId = randomUUID();
      await insertEntry(tx, entryId, coopA.coopId);
      await insertPosting(tx, entryId, acct.shareA2, '20.01', a2.memberId);
      await insertPosting(tx, entryId, acct.bankA, '-20.01');
    });
    expect(error.code).toBe('23514');
    expect(error.constraint).toBe('accounts_member_money_not_overdrawn');
    await expectUnchanged(before);
  });

  it('refuses a shared charge whole when it would overdraw just one member', async () => {
    const before = await snapshot();
    const error = await refused(async (tx) => {
      const entryId = randomUUID();
      await insertEntry(tx, entryId, coopA.coopId);
      await insertPosting(tx, entryId, acct.shareA1, '10.00', a1.memberId); // affordable
      await insertPosting(tx, entryId, acct.shareA2, '25.00', a2.memberId); // a2 has 20.00
      await insertPosting(tx, entryId, acct.bankA, '-35.00');
    });
    expect(error.code).toBe('23514');
    expect(error.constraint).toBe('accounts_member_money_not_overdrawn');
    await expectUnchanged(before);
  });

  it('refuses even when a later posting in the same statement would bring the balance back', async () => {
    const before = await snapshot();
    const error = await refused(async (tx) => {
      const entryId = randomUUID();
      await insertEntry(tx, entryId, coopA.coopId);
      await tx.execute(sql`
        insert into postings (entry_id, account_id, member_id, amount)
        values (${entryId}::uuid, ${acct.shareA2}::uuid, ${a2.memberId}::uuid, 500.00),
               (${entryId}::uuid, ${acct.shareA2}::uuid, ${a2.memberId}::uuid, -500.00)`);
    });
    expect(error.code).toBe('23514');
    expect(error.constraint).toBe('accounts_member_money_not_overdrawn');
    await expectUnchanged(before);
  });

  it('accepts moving exactly what a holder has, to the penny, leaving 0.00', async () => {
    const { s: before, cents } = await available(acct.fundsA2);
    expect(cents).toBe(3000);
    const entryId = randomUUID();
    await h.db.database.transaction(async (tx) => {
      await insertEntry(tx, entryId, coopA.coopId);
      await insertPosting(tx, entryId, acct.fundsA2, money(cents), a2.memberId);
      await insertPosting(tx, entryId, acct.shareA2, `-${money(cents)}`, a2.memberId);
    });
    const after = await snapshot();
    expect(after.balances[acct.fundsA2]).toBe('0.00');
    expect(after.balances[acct.shareA2]).toBe('-50.00');
    expect(after.api.a2).toMatchObject({ funds: '0.00', total: '50.00' });
    expect(after.counts.entries).toBe(before.counts.entries + 1);
    await expectLedgerConsistent(h);

    // And now one penny more is refused.
    const error = await refused(async (tx) => {
      const next = randomUUID();
      await insertEntry(tx, next, coopA.coopId);
      await insertPosting(tx, next, acct.fundsA2, '0.01', a2.memberId);
      await insertPosting(tx, next, acct.shareA2, '-0.01', a2.memberId);
    });
    expect(error.constraint).toBe('accounts_member_money_not_overdrawn');
    await expectUnchanged(after);
  });
});

describe("rule 1: an entry posts only to its own co-op's accounts", () => {
  it("refuses a balanced entry that posts to another co-op's holder funds", async () => {
    const before = await snapshot();
    const error = await refused(async (tx) => {
      const entryId = randomUUID();
      await insertEntry(tx, entryId, coopA.coopId);
      await insertPosting(tx, entryId, acct.bankA, '10.00');
      await insertPosting(tx, entryId, acct.fundsB1, '-10.00', b1.memberId);
    });
    expect(error.workFinished).toBe(true);
    expect(error.code).toBe('23514');
    expect(error.constraint).toBe('journal_entry_single_coop');
    await expectUnchanged(before);
  });

  it("refuses an entry of one co-op whose postings are all on another co-op's accounts", async () => {
    const before = await snapshot();
    const error = await refused(async (tx) => {
      const entryId = randomUUID();
      await insertEntry(tx, entryId, coopA.coopId);
      await insertPosting(tx, entryId, acct.bankB, '10.00');
      await insertPosting(tx, entryId, acct.fundsB1, '-10.00', b1.memberId);
    });
    expect(error.code).toBe('23514');
    expect(error.constraint).toBe('journal_entry_single_coop');
    await expectUnchanged(before);
  });

  it("refuses taking money from another co-op's holder into this co-op's pool", async () => {
    const before = await snapshot();
    const error = await refused(async (tx) => {
      const entryId = randomUUID();
      await insertEntry(tx, entryId, coopA.coopId);
      await insertPosting(tx, entryId, acct.fundsB1, '5.00', b1.memberId);
      await insertPosting(tx, entryId, acct.shareA1, '-5.00', a1.memberId);
    });
    expect(error.code).toBe('23514');
    expect(error.constraint).toBe('journal_entry_single_coop');
    await expectUnchanged(before);
  });
});
