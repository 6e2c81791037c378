import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { type Queryable, rowShape, rowsOf } from '../../db/database';
import { notFound } from '../../domain/errors';
import { statementFileName } from '../../domain/statements/file-name';
import type { Language } from '../../domain/statements/wording';
import type { UseCaseContext } from '../context';
import { memberMoneyOutSql, memberMoneySql } from '../ledger/queries';
import { findCoop, requirePool } from '../lookups';
import { recordIssued } from './issued';
import { type IssueOptions, type StatementDownload, type StatementRequest, checkPeriod } from './period';
import { WORDING } from './wording';

/**
 * A pool statement (treasurers) as JSON, CSV or PDF, recorded with its SHA-256. Built on a render thread: a pool may
 * have thousands of members. Raises `not-found`, `unprocessable`.
 */
export async function issuePoolStatement(
  context: UseCaseContext,
  coopId: string,
  poolId: string,
  request: StatementRequest,
  options: IssueOptions = { record: true },
): Promise<StatementDownload> {
  checkPeriod(request.from, request.to);
  const language: Language = request.language ?? 'en';
  const { pool, coop, figures } = await context.database.read(async (db) => {
    const pool = await requirePool(db, coopId, poolId);
    const coop = await findCoop(db, coopId);
    if (!coop) throw notFound('Co-op');
    return { pool, coop, figures: await poolFigures(db, poolId, request.from, request.to) };
  });
  const bytes = await context.pdf.render({
    kind: 'pool',
    format: request.format,
    figures,
    statement: {
      pool: { id: pool.id, name: language === 'cy' && pool.nameCy ? pool.nameCy : pool.name, code: pool.code },
      coop: { name: language === 'cy' && coop.nameCy ? coop.nameCy : coop.name },
      period: { from: request.from, to: request.to },
      language,
      wording: WORDING[language],
    },
  });
  const issued = await recordIssued(
    context,
    { coopId, kind: 'pool', subjectId: poolId, from: request.from, to: request.to, format: request.format, language },
    bytes,
    options,
  );
  return { ...issued, fileName: statementFileName(['pool-statement', pool.code], request, language) };
}

/**
 * The pool's figures as one JSON text written by the database (`PoolStatementFigures`): one snapshot, and nothing
 * parsed on the serving thread. Each share's money by what moved it (a reversal counts as the kind of entry it
 * reverses); costs with their split; purchases invoiced by the period's end, with what was paid by then.
 */
async function poolFigures(db: Queryable, poolId: string, from: string, to: string): Promise<string> {
  const credit = memberMoneySql(sql`p.amount`);
  const debit = memberMoneyOutSql(sql`p.amount`);
  const [row] = rowsOf(
    rowShape('pool statement figures', { figures: z.string() }),
    await db.execute(sql`
      select json_build_object(
        'shares', (select coalesce(json_agg(json_build_object(
                      'memberId', m.id, 'name', m.name, 'laReference', coalesce(m.la_reference, ''),
                      'opening', coalesce(f.opening, 0)::text, 'contributions', coalesce(f.contributions, 0)::text,
                      'withdrawals', coalesce(f.withdrawals, 0)::text, 'sharedCosts', coalesce(f.shared_costs, 0)::text,
                      'purchases', coalesce(f.purchases, 0)::text, 'closing', coalesce(f.closing, 0)::text)
                    order by m.la_reference, m.id), '[]')
                     from accounts a
                     join members m on m.id = a.member_id
                     left join (
                       select p.account_id,
                              sum(${credit}) filter (where e.value_date < ${from}::date) as opening,
                              sum(${credit}) filter (where e.value_date >= ${from}::date and e.counted_kind = 'pool_contribution') as contributions,
                              sum(${debit}) filter (where e.value_date >= ${from}::date and e.counted_kind = 'pool_withdrawal') as withdrawals,
                              sum(${debit}) filter (where e.value_date >= ${from}::date and e.counted_kind = 'shared_cost') as shared_costs,
                              sum(${debit}) filter (where e.value_date >= ${from}::date and e.counted_kind = 'purchase') as purchases,
                              sum(${credit}) as closing
                         from postings p
                         join counted_entries e on e.id = p.entry_id
                        where e.value_date <= ${to}::date
                          and p.account_id in (select id from accounts where pool_id = ${poolId}::uuid and kind = 'pool_share')
                        group by p.account_id
                     ) f on f.account_id = a.id
                    where a.pool_id = ${poolId}::uuid and a.kind = 'pool_share'),
        'costs', (select coalesce(json_agg(json_build_object(
                     'entryId', sc.entry_id, 'date', sc.cost_date::text, 'category', sc.category,
                     'description', sc.description, 'total', sc.amount::text, 'method', ar.method,
                     'memberCount', (select count(*) from allocation_inputs ai where ai.entry_id = sc.entry_id))
                   order by sc.cost_date, sc.entry_id), '[]')
                    from shared_costs sc
                    join allocation_records ar on ar.entry_id = sc.entry_id
                   where sc.pool_id = ${poolId}::uuid and sc.cost_date between ${from}::date and ${to}::date),
        'purchases', (select coalesce(json_agg(json_build_object(
                         'purchaseId', pu.id, 'providerName', pr.name, 'invoiceReference', pu.invoice_reference,
                         'invoiceDate', pu.invoice_date::text, 'total', pu.total::text,
                         'individualRateTotal', pu.individual_rate_total::text,
                         'paid', coalesce((select sum(pp.amount) from provider_payments pp
                                            where pp.purchase_id = pu.id and pp.paid_on <= ${to}::date
                                              and not exists (select 1 from counted_entries r where r.id = pp.entry_id and r.reversed)), 0)::text,
                         'reversed', (select reversed from counted_entries r where r.id = pu.entry_id))
                       order by pu.invoice_date, pu.id), '[]')
                        from purchases pu join providers pr on pr.id = pu.provider_id
                       where pu.pool_id = ${poolId}::uuid and pu.invoice_date <= ${to}::date),
        'payments', (select coalesce(json_agg(json_build_object(
                        'date', pp.paid_on::text, 'providerName', pr.name, 'invoiceReference', pu.invoice_reference,
                        'amount', pp.amount::text)
                      order by pp.paid_on, pp.id), '[]')
                       from provider_payments pp join purchases pu on pu.id = pp.purchase_id join providers pr on pr.id = pu.provider_id
                      where pu.pool_id = ${poolId}::uuid and pp.paid_on between ${from}::date and ${to}::date)
      )::text as figures`),
  );
  return row!.figures;
}
