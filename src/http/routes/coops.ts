import { z } from 'zod';
import { admin, anyOf, holderOfCoop, treasurerOfCoop } from '../../auth/permissions';
import { createCoop, getCoop } from '../../services/coops';
import { EXAMPLE_ID, EXAMPLE_TIME, documented } from '../openapi-docs';
import { CoopParams, Id, ShortText } from './schemas';
import { type App, type RouteDeps, contextOf, typed } from '../route-context';

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

const coopExample = {
  id: EXAMPLE_ID.coop,
  name: 'Cronfa Gofal',
  nameCy: 'Cronfa Gofal Cymru',
  registrationNumber: 'RS007123',
  bankAccountId: EXAMPLE_ID.bankAccount,
  createdAt: EXAMPLE_TIME,
};

export async function coopRoutes(app: App, deps: RouteDeps): Promise<void> {
  const r = typed(app);
  r.post(
    '/v1/coops',
    {
      config: { access: admin },
      schema: {
        ...documented({
          operationId: 'createCoop',
          summary: 'Add a co-op',
          description:
            'Creates a co-operative and its bank account in the ledger. Then issue it a treasurer token with ' +
            '`POST /v1/tokens`. Admins only.',
          returns: "The co-op, with its bank account's id.",
          requestExample: { name: 'Cronfa Gofal', nameCy: 'Cronfa Gofal Cymru', registrationNumber: 'RS007123' },
          responseExample: coopExample,
        }),
        tags: ['identity'],
        body: NewCoop,
        response: { 201: Coop },
      },
    },
    async (request, reply) => reply.code(201).send(await createCoop(contextOf(deps, request), request.body)),
  );
  r.get(
    '/v1/coops/:coopId',
    {
      config: { access: anyOf(admin, treasurerOfCoop, holderOfCoop) },
      schema: {
        ...documented({
          operationId: 'getCoop',
          summary: 'Get a co-op',
          description:
            "An admin reads any co-op; its treasurer and its holders their own (another co-op's is not found).",
          returns: 'The co-op.',
          problems: { 'not-found': 'No co-op has this id.' },
          responseExample: coopExample,
        }),
        tags: ['identity'],
        params: CoopParams,
        response: { 200: Coop },
      },
    },
    async (request) => getCoop(contextOf(deps, request), request.params.coopId),
  );
}
