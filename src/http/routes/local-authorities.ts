import { z } from 'zod';
import { admin, anyOf, laOfficer, laOfficerOfLa } from '../../auth/permissions';
import {
  createLocalAuthority,
  getLocalAuthority,
  listCoopsOfLocalAuthority,
  listLocalAuthorities,
} from '../../services/local-authorities';
import { EXAMPLE_ID, EXAMPLE_TIME, documented, examplePage } from '../openapi-docs';
import { CalendarDate, Id, ShortText, pageOf } from './schemas';
import { type App, type RouteDeps, contextOf, typed } from '../route-context';

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

const localAuthorityExample = {
  id: EXAMPLE_ID.localAuthority,
  name: 'Wrexham County Borough Council',
  nameCy: 'Cyngor Bwrdeistref Sirol Wrecsam',
  code: 'WXM',
  surplusThresholdWeeks: 8,
  createdAt: EXAMPLE_TIME,
};

export async function localAuthorityRoutes(app: App, deps: RouteDeps): Promise<void> {
  const r = typed(app);
  r.post(
    '/v1/local-authorities',
    {
      config: { access: admin },
      schema: {
        ...documented({
          operationId: 'createLocalAuthority',
          summary: 'Add a local authority',
          description:
            'Adds a council that pays Direct Payments, with its Welsh name and a short code (it appears in statement file ' +
            "names). `surplusThresholdWeeks` is the council's rule for money building up: a holder with more than that many " +
            'weeks of their award unspent is flagged in statements. Admins only.',
          returns: 'The local authority.',
          problems: { duplicate: 'A local authority with this `code` exists.' },
          requestExample: {
            name: 'Wrexham County Borough Council',
            nameCy: 'Cyngor Bwrdeistref Sirol Wrecsam',
            code: 'WXM',
            surplusThresholdWeeks: 8,
          },
          responseExample: localAuthorityExample,
        }),
        tags: ['identity'],
        body: NewLocalAuthority,
        response: { 201: LocalAuthority },
      },
    },
    async (request, reply) => reply.code(201).send(await createLocalAuthority(contextOf(deps, request), request.body)),
  );
  r.get(
    '/v1/local-authorities',
    {
      config: { access: anyOf(admin, laOfficer) },
      schema: {
        ...documented({
          operationId: 'listLocalAuthorities',
          summary: 'List local authorities',
          description:
            'Every local authority for an admin, in code order; an LA officer sees only their own. One page holds them all ' +
            '(`nextCursor` is always null).',
          returns: 'The local authorities the caller may see.',
          responseExample: examplePage(localAuthorityExample),
        }),
        tags: ['identity'],
        response: { 200: pageOf(LocalAuthority) },
      },
    },
    async (request) => listLocalAuthorities(contextOf(deps, request)),
  );
  r.get(
    '/v1/local-authorities/:laId',
    {
      config: { access: anyOf(admin, laOfficerOfLa) },
      schema: {
        ...documented({
          operationId: 'getLocalAuthority',
          summary: 'Get a local authority',
          description: "An admin reads any local authority; an LA officer their own (another LA's is not found).",
          returns: 'The local authority.',
          problems: { 'not-found': 'No local authority has this id.' },
          responseExample: localAuthorityExample,
        }),
        tags: ['identity'],
        params: z.strictObject({ laId: Id }),
        response: { 200: LocalAuthority },
      },
    },
    async (request) => getLocalAuthority(contextOf(deps, request), request.params.laId),
  );
  r.get(
    '/v1/local-authorities/:laId/coops',
    {
      config: { access: laOfficerOfLa },
      schema: {
        ...documented({
          operationId: 'listCoopsOfLocalAuthority',
          summary: "List the co-ops where the LA's holders are",
          description:
            "For the LA's officer: every co-op with at least one of the LA's holders, how many, and how far its books are " +
            "closed with the bank reconciled. This is how an officer finds the co-ops to ask statements of; a co-op's " +
            'books are not theirs to read. One page holds them all.',
          returns: 'The co-ops where the LA has holders, in name order.',
          problems: { 'not-found': 'No local authority has this id.' },
          responseExample: examplePage({
            id: EXAMPLE_ID.coop,
            name: 'Cronfa Gofal',
            nameCy: 'Cronfa Gofal Cymru',
            holderCount: 12,
            reconciledThrough: '2026-09-30',
          }),
        }),
        tags: ['identity'],
        params: z.strictObject({ laId: Id }),
        response: { 200: pageOf(CoopOfLocalAuthority) },
      },
    },
    async (request) => listCoopsOfLocalAuthority(contextOf(deps, request), request.params.laId),
  );
}
