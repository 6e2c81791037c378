import { and, asc, eq, gte, lte, sql } from 'drizzle-orm';
import { allocationInputs, allocationRecords, sharedCosts } from '../../../db/schema/index';
import { type Queryable, rowsOf } from '../../db/database';
import { renderCsv } from '../../domain/csv';
import { moneyFromDb } from '../../domain/money';
import { POOL_STATEMENT_CSV_COLUMNS, buildPoolStatement } from '../../domain/statements/pool-statement';
import type { UseCaseContext } from '../context';
import { requirePool } from '../lookups';
import type { Language } from '../../domain/statements/wording';
import { recordIssued } from './issued';
import { checkPeriod } from './period';
import { WORDING } from './wording';

/** A pool statement (treasurers) as JSON or CSV, recorded with its SHA-256. Raises `not-found`, `unprocessable`. */
export async function issuePoolStatement(
  context: UseCaseContext,
  coopId: string,
  poolId: string,
  request: { from: string; to: string; format: 'json' | 'csv' | 'pdf'; language?: Language | undefined },
) {
  checkPeriod(request.from, request.to);
  const statement = await context.database.read(async (db) => {
    const pool = await requirePool(db, coopId, poolId);
    return buildPoolStatement({
      pool: { id: pool.id, name: pool.name, code: pool.code },
      period: { from: request.from, to: request.to },
      ...(await poolFigures(db, poolId, request.from, request.to)),
    });
  });
  const { csvRows, ...json } = statement;
  const language: Language = request.language ?? 'en';
  const bytes =
    request.format === 'pdf'
      ? await context.pdf.render({ kind: 'pool', statement: json, wording: WORDING[language], language })
      : Buffer.from(
          request.format === 'csv' ? renderCsv(POOL_STATEMENT_CSV_COLUMNS, csvRows) : JSON.stringify(json),
          'utf8',
        );
  return recordIssued(
    context,
    { coopId, kind: 'pool', subjectId: poolId, from: request.from, to: request.to, format: request.format, language },
    bytes,
  );
}

