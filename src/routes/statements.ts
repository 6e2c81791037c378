import { z } from 'zod';
import { admin, anyOf, anyTreasurer, holderSelf, laOfficer, laOfficerOfLa, treasurerOfCoop } from '../auth/permissions';
import type { FastifyReply } from 'fastify';
import { issueHolderStatement } from '../services/statements/holder-statement';
import { issueLaStatement } from '../services/statements/la-statement';
import { issuePoolStatement } from '../services/statements/pool-statement';
import { type IssuedDocument, type StatementFormat, listIssuedStatements } from '../services/statements/issued';
import { CalendarDate, CoopParams, Id, MemberParams, PageQuery, PoolParams, pageOf, pageRequest } from './schemas';
import { type App, type RouteDeps, contextOf, typed } from './types';

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
  issuedAt: z.string(),
});

/** The exact bytes whose SHA-256 was recorded: sent as they are, never re-serialised. */
const CONTENT_TYPES: Record<StatementFormat, string> = {
  json: 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  pdf: 'application/pdf',
};

function sendStatement(reply: FastifyReply, issued: IssuedDocument) {
  const type = CONTENT_TYPES[issued.format];
  return reply.type(type).header('x-statement-sha256', issued.sha256).send(issued.bytes);
}

/** Statements: holder and local-authority statements (JSON, CSV) and the register of every statement issued. */
export async function statementRoutes(app: App, deps: RouteDeps): Promise<void> {
  const r = typed(app);
  r.get(
    '/v1/coops/:coopId/statements/holders/:memberId',
    {
      config: { access: anyOf(treasurerOfCoop, holderSelf, laOfficer) },
      schema: { tags: ['statements'], params: MemberParams, querystring: StatementQuery },
    },
    async (request, reply) => {
      const { from, to, format, lang } = request.query;
      const issued = await issueHolderStatement(
        contextOf(deps, request),
        request.params.coopId,
        request.params.memberId,
        { from, to, format, language: lang },
      );
      return sendStatement(reply, issued);
    },
  );
  r.get(
    '/v1/local-authorities/:laId/statements',
    {
      config: { access: anyOf(admin, laOfficerOfLa, anyTreasurer) },
      schema: {
        tags: ['statements'],
        params: z.strictObject({ laId: Id }),
        querystring: StatementQuery.extend({ coopId: Id }),
      },
    },
    async (request, reply) => {
      const { coopId, from, to, format, lang } = request.query;
      return sendStatement(
        reply,
        await issueLaStatement(contextOf(deps, request), request.params.laId, {
          coopId,
          from,
          to,
          format,
          language: lang,
        }),
      );
    },
  );
  r.get(
    '/v1/coops/:coopId/statements/pools/:poolId',
    {
      config: { access: treasurerOfCoop },
      schema: { tags: ['statements'], params: PoolParams, querystring: StatementQuery },
    },
    async (request, reply) => {
      const { from, to, format, lang } = request.query;
      return sendStatement(
        reply,
        await issuePoolStatement(contextOf(deps, request), request.params.coopId, request.params.poolId, {
          from,
          to,
          format,
          language: lang,
        }),
      );
    },
  );
  r.get(
    '/v1/coops/:coopId/statements/issued',
    {
      config: { access: treasurerOfCoop },
      schema: {
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
