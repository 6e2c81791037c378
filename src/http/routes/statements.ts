import { z } from 'zod';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { anyOf, anyTreasurer, holderSelf, laOfficer, laOfficerOfLa, treasurerOfCoop } from '../../auth/permissions';
import { contentDisposition } from '../../domain/statements/file-name';
import { issueHolderStatement } from '../../services/statements/holder-statement';
import { issueLaStatement } from '../../services/statements/la-statement';
import { issuePoolStatement } from '../../services/statements/pool-statement';
import { type StatementFormat, listIssuedStatements } from '../../services/statements/issued';
import type { StatementDownload } from '../../services/statements/period';
import { EXAMPLE_ID, EXAMPLE_TIME, documented, examplePage } from '../openapi-docs';
import { CalendarDate, CoopParams, Id, MemberParams, PageQuery, PoolParams, pageOf, pageRequest } from './schemas';
import { HOLDER_STATEMENT_CONTENT, LA_STATEMENT_CONTENT, POOL_STATEMENT_CONTENT } from './statement-docs';
import { type App, type RouteDeps, contextOf, typed } from '../route-context';

const StatementQuery = z.strictObject({
  from: CalendarDate,
  to: CalendarDate,
  format: z.enum(['json', 'csv', 'pdf']).default('json'),
  lang: z
    .enum(['en', 'cy'])
    .optional()
    .meta({ description: "Holder statements default to the holder's preferred language, others to English" }),
});

const IssuedStatement = z.object({
  id: Id,
  kind: z.string(),
  subjectId: Id,
  from: z.string(),
  to: z.string(),
  format: z.string(),
  language: z.string(),
  sha256: z.string(),
  issuedByTokenId: Id,
  /** When this document was first issued to this caller, when last, and how many times. */
  issuedAt: z.string(),
  lastIssuedAt: z.string(),
  timesIssued: z.number().int(),
});

/** The exact bytes whose SHA-256 was recorded: sent as they are, never re-serialised. */
const CONTENT_TYPES: Record<StatementFormat, string> = {
  json: 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  pdf: 'application/pdf',
};

function sendStatement(reply: FastifyReply, issued: StatementDownload) {
  const type = CONTENT_TYPES[issued.format];
  return reply
    .type(type)
    .header('x-statement-sha256', issued.sha256)
    .header('content-disposition', contentDisposition(issued.fileName))
    .send(issued.bytes);
}

/** Fastify answers a HEAD by running the GET handler: the statement is made (for its headers) but not issued. */
const issuing = (request: FastifyRequest) => ({ record: request.method !== 'HEAD' });

const sameBytes =
  "A statement depends only on the ledger and the request (no clock goes into it; a PDF is dated the period's end), " +
  'so asking again gives byte-identical output, and `X-Statement-SHA256` is the hash recorded in the register of ' +
  'issued statements. `format` is `json` (default), `csv` or `pdf`; `lang` is `en` or `cy`.';
const periodProblem = '`to` is before `from`, or the period is longer than about six years.';
const statementHeaders = ['X-Statement-SHA256', 'Content-Disposition'] as const;

