import { z } from 'zod';
import { AWARD_FREQUENCIES } from '../../domain/vocabulary';
import { anyOf, holderOfCoop, treasurerOfCoop } from '../../auth/permissions';
import { poolBalance } from '../../services/balances';
import { contributeToPool, createPool, getPool, joinPool, leavePool, listPools } from '../../services/pools';
import { moneyWriteOf, sendMoneyWrite } from '../money-write';
import { EXAMPLE_ID, EXAMPLE_TIME, documented, examplePage } from '../openapi-docs';
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
import { type App, type RouteDeps, contextOf, typed } from '../route-context';

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

const membershipExample = {
  memberId: EXAMPLE_ID.member,
  name: 'Gwenllian Ŵyn',
  joinedOn: '2026-11-01',
  leftOn: null,
  joinedAt: EXAMPLE_TIME,
  agreedContribution: { amount: '120.00', frequency: 'weekly' },
};
const poolExample = {
  id: EXAMPLE_ID.pool,
  coopId: EXAMPLE_ID.coop,
  code: 'shared-pa-team',
  name: 'Shared PA team',
  nameCy: 'Tîm cynorthwywyr personol',
  purpose: 'Two shared personal assistants',
  createdAt: EXAMPLE_TIME,
  members: [membershipExample],
};
const noPool = 'No pool with this id in the co-op, or (for a holder) one they have no share in.';

