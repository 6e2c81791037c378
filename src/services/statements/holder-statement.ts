import { canReadMember } from '../../auth/permissions';
import { renderCsv } from '../../domain/csv';
import { notFound } from '../../domain/errors';
import { type HolderStatement, buildHolderStatement } from '../../domain/statements/holder-statement';
import type { Language, Wording } from '../../domain/statements/wording';
import type { UseCaseContext } from '../context';
import { readHolderFigures } from './holder-figures';
import { recordIssued } from './issued';
import { checkPeriod } from './period';
import { WORDING } from './wording';

export interface StatementRequest {
  from: string;
  to: string;
  format: 'json' | 'csv' | 'pdf';
  language?: Language | undefined;
}

export const HOLDER_STATEMENT_CSV_COLUMNS = [
  'date',
  'description',
  'category',
  'account',
  'in',
  'out',
  'balance',
] as const;

/** One row per movement, between an opening and a closing row (whose balance is the total over all accounts). */
function holderCsv(statement: HolderStatement, wording: Wording): string {
  return renderCsv(HOLDER_STATEMENT_CSV_COLUMNS, [
    [statement.period.from, wording.openingBalance, '', '', '', '', statement.opening.total],
    ...statement.movements.map((m) => [
      m.date,
      m.description,
      m.category ?? '',
      m.account,
      m.in ?? '',
      m.out ?? '',
      m.balance,
    ]),
    [statement.period.to, wording.closingBalance, '', '', '', '', statement.closing.total],
  ]);
}

/**
 * A holder's statement as JSON, CSV or PDF bytes, recorded in the register of issued statements with its SHA-256. The bytes
 * depend only on the ledger and the request, so asking again gives the same document and the same hash.
 * Raises: `not-found` (404) when the caller may not see the member; `unprocessable` (422) for a bad period.
 */
export async function issueHolderStatement(
  context: UseCaseContext,
  coopId: string,
  memberId: string,
  request: StatementRequest,
) {
  checkPeriod(request.from, request.to);
  const figures = await context.database.read((db) =>
    readHolderFigures(db, coopId, memberId, request.from, request.to),
  );
  if (!figures || !canReadMember(context.principal, figures.member)) throw notFound('Member');
  const { member, localAuthority: la } = figures;
  const language: Language = request.language ?? (member.preferredLanguage === 'cy' ? 'cy' : 'en');
  const wording = WORDING[language];
  const statement = buildHolderStatement({
    member: { id: member.id, name: member.name, laReference: member.laReference },
    localAuthority: la
      ? {
          code: la.code,
          name: language === 'cy' ? la.nameCy : la.name,
          surplusThresholdWeeks: la.surplusThresholdWeeks,
        }
      : null,
    period: { from: request.from, to: request.to },
    language,
    wording,
    accounts: figures.accounts,
    movements: figures.movements,
    sharedCosts: figures.sharedCosts,
    purchases: figures.purchases,
    award: figures.award,
  });
  const bytes =
    request.format === 'pdf'
      ? await context.pdf.render({ kind: 'holder', statement, wording })
      : Buffer.from(request.format === 'csv' ? holderCsv(statement, wording) : JSON.stringify(statement), 'utf8');
  return recordIssued(
    context,
    {
      coopId,
      kind: 'holder',
      subjectId: memberId,
      from: request.from,
      to: request.to,
      format: request.format,
      language: statement.language,
    },
    bytes,
  );
}
