import { z } from 'zod';
import { anyOf, holderOfCoop, holderSelf, laOfficer, treasurerOfCoop } from '../auth/permissions';
import { AWARD_FREQUENCIES, LANGUAGES, STAKEHOLDER_CLASSES } from '../domain/vocabulary';
import { putAward } from '../services/awards';
import { memberBalance } from '../services/balances';
import { createMember, getMember, listMembers } from '../services/members';
import { recordReceipt } from '../services/receipts';
import { moneyWriteOf, sendStored } from './money-write';
import {
  AsOfQuery,
  CalendarDate,
  CoopParams,
  Id,
  IdempotencyHeaders,
  LaReference,
  MemberParams,
  MoneyOut,
  PageQuery,
  PositiveMoney,
  ShortText,
  pageOf,
  pageRequest,
} from './schemas';
import { type App, type RouteDeps, contextOf, typed } from './types';

const AwardOut = z.object({
  id: Id,
  amount: MoneyOut,
  frequency: z.enum(AWARD_FREQUENCIES),
  startsOn: z.string(),
  endsOn: z.string().nullable().meta({ description: 'Null while in force until the next change.' }),
  replacedBy: Id.nullable().meta({ description: 'The award that corrected this one for the same dates.' }),
});

const Member = z.object({
  id: Id,
  coopId: Id,
  name: z.string(),
  stakeholderClass: z.enum(STAKEHOLDER_CLASSES),
  localAuthorityId: Id.nullable(),
  laReference: z.string().nullable(),
  preferredLanguage: z.enum(LANGUAGES),
  award: AwardOut.nullable().meta({ description: 'The award in force today.' }),
  awards: z.array(AwardOut).meta({ description: 'Every award recorded, oldest first (dated history).' }),
  createdAt: z.string(),
});

const NewMember = z.strictObject({
  name: ShortText,
  stakeholderClass: z.enum(STAKEHOLDER_CLASSES),
  localAuthorityId: Id.optional(),
  laReference: LaReference.optional(),
  preferredLanguage: z.enum(LANGUAGES),
});

const AwardIn = z.strictObject({
  amount: PositiveMoney,
  frequency: z.enum(AWARD_FREQUENCIES),
  startsOn: CalendarDate,
  endsOn: CalendarDate.optional(),
});

const NewReceipt = z.strictObject({
  memberId: Id,
  amount: PositiveMoney,
  receivedOn: CalendarDate,
  reference: ShortText.max(100),
});

const Receipt = z.object({
  entryId: Id,
  memberId: Id,
  amount: MoneyOut,
  receivedOn: z.string(),
  reference: z.string(),
});

const MemberBalance = z.object({
  memberId: Id,
  asOf: z.string(),
  funds: MoneyOut,
  pools: z.array(z.object({ poolId: Id, name: z.string(), share: MoneyOut })),
  total: MoneyOut,
});

/** Members, their DP awards, DP receipts and balances: treasurers write, holders read their own. */
export async function memberRoutes(app: App, deps: RouteDeps): Promise<void> {
  const r = typed(app);
  const readers = anyOf(treasurerOfCoop, holderSelf, laOfficer);

  r.post(
    '/v1/coops/:coopId/members',
    {
      config: { access: treasurerOfCoop },
      schema: { tags: ['members'], params: CoopParams, body: NewMember, response: { 201: Member } },
    },
    async (request, reply) =>
      reply.code(201).send(await createMember(contextOf(deps, request), request.params.coopId, request.body)),
  );
  r.get(
    '/v1/coops/:coopId/members',
    {
      config: { access: anyOf(treasurerOfCoop, holderOfCoop, laOfficer) },
      schema: { tags: ['members'], params: CoopParams, querystring: PageQuery, response: { 200: pageOf(Member) } },
    },
    async (request) => {
      const page = await listMembers(contextOf(deps, request), request.params.coopId, pageRequest(request.query));
      return page;
    },
  );
  r.get(
    '/v1/coops/:coopId/members/:memberId',
    { config: { access: readers }, schema: { tags: ['members'], params: MemberParams, response: { 200: Member } } },
    async (request) => getMember(contextOf(deps, request), request.params.coopId, request.params.memberId),
  );
  r.put(
    '/v1/coops/:coopId/members/:memberId/award',
    {
      config: { access: treasurerOfCoop },
      schema: {
        tags: ['members'],
        params: MemberParams,
        body: AwardIn,
        response: {
          200: AwardOut.extend({ memberId: Id, award: AwardOut.nullable(), awards: z.array(AwardOut) }),
        },
      },
    },
    async (request) => putAward(contextOf(deps, request), request.params.coopId, request.params.memberId, request.body),
  );
  r.post(
    '/v1/coops/:coopId/receipts',
    {
      config: { access: treasurerOfCoop },
      schema: {
        tags: ['members'],
        params: CoopParams,
        headers: IdempotencyHeaders,
        body: NewReceipt,
        response: { 201: Receipt },
      },
    },
    async (request, reply) =>
      sendStored(reply, await recordReceipt(moneyWriteOf(deps.database, request, request.params.coopId), request.body)),
  );
  r.get(
    '/v1/coops/:coopId/members/:memberId/balance',
    {
      config: { access: readers },
      schema: { tags: ['members'], params: MemberParams, querystring: AsOfQuery, response: { 200: MemberBalance } },
    },
    async (request) =>
      memberBalance(contextOf(deps, request), request.params.coopId, request.params.memberId, request.query.asOf),
  );
}