/** Statements: holder and local-authority statements (JSON, CSV) and the register of every statement issued. */
export async function statementRoutes(app: App, deps: RouteDeps): Promise<void> {
  const r = typed(app);
  r.get(
    '/v1/coops/:coopId/statements/holders/:memberId',
    {
      config: { access: anyOf(treasurerOfCoop, holderSelf, laOfficer) },
      schema: {
        ...documented({
          operationId: 'holderStatement',
          summary: "A holder's statement",
          description:
            "The holder's statement for `from` to `to`: opening and closing balances (their own funds and each pool " +
            'share), every movement with running figures, each shared cost with its split, purchases with the ' +
            "collective saving, and the closing balance in weeks of award with any surplus above the LA's threshold. " +
            "In the holder's preferred language unless `lang` says otherwise. For the co-op's treasurer, the holder, " +
            `and their LA's officer. ${sameBytes}`,
          returns: 'The statement, as an attachment in the format asked for.',
          responseHeaders: statementHeaders,
          content: HOLDER_STATEMENT_CONTENT,
          problems: {
            'not-found': 'No member with this id in the co-op, or not one the caller may see.',
            unprocessable: periodProblem,
          },
        }),
        tags: ['statements'],
        params: MemberParams,
        querystring: StatementQuery,
      },
    },
    async (request, reply) => {
      const { from, to, format, lang } = request.query;
      const issued = await issueHolderStatement(
        contextOf(deps, request),
        request.params.coopId,
        request.params.memberId,
        { from, to, format, language: lang },
        issuing(request),
      );
      return sendStatement(reply, issued);
    },
  );
  r.get(
    '/v1/local-authorities/:laId/statements',
    {
      // The LA's officer, and a treasurer for their own co-op's holders; an admin reads no member's money.
      config: { access: anyOf(laOfficerOfLa, anyTreasurer) },
      schema: {
        ...documented({
          operationId: 'localAuthorityStatement',
          summary: "A local authority's monitoring statement",
          description:
            'One row per holder of the LA (LA reference, opening balance, DP received, spend by category from their own ' +
            'funds and from pools, shared costs, money returned to the LA, closing balance, weeks of award, surplus ' +
            "above the threshold) and totals, and whether the co-op's bank is reconciled through the period's end. For " +
            "the LA's officer (for one co-op, or with no `coopId` across every co-op where the LA has holders) and for a " +
            `treasurer, for their own co-op's holders (\`coopId\` required). An admin reads no member's money. ${sameBytes}`,
          returns: 'The statement, as an attachment in the format asked for.',
          responseHeaders: statementHeaders,
          content: LA_STATEMENT_CONTENT,
          problems: {
            forbidden: "A treasurer asked for another co-op's statement.",
            'not-found': 'No local authority has this id, or it has no holders in `coopId`.',
            unprocessable: `A treasurer gave no \`coopId\`, or ${periodProblem.charAt(0).toLowerCase()}${periodProblem.slice(1)}`,
          },
        }),
        tags: ['statements'],
        params: z.strictObject({ laId: Id }),
        querystring: StatementQuery.extend({
          coopId: Id.optional().meta({
            description:
              "The co-op (a treasurer's own). An LA officer may leave it out: the statement then covers every co-op where the LA has holders",
          }),
        }),
      },
    },
    async (request, reply) => {
      const { coopId, from, to, format, lang } = request.query;
      return sendStatement(
        reply,
        await issueLaStatement(
          contextOf(deps, request),
          request.params.laId,
          { coopId, from, to, format, language: lang },
          issuing(request),
        ),
      );
    },
  );
  r.get(
    '/v1/coops/:coopId/statements/pools/:poolId',
    {
      config: { access: treasurerOfCoop },
      schema: {
        ...documented({
          operationId: 'poolStatement',
          summary: "A pool's statement",
          description:
            "Each member's share from opening to closing (contributions, money returned on leaving, shared costs, " +
            'purchases), costs by category with their splits, purchases by provider with the saving, payments, and ' +
            `invoices still unpaid at the end. Treasurers only. ${sameBytes}`,
          returns: 'The statement, as an attachment in the format asked for.',
          responseHeaders: statementHeaders,
          content: POOL_STATEMENT_CONTENT,
          problems: { 'not-found': 'No pool with this id in the co-op.', unprocessable: periodProblem },
        }),
        tags: ['statements'],
        params: PoolParams,
        querystring: StatementQuery,
      },
    },
    async (request, reply) => {
      const { from, to, format, lang } = request.query;
      return sendStatement(
        reply,
        await issuePoolStatement(
          contextOf(deps, request),
          request.params.coopId,
          request.params.poolId,
          { from, to, format, language: lang },
          issuing(request),
        ),
      );
    },
  );
  r.get(
    '/v1/coops/:coopId/statements/issued',
    {
      config: { access: treasurerOfCoop },
      schema: {
        ...documented({
          operationId: 'listIssuedStatements',
          summary: 'The register of issued statements',
          description:
            "Every statement the co-op's books have been issued as: what, for which period, format and language, its " +
            'SHA-256, to which token, when first and last, and how many times. The register only counts forward. ' +
            'Treasurers only.',
          returns: 'A page of the register, oldest first.',
          responseExample: examplePage({
            id: EXAMPLE_ID.statement,
            kind: 'holder',
            subjectId: EXAMPLE_ID.member,
            from: '2026-11-01',
            to: '2026-11-30',
            format: 'pdf',
            language: 'cy',
            sha256: '9f2c1e0b7a5d4c3b2a190817f6e5d4c3b2a1908f7e6d5c4b3a29180716f5e4d3',
            issuedByTokenId: EXAMPLE_ID.token,
            issuedAt: EXAMPLE_TIME,
            lastIssuedAt: EXAMPLE_TIME,
            timesIssued: 2,
          }),
        }),
        tags: ['statements'],
        params: CoopParams,
        querystring: PageQuery,
        response: { 200: pageOf(IssuedStatement) },
      },
    },
    async (request) =>
      listIssuedStatements(contextOf(deps, request), request.params.coopId, pageRequest(request.query)),
  );
}
