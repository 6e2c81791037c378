import { and, asc, eq, sql } from 'drizzle-orm';
import { awards, members } from '../../../db/schema/index';
import { type Queryable, rowsOf } from '../../db/database';
import { DomainError, notFound } from '../../domain/errors';
import { renderCsv } from '../../domain/csv';
import { ZERO, moneyFromDb } from '../../domain/money';
import { LA_STATEMENT_CSV_COLUMNS, buildLaStatement } from '../../domain/statements/la-statement';
import type { Language } from '../../domain/statements/wording';
import type { UseCaseContext } from '../context';
import { findCoop, findLocalAuthority } from '../lookups';
import { WORDING } from './wording';
import { reconciledThroughOf } from '../reconciliation/queries';
import { recordIssued } from './issued';
import { checkPeriod } from './period';

export interface LaStatementRequest {
  coopId: string;
  from: string;
  to: string;
  format: 'json' | 'csv' | 'pdf';
  language?: Language | undefined;
}

/**
 * The monitoring statement an LA receives for its holders in one co-op, as JSON or CSV (stable columns, one row per
 * holder and a TOTAL row), recorded with its SHA-256. LA officers ask for their own LA, treasurers for their own
 * co-op, admins for any. Raises: `forbidden` (403), `not-found` (404), `unprocessable` (422).
 */
export async function issueLaStatement(context: UseCaseContext, laId: string, request: LaStatementRequest) {
  checkPeriod(request.from, request.to);
  const { principal } = context;
  if (principal.role === 'treasurer' && principal.coopId !== request.coopId) {
    throw new DomainError('forbidden', "A treasurer receives LA statements for their own co-op's holders only.");
  }
  const language: Language = request.language ?? 'en';
  const statement = await context.database.read(async (db) => {
    const la = await findLocalAuthority(db, laId);
    if (!la) throw notFound('Local authority');
    const coop = await findCoop(db, request.coopId);
    if (!coop) throw notFound('Co-op');
    return buildLaStatement({
      localAuthority: {
        id: la.id,
        code: la.code,
        name: language === 'cy' ? la.nameCy : la.name,
        surplusThresholdWeeks: la.surplusThresholdWeeks,
      },
      coop: { id: coop.id, name: language === 'cy' && coop.nameCy ? coop.nameCy : coop.name },
      period: { from: request.from, to: request.to },
      language,
      reconciledThrough: reconciledWithin(await reconciledThroughOf(db, coop.id), request.to),
      holders: await holderFigures(db, la.id, coop.id, request.from, request.to),
    });
  });
  const { csvRows, ...json } = statement;
  const bytes =
    request.format === 'pdf'
      ? await context.pdf.render({ kind: 'local_authority', statement: json, wording: WORDING[language] })
      : Buffer.from(
          request.format === 'csv' ? renderCsv(LA_STATEMENT_CSV_COLUMNS, csvRows) : JSON.stringify(json),
          'utf8',
        );
  return recordIssued(
    context,
    {
      coopId: request.coopId,
      kind: 'local_authority',
      subjectId: laId,
      from: request.from,
      to: request.to,
      format: request.format,
      language,
    },
    bytes,
  );
}

interface BalanceRow {
  memberId: string;
  opening: string;
  received: string;
  returned: string;
  closing: string;
}

interface SpendRow {
  memberId: string;
  accountKind: string;
  category: string;
  entryKind: string;
  spent: string;
}

/**
 * How far the bank is reconciled, as this statement reports it: a later close reconciles this period too, but
 * the statement says so only up to its own end, so re-issuing it later gives the same bytes.
 */
function reconciledWithin(reconciledThrough: string | null, periodEnd: string): string | null {
  return reconciledThrough !== null && reconciledThrough > periodEnd ? periodEnd : reconciledThrough;
}

/** Every holder of the LA in the co-op, with figures summed from postings (a reversal counts as what it reverses). */
async function holderFigures(db: Queryable, laId: string, coopId: string, from: string, to: string) {
  const holders = await db
    .select({ member: members, award: awards })
    .from(members)
    .leftJoin(awards, eq(awards.memberId, members.id))
    .where(and(eq(members.coopId, coopId), eq(members.localAuthorityId, laId), eq(members.stakeholderClass, 'holder')))
    .orderBy(asc(members.laReference));
  const balances = rowsOf<BalanceRow>(
    await db.execute(sql`
      select a.member_id as "memberId",
             coalesce(sum(-p.amount) filter (where e.value_date < ${from}::date), 0)::text as opening,
             coalesce(sum(-p.amount) filter (where e.value_date >= ${from}::date and coalesce(o.kind, e.kind) = 'dp_receipt'), 0)::text as received,
             coalesce(sum(p.amount) filter (where e.value_date >= ${from}::date and coalesce(o.kind, e.kind) = 'la_recovery'), 0)::text as returned,
             coalesce(sum(-p.amount), 0)::text as closing
        from postings p
        join accounts a on a.id = p.account_id
        join journal_entries e on e.id = p.entry_id
        left join journal_entries o on o.id = e.reverses_entry_id
       where a.coop_id = ${coopId}::uuid and a.local_authority_id = ${laId}::uuid
         and a.kind in ('holder_funds', 'pool_share') and e.value_date <= ${to}::date
       group by a.member_id`),
  );
  const spending = rowsOf<SpendRow>(
    await db.execute(sql`
      select a.member_id as "memberId", a.kind as "accountKind", p.category, coalesce(o.kind, e.kind) as "entryKind", sum(p.amount)::text as spent
        from postings p
        join accounts a on a.id = p.account_id
        join journal_entries e on e.id = p.entry_id
        left join journal_entries o on o.id = e.reverses_entry_id
       where a.coop_id = ${coopId}::uuid and a.local_authority_id = ${laId}::uuid and p.category is not null
         and e.value_date between ${from}::date and ${to}::date
       group by 1, 2, 3, 4`),
  );
  // Indexed by member: a linear search per holder would make a 10,000-holder statement quadratic.
  const balanceOf = new Map(balances.map((b) => [b.memberId, b]));
  const spendingOf = new Map<string, SpendRow[]>();
  for (const row of spending) spendingOf.set(row.memberId, [...(spendingOf.get(row.memberId) ?? []), row]);
  return holders.map(({ member, award }) => {
    const balance = balanceOf.get(member.id);
    const own = spendingOf.get(member.id) ?? [];
    return {
      memberId: member.id,
      name: member.name,
      laReference: member.laReference ?? '',
      opening: moneyFromDb(balance?.opening ?? '0'),
      dpReceived: moneyFromDb(balance?.received ?? '0'),
      spend: own.map((s) => ({
        category: s.category,
        source: s.accountKind === 'holder_funds' ? ('own' as const) : ('pooled' as const),
        amount: moneyFromDb(s.spent),
      })),
      sharedCosts: own
        .filter((s) => s.entryKind === 'shared_cost')
        .reduce((acc, s) => acc.plus(moneyFromDb(s.spent)), ZERO),
      returnedToLa: moneyFromDb(balance?.returned ?? '0'),
      closing: moneyFromDb(balance?.closing ?? '0'),
      award: award ? { amount: moneyFromDb(award.amount), frequency: award.frequency } : null,
    };
  });
}
