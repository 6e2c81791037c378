import { canReadMember } from '../../auth/permissions';
import { renderCsv } from '../../domain/csv';
import { notFound } from '../../domain/errors';
import { statementFileName } from '../../domain/statements/file-name';
import { type HolderStatement, buildHolderStatement } from '../../domain/statements/holder-statement';
import { type Language, type Wording, categoryName } from '../../domain/statements/wording';
import type { UseCaseContext } from '../context';
import { readHolderFigures } from './holder-figures';
import { recordIssued } from './issued';
import { type IssueOptions, type StatementDownload, type StatementRequest, checkPeriod } from './period';
import { WORDING } from './wording';

/**
 * The columns of a holder's CSV: these first, then three for each pool the holder has a share in (in the order of the
 * JSON's `opening.pools`), then the total. Each running figure has a column of its own.
 */
export const HOLDER_STATEMENT_CSV_COLUMNS = [
  'date',
  'description',
  'category',
  'funds_in',
  'funds_out',
  'funds_balance',
] as const;

export function holderCsvColumns(statement: HolderStatement): string[] {
  return [
    ...HOLDER_STATEMENT_CSV_COLUMNS,
    ...statement.opening.pools.flatMap((p) => [`pool_in:${p.name}`, `pool_out:${p.name}`, `pool_share:${p.name}`]),
    'total',
  ];
}

/** One row per entry, between an opening and a closing row whose figures are the same columns' first and last. */
function holderCsv(statement: HolderStatement, wording: Wording): string {
  const ends = (date: string, label: string, balances: HolderStatement['opening']) => [
    date,
    label,
    '',
    '',
    '',
    balances.funds,
    ...balances.pools.flatMap((p) => ['', '', p.share]),
    balances.total,
  ];
  return renderCsv(holderCsvColumns(statement), [
    ends(statement.period.from, wording.openingBalance, statement.opening),
    ...statement.movements.map((m) => [
      m.date,
      m.description,
      m.categories.map((c) => categoryName(wording, c)).join('; '),
      m.funds.in ?? '',
      m.funds.out ?? '',
      m.funds.balance,
      ...m.pools.flatMap((p) => [p.in ?? '', p.out ?? '', p.share]),
      m.total,
    ]),
    ends(statement.period.to, wording.closingBalance, statement.closing),
  ]);
}

/**
 * A holder's statement for a period, as figures (what a page shows; the same figures the documents carry), with the
 * member it is about. Raises: `not-found` when the caller may not see the member; `unprocessable` for a bad period.
 */
export async function holderStatement(
  context: UseCaseContext,
  coopId: string,
  memberId: string,
  request: { from: string; to: string; language?: Language | undefined },
) {
  checkPeriod(request.from, request.to);
  const figures = await context.database.read((db) =>
    readHolderFigures(db, coopId, memberId, request.from, request.to, request.language),
  );
  if (!figures || !canReadMember(context.principal, figures.member)) throw notFound('Member');
  const { member, coop, localAuthority: la } = figures;
  const language: Language = request.language ?? (member.preferredLanguage === 'cy' ? 'cy' : 'en');
  const wording = WORDING[language];
  const statement = buildHolderStatement({
    member: { id: member.id, name: member.name, laReference: member.laReference },
    coop: { name: language === 'cy' && coop.nameCy ? coop.nameCy : coop.name },
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
  return { statement, wording, member };
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
  options: IssueOptions = { record: true },
): Promise<StatementDownload> {
  const { statement, wording, member } = await holderStatement(context, coopId, memberId, request);
  const bytes =
    request.format === 'pdf'
      ? await context.pdf.render({ kind: 'holder', format: 'pdf', statement, wording })
      : Buffer.from(request.format === 'csv' ? holderCsv(statement, wording) : JSON.stringify(statement), 'utf8');
  const issued = await recordIssued(
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
    options,
  );
  return {
    ...issued,
    fileName: statementFileName(['holder-statement', member.laReference ?? member.id], request, statement.language),
  };
}
