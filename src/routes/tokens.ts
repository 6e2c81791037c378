import { z } from 'zod';
import { admin, anyOf, anyTreasurer } from '../auth/permissions';
import { ROLES } from '../auth/principal';
import { createToken, revokeToken } from '../services/tokens';
import { Id, ShortText } from './schemas';
import { type App, type RouteDeps, contextOf, typed } from './types';

const NewToken = z.strictObject({
  role: z.enum(ROLES),
  label: ShortText,
  coopId: Id.optional(),
  memberId: Id.optional(),
  localAuthorityId: Id.optional(),
});

const IssuedToken = z.object({
  id: Id,
  token: z.string().meta({ description: 'Shown once; only its SHA-256 is stored.' }),
  role: z.enum(ROLES),
  label: z.string(),
  coopId: Id.nullable(),
  memberId: Id.nullable(),
  localAuthorityId: Id.nullable(),
  createdAt: z.string(),
});

export async function tokenRoutes(app: App, deps: RouteDeps): Promise<void> {
  const r = typed(app);
  r.post(
    '/v1/tokens',
    {
      config: { access: anyOf(admin, anyTreasurer) },
      schema: { tags: ['identity'], body: NewToken, response: { 201: IssuedToken } },
    },
    async (request, reply) => {
      const issued = await createToken(contextOf(deps, request), request.body);
      return reply.code(201).send({ ...issued, role: issued.role as (typeof ROLES)[number] });
    },
  );
  r.delete(
    '/v1/tokens/:tokenId',
    {
      config: { access: anyOf(admin, anyTreasurer) },
      schema: { tags: ['identity'], params: z.strictObject({ tokenId: Id }) },
    },
    async (request, reply) => {
      await revokeToken(contextOf(deps, request), request.params.tokenId);
      return reply.code(204).send();
    },
  );
}
