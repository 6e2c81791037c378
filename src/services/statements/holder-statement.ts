import { stringify } from 'csv-stringify/sync';
import { and, asc, eq, gte, inArray, lt, lte, sql } from 'drizzle-orm';
import {
  accounts,
  allocationInputs,
  allocationRecords,
  awards,
  journalEntries,
  localAuthorities,
  pools,
  postings,
  providers,
  purchaseShares,
  purchases,
  sharedCosts,
} from '../../../db/schema/index';
import { canReadMember } from '../../auth/permissions';
import type { Queryable } from '../../db/database';
import { notFound } from '../../domain/errors';
import { memberMoney } from '../../domain/ledger';
import { moneyFromDb } from '../../domain/money';
import { type HolderStatement, buildHolderStatement } from '../../domain/statements/holder-statement';
import type { Language, Wording } from '../../domain/statements/wording';
import type { UseCaseContext } from '../context';
import { renderHolderStatementPdf } from '../../pdf/holder-statement-pdf';
import { requireMember } from '../lookups';
import { recordIssued } from './issued';
import { checkPeriod } from './period';
import { WORDING } from './wording';

export interface StatementRequest {
  from: string;
  to: string;
  format: 'json' | 'csv' | 'pdf';
  language?: Language | undefined;
}

export const HOLDER_STATEMENT_CSV_COLUMNS = ['date', 'description', 'category', 'account', 'in', 'out', 'balance'] as const;

/** One row per movement, between an opening and a closing row (whose balance is the total over all accounts). */
function holderCsv(statement: HolderStatement, wording: Wording): string {
  return stringify([
    [...HOLDER_STATEMENT_CSV_COLUMNS],
    [statement.period.from, wording.openingBalance, '', '', '', '', statement.opening.total],
    ...statement.movements.map((m) => [m.date, m.description, m.category ?? '', m.account, m.in ?? '', m.out ?? '', m.balance]),
    [statement.period.to, wording.closingBalance, '', '', '', '', statement.closing.total],
  ]);
}

/**
 * A holder's statement as JSON bytes, recorded in the register of issued statements with its SHA-256. The bytes
 * depend only on the ledger and the request, so asking again gives the same document and the same hash.
 * Raises: `not-found` (404) when the caller may not see the member; `unprocessable` (422) for a bad period.
 */
export async function issueHolderStatement(context: UseCaseContext, coopId: string, memberId: string, request: StatementRequest) {
  checkPeriod(request.from, request.to);
  const statement = await context.database.read(async (db) => {
    const member = await requireMember(db, coopId, memberId);
    if (!canReadMember(context.principal, member)) throw notFound('Member');
    const language: Language = request.language ?? (member.preferredLanguage === 'cy' ? 'cy' : 'en');
    return buildHolderStatement({
      member: { id: member.id, name: member.name, laReference: member.laReference },
      localAuthority: member.localAuthorityId ? await localAuthorityOf(db, member.localAuthorityId, language) : null,
      period: { from: request.from, to: request.to },
      language,
      wording: WORDING[language],
      ...(await ledgerFigures(db, memberId, request.from, request.to)),
      award: await awardOf(db, memberId),
    });
  });
  const wording = WORDING[statement.language];
  const bytes =
    request.format === 'pdf'
      ? await renderHolderStatementPdf(statement, wording)
      : Buffer.from(request.format === 'csv' ? holderCsv(statement, wording) : JSON.stringify(statement), 'utf8');
  return recordIssued(context, { coopId, kind: 'holder', subjectId: memberId, from: request.from, to: request.to, format: request.format, language: statement.language }, bytes);
}

async function localAuthorityOf(db: Queryable, laId: string, language: Language) {
  const [la] = await db.select().from(localAuthorities).where(eq(localAuthorities.id, laId));
  return la ? { code: la.code, name: language === 'cy' ? la.nameCy : la.name, surplusThresholdWeeks: la.surplusThresholdWeeks } : null;
}

async function awardOf(db: Queryable, memberId: string) {
  const [award] = await db.select().from(awards).where(eq(awards.memberId, memberId));
  return award ? { amount: moneyFromDb(award.amount), frequency: award.frequency } : null;
}

