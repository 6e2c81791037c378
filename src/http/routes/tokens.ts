import { z } from 'zod';
import { admin, anyOf, anyTreasurer, anyone } from '../../auth/permissions';
import { PERSON_ROLES, ROLES } from '../../domain/vocabulary';
import { createToken, listTokens, revokeToken } from '../../services/tokens';
import { EXAMPLE_ID, EXAMPLE_TIME, documented, examplePage } from '../openapi-docs';
import { Id, PageQuery, ShortText, pageOf, pageRequest } from './schemas';
import { type App, type RouteDeps, contextOf, typed } from '../route-context';

const NewToken = z.strictObject({
  role: z.enum(ROLES),
  label: ShortText,
  coopId: Id.optional(),
  memberId: Id.optional(),
  localAuthorityId: Id.optional(),
  expiresAt: z.iso
    .datetime({ offset: true })
    .transform((text) => new Date(text))
    .optional()
    .meta({ description: "Sooner than the role's lifetime, if wanted; never after the token that creates it." }),
});

const TokenOut = z.object({
  id: Id,
  role: z.enum(PERSON_ROLES),
  label: z.string(),
  coopId: Id.nullable(),
  memberId: Id.nullable(),
  localAuthorityId: Id.nullable(),
  createdBy: Id.nullable().meta({ description: 'The token that created this one (null for the first admin token).' }),
  createdAt: z.string(),
  expiresAt: z.string(),
  lastUsedAt: z.string().nullable().meta({ description: 'Recorded to within five minutes.' }),
  revokedAt: z.string().nullable(),
});

const IssuedToken = TokenOut.extend({
  token: z.string().meta({ description: 'Shown once; only its SHA-256 is stored.' }),
});

const TokenQuery = PageQuery.extend({
  coopId: Id.optional(),
  role: z.enum(ROLES).optional(),
  all: z.enum(['true', 'false']).default('false').meta({ description: 'Include revoked and expired tokens.' }),
});

const RevokeQuery = z.strictObject({
  cascade: z
    .enum(['true', 'false'])
    .default('false')
    .meta({ description: 'Also revoke every token this one created, and theirs, all the way down.' }),
});

const tokenExample = {
  id: EXAMPLE_ID.token,
  role: 'holder',
  label: 'Gwenllian',
  coopId: EXAMPLE_ID.coop,
  memberId: EXAMPLE_ID.member,
  localAuthorityId: null,
  createdBy: EXAMPLE_ID.adminToken,
  createdAt: EXAMPLE_TIME,
  expiresAt: '2027-11-23T10:15:00.000Z',
  lastUsedAt: null,
  revokedAt: null,
};

export async function tokenRoutes(app: App, deps: RouteDeps): Promise<void> {
  const r = typed(app);
  r.post(
    '/v1/tokens',
    {
      config: { access: anyOf(admin, anyTreasurer) },
      schema: {
        ...documented({
          operationId: 'createToken',
          summary: 'Issue a token',
          description:
            'Issues a bearer token bound to its scope: an `admin` token to nothing, a `treasurer` token to `coopId`, a ' +
            '`holder` token to `coopId` and `memberId` (a holder of that co-op), an `la_officer` token to ' +
            '`localAuthorityId`. The secret (`token`) is in this answer only; Cronfa keeps its SHA-256. Admins issue any ' +
            "token; a treasurer only holder tokens for their own co-op's holders. A token lasts its role's lifetime, or " +
            'until `expiresAt` if sooner, and never longer than the token that issues it.',
          returns: 'The token, with its secret: store it now, it is never shown again.',
          problems: {
            forbidden: 'A treasurer asked for a token other than a holder token, or for another co-op.',
            'not-found':
              'The co-op, member or local authority named does not exist (or the member is not in the co-op).',
            unprocessable:
              'The scope does not fit the role, the member is not a holder, or `expiresAt` is past or later than allowed.',
          },
          requestExample: { role: 'holder', label: 'Gwenllian', coopId: EXAMPLE_ID.coop, memberId: EXAMPLE_ID.member },
          responseExample: { ...tokenExample, token: 'cronfa_<43 characters, shown once>' },
        }),
        tags: ['identity'],
        body: NewToken,
        response: { 201: IssuedToken },
      },
    },
    async (request, reply) => reply.code(201).send(await createToken(contextOf(deps, request), request.body)),
  );
  r.get(
    '/v1/tokens',
    {
      config: { access: anyOf(admin, anyTreasurer) },
      schema: {
        ...documented({
          operationId: 'listTokens',
          summary: 'List tokens',
          description:
            'Tokens with their role, scope, who issued them and when they were last used: an admin sees every token (or ' +
            "a co-op's, or a role's, with `coopId` and `role`); a treasurer their own co-op's holder tokens. Revoked and " +
            'expired tokens are left out unless `all=true`. Neither a secret nor its hash is ever listed.',
          returns: 'A page of tokens, oldest first.',
          responseExample: examplePage(tokenExample),
        }),
        tags: ['identity'],
        querystring: TokenQuery,
        response: { 200: pageOf(TokenOut) },
      },
    },
    async (request) => {
      const { coopId, role, all } = request.query;
      return listTokens(contextOf(deps, request), { coopId, role, all: all === 'true', ...pageRequest(request.query) });
    },
  );
  r.delete(
    '/v1/tokens/:tokenId',
    {
      config: { access: anyone },
      schema: {
        ...documented({
          operationId: 'revokeToken',
          summary: 'Revoke a token',
          description:
            'The token stops working on the next request, and for good. With `cascade=true` every token it issued is ' +
            "revoked too, and theirs, all the way down. An admin revokes any token, a treasurer their co-op's holder " +
            'tokens, anyone their own. Revoking a revoked token again succeeds.',
          returns: 'Revoked.',
          problems: {
            'not-found': 'No such token, or not one the caller may revoke (it is not revealed which).',
          },
        }),
        tags: ['identity'],
        params: z.strictObject({ tokenId: Id }),
        querystring: RevokeQuery,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await revokeToken(contextOf(deps, request), request.params.tokenId, request.query.cascade === 'true');
      return reply.code(204).send(null);
    },
  );
}