export async function poolRoutes(app: App, deps: RouteDeps): Promise<void> {
  const r = typed(app);
  const readers = anyOf(treasurerOfCoop, holderOfCoop);

  r.post(
    '/v1/coops/:coopId/pools',
    {
      config: { access: treasurerOfCoop },
      schema: {
        ...documented({
          operationId: 'createPool',
          summary: 'Create a pool',
          description:
            'A pool members put part of their funds in to buy together (shared personal assistants, a block-booked day ' +
            'service). Its `code`, from the name, names its accounts in the ledger. Treasurers only.',
          returns: 'The pool, with no members yet.',
          problems: { duplicate: 'Another pool of the co-op has a name that gives the same code.' },
          requestExample: {
            name: 'Shared PA team',
            nameCy: 'Tîm cynorthwywyr personol',
            purpose: 'Two shared personal assistants',
          },
          responseExample: { ...poolExample, members: [] },
        }),
        tags: ['pools'],
        params: CoopParams,
        body: NewPool,
        response: { 201: Pool },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createPool(contextOf(deps, request), request.params.coopId, request.body)),
  );
  r.get(
    '/v1/coops/:coopId/pools',
    {
      config: { access: readers },
      schema: {
        ...documented({
          operationId: 'listPools',
          summary: "List a co-op's pools",
          description:
            "The co-op's treasurer sees every pool with its members; a holder only the pools they have a share in, " +
            "without other members' details.",
          returns: 'A page of pools, in id order.',
          responseExample: examplePage(poolExample),
        }),
        tags: ['pools'],
        params: CoopParams,
        querystring: PageQuery,
        response: { 200: pageOf(Pool) },
      },
    },
    async (request) => listPools(contextOf(deps, request), request.params.coopId, pageRequest(request.query)),
  );
  r.get(
    '/v1/coops/:coopId/pools/:poolId',
    {
      config: { access: readers },
      schema: {
        ...documented({
          operationId: 'getPool',
          summary: 'Get a pool',
          description:
            "A pool. The co-op's treasurer sees its members, past and present, with the dates they joined and left; a " +
            'holder with a share in it sees the pool without its members.',
          returns: 'The pool.',
          problems: { 'not-found': noPool },
          responseExample: poolExample,
        }),
        tags: ['pools'],
        params: PoolParams,
        response: { 200: Pool },
      },
    },
    async (request) => getPool(contextOf(deps, request), request.params.coopId, request.params.poolId),
  );
  r.post(
    '/v1/coops/:coopId/pools/:poolId/members',
    {
      config: { access: treasurerOfCoop },
      schema: {
        ...documented({
          operationId: 'joinPool',
          summary: 'Add a holder to a pool',
          description:
            'The holder joins the pool on `joinedOn` (default today); contributions dated before it are refused. ' +
            '`agreedContribution` records what they agreed to put in. A holder who left may join again from the day ' +
            'they left. Treasurers only.',
          returns: 'The membership.',
          problems: {
            'not-found': 'No pool, or no member with `memberId`, in the co-op.',
            unprocessable: 'The member is not a holder, or `joinedOn` is in the future or before they last left.',
            duplicate: 'The member is already in the pool.',
            'period-closed': '`joinedOn` is in a closed period.',
          },
          requestExample: {
            memberId: EXAMPLE_ID.member,
            joinedOn: '2026-11-01',
            agreedContribution: { amount: '120.00', frequency: 'weekly' },
          },
          responseExample: { ...membershipExample, poolId: EXAMPLE_ID.pool },
        }),
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
        ...documented({
          operationId: 'leavePool',
          summary: 'Take a holder out of a pool',
          description:
            'The holder leaves the pool on `leftOn` (default today), and what remains of their share goes back to their ' +
            'funds in one journal entry (`entryId`, null when the share was empty). A money write: send an ' +
            '`Idempotency-Key`. Treasurers only.',
          returns: 'The leaving, with what was returned to their funds.',
          problems: {
            'not-found': 'No such pool in the co-op, or the member is not in it.',
            unprocessable: '`leftOn` is in the future, before they joined, or before their share last moved.',
            'period-closed': '`leftOn` is in a closed period.',
          },
          responseExample: {
            poolId: EXAMPLE_ID.pool,
            memberId: EXAMPLE_ID.member,
            leftOn: '2026-11-30',
            entryId: EXAMPLE_ID.entry,
            returned: '184.80',
          },
        }),
        tags: ['pools'],
        params: PoolMemberParams,
        querystring: LeaveQuery,
        headers: IdempotencyHeaders,
        response: { 200: Leave },
      },
    },
    async (request, reply) => {
      const { coopId, poolId, memberId } = request.params;
      const write = moneyWriteOf(deps, request, coopId);
      return sendMoneyWrite(reply, 200, await leavePool(write, poolId, memberId, request.query.leftOn));
    },
  );
  r.post(
    '/v1/coops/:coopId/pools/:poolId/contributions',
    {
      config: { access: treasurerOfCoop },
      schema: {
        ...documented({
          operationId: 'contributeToPool',
          summary: "Move a holder's funds into their pool share",
          description:
            "Moves `amount` from the holder's own funds to their share of the pool, dated `date` (on or after they " +
            'joined). Refused whole if their funds are short. Send an `Idempotency-Key`. Treasurers only.',
          returns: 'The contribution and the journal entry it posted.',
          problems: {
            'not-found': 'No such pool, or no member with `memberId`, in the co-op.',
            unprocessable: 'The member is not in the pool on `date`, or `date` is in the future.',
            'insufficient-funds': "The holder's funds are less than `amount`.",
            'period-closed': '`date` is in a closed period.',
          },
          requestExample: { memberId: EXAMPLE_ID.member, amount: '240.00', date: '2026-11-03', memo: 'November' },
          responseExample: {
            entryId: EXAMPLE_ID.entry,
            poolId: EXAMPLE_ID.pool,
            memberId: EXAMPLE_ID.member,
            amount: '240.00',
            date: '2026-11-03',
          },
        }),
        tags: ['pools'],
        params: PoolParams,
        headers: IdempotencyHeaders,
        body: NewContribution,
        response: { 201: Contribution },
      },
    },
    async (request, reply) => {
      const { coopId, poolId } = request.params;
      return sendMoneyWrite(
        reply,
        201,
        await contributeToPool(moneyWriteOf(deps, request, coopId), poolId, request.body),
      );
    },
  );
  r.get(
    '/v1/coops/:coopId/pools/:poolId/balance',
    {
      config: { access: readers },
      schema: {
        ...documented({
          operationId: 'getPoolBalance',
          summary: "A pool's balance",
          description:
            "The pool's total and each member's share at the end of `asOf` (default today). A holder sees the total and " +
            'only their own share.',
          returns: 'The balance.',
          problems: { 'not-found': noPool },
          responseExample: {
            poolId: EXAMPLE_ID.pool,
            asOf: '2026-11-23',
            total: '480.00',
            shares: [
              { memberId: EXAMPLE_ID.member, name: 'Gwenllian Ŵyn', share: '240.00' },
              { memberId: EXAMPLE_ID.otherMember, name: 'Dafydd Tŷ-Gwyn', share: '240.00' },
            ],
          },
        }),
        tags: ['pools'],
        params: PoolParams,
        querystring: AsOfQuery,
        response: { 200: PoolBalance },
      },
    },
    async (request) =>
      poolBalance(contextOf(deps, request), request.params.coopId, request.params.poolId, request.query.asOf),
  );
}