async function poolFigures(db: Queryable, poolId: string, from: string, to: string) {
  // Member money in each share, by what moved it (a reversal counts as the kind of entry it reverses).
  const shares = rowsOf<{
    memberId: string;
    name: string;
    laReference: string;
    opening: string;
    contributions: string;
    withdrawals: string;
    sharedCosts: string;
    purchases: string;
    closing: string;
  }>(
    await db.execute(sql`
      select m.id as "memberId", m.name, coalesce(m.la_reference, '') as "laReference",
             coalesce(f.opening, 0)::text as opening, coalesce(f.contributions, 0)::text as contributions,
             coalesce(f.withdrawals, 0)::text as withdrawals, coalesce(f.shared_costs, 0)::text as "sharedCosts",
             coalesce(f.purchases, 0)::text as purchases, coalesce(f.closing, 0)::text as closing
        from accounts a
        join members m on m.id = a.member_id
        left join (
          select p.account_id,
                 sum(-p.amount) filter (where e.value_date < ${from}::date) as opening,
                 sum(-p.amount) filter (where e.value_date >= ${from}::date and coalesce(o.kind, e.kind) = 'pool_contribution') as contributions,
                 sum(p.amount) filter (where e.value_date >= ${from}::date and coalesce(o.kind, e.kind) = 'pool_withdrawal') as withdrawals,
                 sum(p.amount) filter (where e.value_date >= ${from}::date and coalesce(o.kind, e.kind) = 'shared_cost') as shared_costs,
                 sum(p.amount) filter (where e.value_date >= ${from}::date and coalesce(o.kind, e.kind) = 'purchase') as purchases,
                 sum(-p.amount) as closing
            from postings p
            join journal_entries e on e.id = p.entry_id
            left join journal_entries o on o.id = e.reverses_entry_id
           where e.value_date <= ${to}::date
             and p.account_id in (select id from accounts where pool_id = ${poolId}::uuid and kind = 'pool_share')
           group by p.account_id
        ) f on f.account_id = a.id
       where a.pool_id = ${poolId}::uuid and a.kind = 'pool_share'
       order by m.la_reference`),
  );
  const costs = await db
    .select({
      entryId: sharedCosts.entryId,
      date: sharedCosts.costDate,
      category: sharedCosts.category,
      description: sharedCosts.description,
      total: sharedCosts.amount,
      method: allocationRecords.method,
      memberCount: sql<number>`(select count(*) from ${allocationInputs} ai where ai.entry_id = ${sharedCosts.entryId})::int`,
    })
    .from(sharedCosts)
    .innerJoin(allocationRecords, eq(allocationRecords.entryId, sharedCosts.entryId))
    .where(and(eq(sharedCosts.poolId, poolId), gte(sharedCosts.costDate, from), lte(sharedCosts.costDate, to)))
    .orderBy(asc(sharedCosts.costDate), asc(sharedCosts.entryId));
  const purchases = rowsOf<{
    purchaseId: string;
    providerName: string;
    invoiceReference: string;
    invoiceDate: string;
    total: string;
    individualRateTotal: string;
    paid: string;
    reversed: boolean;
  }>(
    await db.execute(sql`
      select pu.id as "purchaseId", pr.name as "providerName", pu.invoice_reference as "invoiceReference", pu.invoice_date::text as "invoiceDate",
             pu.total::text as total, pu.individual_rate_total::text as "individualRateTotal",
             coalesce((select sum(pp.amount) from provider_payments pp
                        where pp.purchase_id = pu.id and pp.paid_on <= ${to}::date
                          and not exists (select 1 from journal_entries r where r.reverses_entry_id = pp.entry_id)), 0)::text as paid,
             exists (select 1 from journal_entries r where r.reverses_entry_id = pu.entry_id) as reversed
        from purchases pu join providers pr on pr.id = pu.provider_id
       where pu.pool_id = ${poolId}::uuid and pu.invoice_date <= ${to}::date
       order by pu.invoice_date, pu.id`),
  );
  const payments = rowsOf<{ date: string; providerName: string; invoiceReference: string; amount: string }>(
    await db.execute(sql`
      select pp.paid_on::text as date, pr.name as "providerName", pu.invoice_reference as "invoiceReference", pp.amount::text as amount
        from provider_payments pp join purchases pu on pu.id = pp.purchase_id join providers pr on pr.id = pu.provider_id
       where pu.pool_id = ${poolId}::uuid and pp.paid_on between ${from}::date and ${to}::date
       order by pp.paid_on, pp.id`),
  );
  const live = purchases.filter((p) => !p.reversed);
  return {
    shares: shares.map((s) => ({
      ...s,
      opening: moneyFromDb(s.opening),
      contributions: moneyFromDb(s.contributions),
      withdrawals: moneyFromDb(s.withdrawals),
      sharedCosts: moneyFromDb(s.sharedCosts),
      purchases: moneyFromDb(s.purchases),
      closing: moneyFromDb(s.closing),
    })),
    costs: costs.map((c) => ({ ...c, total: moneyFromDb(c.total), memberCount: Number(c.memberCount) })),
    purchases: live
      .filter((p) => p.invoiceDate >= from)
      .map((p) => ({ ...p, total: moneyFromDb(p.total), individualRateTotal: moneyFromDb(p.individualRateTotal) })),
    payments: payments.map((p) => ({ ...p, amount: moneyFromDb(p.amount) })),
    unpaid: live
      .map((p) => ({
        purchaseId: p.purchaseId,
        providerName: p.providerName,
        invoiceReference: p.invoiceReference,
        invoiceDate: p.invoiceDate,
        total: moneyFromDb(p.total),
        outstanding: moneyFromDb(p.total).minus(moneyFromDb(p.paid)),
      }))
      .filter((u) => u.outstanding.gt(0)),
  };
}
