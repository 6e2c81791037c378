import { z } from 'zod';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { anyOf, anyTreasurer, holderSelf, laOfficer, laOfficerOfLa, treasurerOfCoop } from '../auth/permissions';
import { asciiFileName } from '../domain/statements/file-name';
import { issueHolderStatement } from '../services/statements/holder-statement';
import { issueLaStatement } from '../services/statements/la-statement';
import { issuePoolStatement } from '../services/statements/pool-statement';
import { type StatementFormat, listIssuedStatements } from '../services/statements/issued';
import type { StatementDownload } from '../services/statements/period';
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

/**
 * Saved under its own name (RFC 6266): a plain ASCII `filename` every client reads, and the name as it is, Welsh
 * letters and all, in `filename*` (RFC 8187 encoding) when it has any other letter.
 */
export function contentDisposition(fileName: string): string {
  const ascii = asciiFileName(fileName).replace(/["\\]/g, '_');
  if (ascii === fileName) return `attachment; filename="${ascii}"`;
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** Fastify answers a HEAD by running the GET handler: the statement is made (for its headers) but not issued. */
const issuing = (request: FastifyRequest) => ({ record: request.method !== 'HEAD' });

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
      schema: { tags: ['statements'], params: PoolParams, querystring: StatementQuery },
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
