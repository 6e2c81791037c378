import { z } from 'zod';
import { admin, anyOf, holderOfCoop, treasurerOfCoop } from '../auth/permissions';
import { createCoop, getCoop } from '../services/coops';
import { CoopParams, Id, ShortText } from './schemas';
import { type App, type RouteDeps, contextOf, typed } from './types';

const Coop = z.object({
  id: Id,
  name: z.string(),
  nameCy: z.string().nullable(),
  registrationNumber: z.string().nullable(),
  bankAccountId: Id,
  createdAt: z.string(),
});

const NewCoop = z.strictObject({
  name: ShortText,
  nameCy: ShortText.optional(),
  registrationNumber: z
    .string()
    .min(1)
    .max(40)
    .regex(/^[A-Za-z0-9 ./-]+$/)
    .optional(),
});

export async function coopRoutes(app: App, deps: RouteDeps): Promise<void> {
  const r = typed(app);
  r.post(
    '/v1/coops',
    { config: { access: admin }, schema: { tags: ['identity'], body: NewCoop, response: { 201: Coop } } },
    async (request, reply) => reply.code(201).send(await createCoop(contextOf(deps, request), request.body)),
  );
  r.get(
    '/v1/coops/:coopId',
    {
      config: { access: anyOf(admin, treasurerOfCoop, holderOfCoop) },
      schema: { tags: ['identity'], params: CoopParams, response: { 200: Coop } },
    },
    async (request) => getCoop(contextOf(deps, request), request.params.coopId),
  );
}
