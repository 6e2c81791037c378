import { type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { type Queryable, rowShape, rowsOf } from '../../db/database';
import { DomainError, notFound, invalidInput } from '../../domain/errors';
import { statementFileName } from '../../domain/statements/file-name';
import type { Language } from '../../domain/statements/wording';
import { awardInForceJson } from '../awards';
import type { UseCaseContext } from '../context';
import { memberMoneyOutSql, memberMoneySql } from '../ledger/queries';
import { coopsOfLocalAuthority } from '../local-authorities';
import { findLocalAuthority } from '../lookups';
import { recordIssued } from './issued';
import { type IssueOptions, type StatementDownload, type StatementRequest, checkPeriod } from './period';
import { WORDING } from './wording';

export interface LaStatementRequest extends StatementRequest {
  /** The co-op; left out (LA officers only), every co-op where the LA has holders. */
  coopId?: string | undefined;
}

/**
 * The monitoring statement an LA receives for its holders in one co-op, or (for its own officers) in every co-op
 * where it has holders, as JSON, CSV (stable columns, one row per holder and a TOTAL row) or PDF, recorded with its
 * SHA-256. A co-op with none of the LA's holders is not found, exactly as a co-op that does not exist, so a statement
 * never reveals another co-op's name or books. Treasurers ask for their own co-op only.
 * Raises: `forbidden` (403), `not-found` (404), `unprocessable` (422).
 */
export async function issueLaStatement(
  context: UseCaseContext,
  laId: string,
  request: LaStatementRequest,
  options: IssueOptions = { record: true },
): Promise<StatementDownload> {
  checkPeriod(request.from, request.to);
  const { principal } = context;
  const coopId = request.coopId ?? null;
  if (principal.role === 'treasurer') {
    if (coopId === null)
      throw invalidInput(
        { field: 'coopId', message: 'required for a treasurer' },
        "A treasurer's LA statement names their co-op.",
      );
    if (principal.coopId !== coopId)
      throw new DomainError('forbidden', "A treasurer receives LA statements for their own co-op's holders only.");
  }
  const language: Language = request.language ?? 'en';
  const { la, coops, figures } = await context.database.read(async (db) => {
    const la = await findLocalAuthority(db, laId);
    if (!la) throw notFound('Local authority');
    const coops = await coopsOfLocalAuthority(db, la.id, coopId);
    if (coopId !== null && coops.length === 0) throw notFound('Co-op');
    return { la, coops, figures: await laFigures(db, la.id, coopId, request.from, request.to) };
  });
  const named = coops.map((c) => ({
    id: c.id,
    name: language === 'cy' && c.nameCy ? c.nameCy : c.name,
    reconciledThrough: reconciledWithin(c.reconciledThrough, request.to),
  }));
  const bytes = await context.pdf.render({
    kind: 'local_authority',
    format: request.format,
    wording: WORDING[language],
    figures,
    statement: {
      localAuthority: {
        id: la.id,
        code: la.code,
        name: language === 'cy' ? la.nameCy : la.name,
        surplusThresholdWeeks: la.surplusThresholdWeeks,
      },
      coopId,
      coops: named,
      period: { from: request.from, to: request.to },
      language,
    },
  });
  const issued = await recordIssued(
    context,
    {
      coopId,
      kind: 'local_authority',
      subjectId: laId,
      from: request.from,
      to: request.to,
      format: request.format,
      language,
    },
    bytes,
    options,
  );
  const about = coopId === null ? 'all-coops' : named[0]!.name;
  return { ...issued, fileName: statementFileName(['la-statement', la.code, about], request, language) };
}

/**
 * How far the bank is reconciled, as this statement reports it: a later close reconciles this period too, but
 * the statement says so only up to its own end, so re-issuing it later gives the same bytes.
 */
function reconciledWithin(reconciledThrough: string | null, periodEnd: string): string | null {
  return reconciledThrough !== null && reconciledThrough > periodEnd ? periodEnd : reconciledThrough;
}

/**
 * Every holder of the LA (in the co-op, or in every co-op), with figures summed from postings (a reversal counts as
 * what it reverses), as one JSON text written by the database: one snapshot, and nothing parsed or copied row by row
 * on the serving thread (the text goes to a render thread as it is).
 */
async function laFigures(db: Queryable, laId: string, coopId: string | null, from: string, to: string) {
  const inCoop = (column: SQL) => (coopId === null ? sql`` : sql`and ${column} = ${coopId}::uuid`);
  const held = memberMoneySql(sql`p.amount`);
  const out = memberMoneyOutSql(sql`p.amount`);
  const [row] = rowsOf(
    rowShape('LA statement figures', { figures: z.string() }),
    await db.execute(sql`
      select json_build_object(
        'holders', (select coalesce(json_agg(json_build_object(
                       'memberId', m.id, 'coopId', m.coop_id, 'name', m.name, 'laReference', m.la_reference,
                       -- The award in force at the end of the period, so a past period's weeks of award never change.
                       'award', ${awardInForceJson(sql`m.id`, sql`${to}::date`)})), '[]')
                      from members m
                     where m.local_authority_id = ${laId}::uuid and m.stakeholder_class = 'holder' ${inCoop(sql`m.coop_id`)}),
        'balances', (select coalesce(json_agg(b), '[]') from (
                       select a.member_id as "memberId",
                              coalesce(sum(${held}) filter (where e.value_date < ${from}::date), 0)::text as opening,
                              coalesce(sum(${held}) filter (where e.value_date >= ${from}::date and e.counted_kind = 'dp_receipt'), 0)::text as received,
                              coalesce(sum(${out}) filter (where e.value_date >= ${from}::date and e.counted_kind = 'la_recovery'), 0)::text as returned,
                              coalesce(sum(${held}), 0)::text as closing
                         from postings p
                         join accounts a on a.id = p.account_id
                         join counted_entries e on e.id = p.entry_id
                        where a.local_authority_id = ${laId}::uuid ${inCoop(sql`a.coop_id`)}
                          and a.kind in ('holder_funds', 'pool_share') and e.value_date <= ${to}::date
                        group by a.member_id) b),
        'spending', (select coalesce(json_agg(s), '[]') from (
                       select a.member_id as "memberId", a.kind as "accountKind", p.category,
                              e.counted_kind as "entryKind", sum(${out})::text as spent
                         from postings p
                         join accounts a on a.id = p.account_id
                         join counted_entries e on e.id = p.entry_id
                        where a.local_authority_id = ${laId}::uuid ${inCoop(sql`a.coop_id`)} and p.category is not null
                          and e.value_date between ${from}::date and ${to}::date
                        group by 1, 2, 3, 4) s)
      )::text as figures`),
  );
  return row!.figures;
}
