import { z } from 'zod';
import { AWARD_FREQUENCIES } from '../domain/vocabulary';
import { anyOf, holderOfCoop, treasurerOfCoop } from '../auth/permissions';
import { poolBalance } from '../services/balances';
import { contributeToPool, createPool, getPool, joinPool, leavePool, listPools } from '../services/pools';
import { moneyWriteOf, sendStored } from './money-write';
import {
  AsOfQuery,
  CalendarDate,
  CoopParams,
  Id,
  IdempotencyHeaders,
  LongText,
  MoneyOut,
  PageQuery,
  PoolMemberParams,
  PoolParams,
  PositiveMoney,
  ShortText,
  pageOf,
  pageRequest,
} from './schemas';
import { type App, type RouteDeps, contextOf, typed } from './types';

const PoolMembership = z.object({
  memberId: Id,
  name: z.string(),
  joinedOn: z.string().meta({ description: 'The day the member joined.' }),
  leftOn: z.string().nullable().meta({ description: 'The day the member left; null while in the pool.' }),
  joinedAt: z.string().meta({ description: 'When the joining was recorded.' }),
  agreedContribution: z.object({ amount: MoneyOut, frequency: z.string() }).nullable(),
});

const Pool = z.object({
  id: Id,
  coopId: Id,
  code: z.string(),
  name: z.string(),
  nameCy: z.string().nullable(),
  purpose: z.string(),
  createdAt: z.string(),
  members: z.array(PoolMembership).optional().meta({ description: 'Treasurers only.' }),
});

const NewPool = z.strictObject({ name: ShortText, nameCy: ShortText.optional(), purpose: LongText });

const JoinPool = z.strictObject({
  memberId: Id,
  agreedContribution: z.strictObject({ amount: PositiveMoney, frequency: z.enum(AWARD_FREQUENCIES) }).optional(),
  joinedOn: CalendarDate.optional().meta({ description: 'Default today; contributions before it are refused.' }),
});

const NewContribution = z.strictObject({
  memberId: Id,
  amount: PositiveMoney,
  date: CalendarDate,
  memo: ShortText.optional(),
});
const Contribution = z.object({ entryId: Id, poolId: Id, memberId: Id, amount: MoneyOut, date: z.string() });
const Leave = z.object({ poolId: Id, memberId: Id, leftOn: z.string(), entryId: Id.nullable(), returned: MoneyOut });
const LeaveQuery = z.strictObject({
  leftOn: CalendarDate.optional().meta({ description: 'The day the member left (default today).' }),
});

const PoolBalance = z.object({
  poolId: Id,
  asOf: z.string(),
  total: MoneyOut,
  shares: z.array(z.object({ memberId: Id, name: z.string(), share: MoneyOut })),
});

export async function poolRoutes(app: App, deps: RouteDeps): Promise<void> {
  const r = typed(app);
  const readers = anyOf(treasurerOfCoop, holderOfCoop);

  r.post(
    '/v1/coops/:coopId/pools',
    {
      config: { access: treasurerOfCoop },
      schema: { tags: ['pools'], params: CoopParams, body: NewPool, response: { 201: Pool } },
    },
    async (request, reply) =>
      reply.code(201).send(await createPool(contextOf(deps, request), request.params.coopId, request.body)),
  );
  r.get(
    '/v1/coops/:coopId/pools',
    {
      config: { access: readers },
      schema: { tags: ['pools'], params: CoopParams, querystring: PageQuery, response: { 200: pageOf(Pool) } },
    },
    async (request) => listPools(contextOf(deps, request), request.params.coopId, pageRequest(request.query)),
  );
  r.get(
    '/v1/coops/:coopId/pools/:poolId',
    { config: { access: readers }, schema: { tags: ['pools'], params: PoolParams, response: { 200: Pool } } },
    async (request) => getPool(contextOf(deps, request), request.params.coopId, request.params.poolId),
  );
  r.post(
    '/v1/coops/:coopId/pools/:poolId/members',
    {
      config: { access: treasurerOfCoop },
      schema: {
        tags: ['pools'],
        params: PoolParams,
        body: JoinPool,
        response: { 201: PoolMembership.extend({ poolId: Id }) },
      },
    },
    async (request, reply) => {
      const { coopId, poolId } = request.params;
      return reply.code(201).send(await joinPool(contextOf(deps, request), coopId, poolId, request.body));
    },
  );
  r.delete(
    '/v1/coops/:coopId/pools/:poolId/members/:memberId',
    {
      config: { access: treasurerOfCoop },
      schema: {
        tags: ['pools'],
        params: PoolMemberParams,
        querystring: LeaveQuery,
        headers: IdempotencyHeaders,
        response: { 200: Leave },
      },
    },
    async (request, reply) => {
      const { coopId, poolId, memberId } = request.params;
      const write = moneyWriteOf(deps.database, request, coopId);
      return sendStored(reply, await leavePool(write, poolId, memberId, request.query.leftOn));
    },
  );
  r.post(
    '/v1/coops/:coopId/pools/:poolId/contributions',
    {
      config: { access: treasurerOfCoop },
      schema: {
        tags: ['pools'],
        params: PoolParams,
        headers: IdempotencyHeaders,
        body: NewContribution,
        response: { 201: Contribution },
      },
    },
    async (request, reply) => {
      const { coopId, poolId } = request.params;
      return sendStored(
        reply,
        await contributeToPool(moneyWriteOf(deps.database, request, coopId), poolId, request.body),
      );
    },
  );
  r.get(
    '/v1/coops/:coopId/pools/:poolId/balance',
    {
      config: { access: readers },
      schema: { tags: ['pools'], params: PoolParams, querystring: AsOfQuery, response: { 200: PoolBalance } },
    },
    async (request) =>
      poolBalance(contextOf(deps, request), request.params.coopId, request.params.poolId, request.query.asOf),
  );
}
