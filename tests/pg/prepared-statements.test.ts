import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowShape, rowsOf } from '../../src/db/database';
import { type TestDatabase, openTestDatabase } from '../support/database';

/**
 * On PostgreSQL the service's queries are prepared once per connection and then only bound and run, instead of being
 * parsed and planned again every time; bulk statements with many parameters are not kept.
 */
let t: TestDatabase;

beforeAll(async () => {
  expect(process.env.TEST_DATABASE_URL, 'tests/pg runs only against a PostgreSQL server').toBeTruthy();
  t = await openTestDatabase(1);
});
afterAll(async () => t.close());

/** A query text no other test sends, so that this connection's prepared statements can be told apart. */
const CountRow = rowShape('prepared statement count', { count: z.number().int() });
const marker = () => `probe_${randomBytes(6).toString('hex')}`;

describe('prepared statements', () => {
  it('prepares a query the first time and runs it again without preparing it anew, in a transaction too', async () => {
    const name = marker();
    const probe = (n: number) => sql`select ${n}::int + 1 as ${sql.identifier(name)}`;
    const ProbeRow = rowShape('probe', { [name]: z.number().int() });
    const results: number[] = [];
    await t.database.transaction(async (tx) => {
      for (const n of [1, 2, 3]) results.push(Number(rowsOf(ProbeRow, await tx.execute(probe(n)))[0]![name]));
    });
    for (const n of [4, 5])
      results.push(Number(rowsOf(ProbeRow, await t.database.read((db) => db.execute(probe(n))))[0]![name]));
    expect(results).toEqual([2, 3, 4, 5, 6]);
    // One connection (pool of 1): its prepared statements are visible to it.
    const prepared = rowsOf(
      CountRow,
      await t.database.read((db) =>
        db.execute(sql`select count(*)::int as count from pg_prepared_statements where statement like ${`%${name}%`}`),
      ),
    );
    expect(prepared[0]!.count).toBe(1);
  });

  it('does not keep a bulk statement with hundreds of parameters', async () => {
    const name = marker();
    const values = Array.from({ length: 300 }, (_, i) => i);
    const rows = rowsOf(
      rowShape('bulk total', { total: z.number().int() }),
      await t.database.read((db) =>
        db.execute(
          sql`select (${sql.join(
            values.map((v) => sql`${v}::int`),
            sql` + `,
          )}) as ${sql.identifier(name)}, 1 as total`,
        ),
      ),
    );
    expect(rows).toHaveLength(1);
    const prepared = rowsOf(
      CountRow,
      await t.database.read((db) =>
        db.execute(sql`select count(*)::int as count from pg_prepared_statements where statement like ${`%${name}%`}`),
      ),
    );
    expect(prepared[0]!.count).toBe(0);
  });
});