/** Opening balances, the period's movements, shared costs and purchases, all read from the ledger. */
async function ledgerFigures(db: Queryable, memberId: string, from: string, to: string) {
  const owned = await db
    .select({ id: accounts.id, kind: accounts.kind, poolName: pools.name })
    .from(accounts)
    .leftJoin(pools, eq(pools.id, accounts.poolId))
    .where(and(eq(accounts.memberId, memberId), inArray(accounts.kind, ['holder_funds', 'pool_share'])))
    .orderBy(asc(accounts.kind), asc(accounts.id));
  const ids = owned.map((a) => a.id);
  const openings = ids.length
    ? await db
        .select({ id: postings.accountId, total: sql<string>`sum(${postings.amount})::text` })
        .from(postings)
        .innerJoin(journalEntries, eq(journalEntries.id, postings.entryId))
        .where(and(inArray(postings.accountId, ids), lt(journalEntries.valueDate, from)))
        .groupBy(postings.accountId)
    : [];
  const moves = ids.length
    ? await db
        .select({
          entryId: journalEntries.id,
          valueDate: journalEntries.valueDate,
          kind: journalEntries.kind,
          memo: journalEntries.memo,
          reference: journalEntries.reference,
          providerName: sql<string | null>`(select pr.name from purchases pu join providers pr on pr.id = pu.provider_id where pu.entry_id = coalesce(${journalEntries.reversesEntryId}, ${journalEntries.id}))`,
          costDescription: sql<string | null>`(select sc.description from shared_costs sc where sc.entry_id = coalesce(${journalEntries.reversesEntryId}, ${journalEntries.id}))`,
          poolName: sql<string | null>`(select po.name from postings p2 join accounts a2 on a2.id = p2.account_id join pools po on po.id = a2.pool_id
                                        where p2.entry_id = ${journalEntries.id} limit 1)`,
          accountId: postings.accountId,
          category: postings.category,
          amount: postings.amount,
        })
        .from(postings)
        .innerJoin(journalEntries, eq(journalEntries.id, postings.entryId))
        .where(and(inArray(postings.accountId, ids), gte(journalEntries.valueDate, from), lte(journalEntries.valueDate, to)))
        .orderBy(asc(journalEntries.valueDate), asc(journalEntries.id), asc(postings.id))
    : [];
  const costs = await db
    .select({
      entryId: sharedCosts.entryId,
      valueDate: sharedCosts.costDate,
      poolName: pools.name,
      category: sharedCosts.category,
      description: sharedCosts.description,
      total: sharedCosts.amount,
      method: allocationRecords.method,
      memberCount: sql<number>`(select count(*) from ${allocationInputs} ai where ai.entry_id = ${sharedCosts.entryId})::int`,
      share: allocationInputs.amount,
    })
    .from(sharedCosts)
    .innerJoin(pools, eq(pools.id, sharedCosts.poolId))
    .innerJoin(allocationRecords, eq(allocationRecords.entryId, sharedCosts.entryId))
    .innerJoin(allocationInputs, and(eq(allocationInputs.entryId, sharedCosts.entryId), eq(allocationInputs.memberId, memberId)))
    .where(and(gte(sharedCosts.costDate, from), lte(sharedCosts.costDate, to)))
    .orderBy(asc(sharedCosts.costDate), asc(sharedCosts.entryId));
  const bought = await db
    .select({ purchaseId: purchases.id, invoiceDate: purchases.invoiceDate, providerName: providers.name, invoiceReference: purchases.invoiceReference, amount: purchaseShares.amount, individualAmount: purchaseShares.individualAmount })
    .from(purchaseShares)
    .innerJoin(purchases, eq(purchases.id, purchaseShares.purchaseId))
    .innerJoin(providers, eq(providers.id, purchases.providerId))
    .where(and(eq(purchaseShares.memberId, memberId), gte(purchases.invoiceDate, from), lte(purchases.invoiceDate, to)))
    .orderBy(asc(purchases.invoiceDate), asc(purchases.id));
  return {
    accounts: owned.map((a) => ({
      id: a.id,
      kind: a.kind as 'holder_funds' | 'pool_share',
      poolName: a.poolName,
      opening: memberMoney(moneyFromDb(openings.find((o) => o.id === a.id)?.total ?? '0')),
    })),
    movements: moves.map((m) => ({ ...m, amount: memberMoney(moneyFromDb(m.amount)) })),
    sharedCosts: costs.map((c) => ({ ...c, total: moneyFromDb(c.total), share: moneyFromDb(c.share), memberCount: Number(c.memberCount) })),
    purchases: bought.map((p) => ({ ...p, amount: moneyFromDb(p.amount), individualAmount: moneyFromDb(p.individualAmount) })),
  };
}
