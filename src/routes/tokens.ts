import { z } from 'zod';
import { admin, anyOf, anyTreasurer, anyone } from '../auth/permissions';
import { ROLES } from '../domain/vocabulary';
import { createToken, listTokens, revokeToken } from '../services/tokens';
import { Id, PageQuery, ShortText, pageOf, pageRequest } from './schemas';
import { type App, type RouteDeps, contextOf, typed } from './types';

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
  role: z.enum(ROLES),
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

export async function tokenRoutes(app: App, deps: RouteDeps): Promise<void> {
  const r = typed(app);
  r.post(
    '/v1/tokens',
    {
      config: { access: anyOf(admin, anyTreasurer) },
      schema: { tags: ['identity'], body: NewToken, response: { 201: IssuedToken } },
    },
    async (request, reply) => reply.code(201).send(await createToken(contextOf(deps, request), request.body)),
  );
  r.get(
    '/v1/tokens',
    {
      config: { access: anyOf(admin, anyTreasurer) },
      schema: { tags: ['identity'], querystring: TokenQuery, response: { 200: pageOf(TokenOut) } },
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
