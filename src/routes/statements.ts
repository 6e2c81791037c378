import { z } from 'zod';
import { anyOf, holderSelf, laOfficer, treasurerOfCoop } from '../auth/permissions';
import { issueHolderStatement } from '../services/statements/holder-statement';
import { listIssuedStatements } from '../services/statements/issued';
import { CalendarDate, CoopParams, Id, MemberParams, PageQuery, pageOf, pageRequest } from './schemas';
import { type App, type RouteDeps, contextOf, typed } from './types';

const StatementQuery = z.strictObject({
  from: CalendarDate,
  to: CalendarDate,
  format: z.enum(['json']).default('json').meta({ description: 'json; csv and pdf are not available yet' }),
  lang: z.enum(['en', 'cy']).optional().meta({ description: "Defaults to the holder's preferred language" }),
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

/** Statements: the holder statement (JSON) and the register of every statement issued. */
export async function statementRoutes(app: App, deps: RouteDeps): Promise<void> {
  const r = typed(app);
  r.get(
    '/v1/coops/:coopId/statements/holders/:memberId',
    { config: { access: anyOf(treasurerOfCoop, holderSelf, laOfficer) }, schema: { tags: ['statements'], params: MemberParams, querystring: StatementQuery } },
    async (request, reply) => {
      const { from, to, lang } = request.query;
      const issued = await issueHolderStatement(contextOf(deps, request), request.params.coopId, request.params.memberId, { from, to, language: lang });
      // The exact bytes whose SHA-256 was recorded: sent as they are, never re-serialised.
      return reply.type('application/json; charset=utf-8').header('x-statement-sha256', issued.sha256).send(issued.bytes);
    },
  );
  r.get(
    '/v1/coops/:coopId/statements/issued',
    { config: { access: treasurerOfCoop }, schema: { tags: ['statements'], params: CoopParams, querystring: PageQuery, response: { 200: pageOf(IssuedStatement) } } },
    async (request) => listIssuedStatements(contextOf(deps, request), request.params.coopId, pageRequest(request.query)),
  );
}
