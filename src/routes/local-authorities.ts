import { z } from 'zod';
import { admin, anyOf, laOfficer, laOfficerOfLa } from '../auth/permissions';
import {
  createLocalAuthority,
  getLocalAuthority,
  listCoopsOfLocalAuthority,
  listLocalAuthorities,
} from '../services/local-authorities';
import { CalendarDate, Id, ShortText, pageOf } from './schemas';
import { type App, type RouteDeps, contextOf, typed } from './types';

const LocalAuthority = z.object({
  id: Id,
  name: z.string(),
  nameCy: z.string(),
  code: z.string(),
  surplusThresholdWeeks: z.number().int(),
  createdAt: z.string(),
});

/** A co-op where the LA has holders, as its officer sees it: enough to ask for its statement, nothing of its books. */
const CoopOfLocalAuthority = z.object({
  id: Id,
  name: z.string(),
  nameCy: z.string().nullable(),
  holderCount: z.number().int().meta({ description: "The LA's holders in the co-op" }),
  reconciledThrough: CalendarDate.nullable().meta({
    description: "The latest date through which the co-op's books are closed with the bank reconciled",
  }),
});

const NewLocalAuthority = z.strictObject({
  name: ShortText,
  nameCy: ShortText,
  code: z.string().regex(/^[A-Z0-9][A-Z0-9-]{1,19}$/, 'upper-case letters, digits and hyphens, 2 to 20'),
  surplusThresholdWeeks: z.number().int().min(1).max(52).default(8),
});

export async function localAuthorityRoutes(app: App, deps: RouteDeps): Promise<void> {
  const r = typed(app);
  r.post(
    '/v1/local-authorities',
    {
      config: { access: admin },
      schema: { tags: ['identity'], body: NewLocalAuthority, response: { 201: LocalAuthority } },
    },
    async (request, reply) => reply.code(201).send(await createLocalAuthority(contextOf(deps, request), request.body)),
  );
  r.get(
    '/v1/local-authorities',
    {
      config: { access: anyOf(admin, laOfficer) },
      schema: { tags: ['identity'], response: { 200: pageOf(LocalAuthority) } },
    },
    async (request) => listLocalAuthorities(contextOf(deps, request)),
  );
  r.get(
    '/v1/local-authorities/:laId',
    {
      config: { access: anyOf(admin, laOfficerOfLa) },
      schema: { tags: ['identity'], params: z.strictObject({ laId: Id }), response: { 200: LocalAuthority } },
    },
    async (request) => getLocalAuthority(contextOf(deps, request), request.params.laId),
  );
  r.get(
    '/v1/local-authorities/:laId/coops',
    {
      config: { access: laOfficerOfLa },
      schema: {
        tags: ['identity'],
        params: z.strictObject({ laId: Id }),
        response: { 200: pageOf(CoopOfLocalAuthority) },
      },
    },
    async (request) => listCoopsOfLocalAuthority(contextOf(deps, request), request.params.laId),
  );
}
