import { z } from 'zod';
import { anyOf, holderOfCoop, holderSelf, laOfficer, treasurerOfCoop } from '../../auth/permissions';
import { AWARD_FREQUENCIES, LANGUAGES, STAKEHOLDER_CLASSES } from '../../domain/vocabulary';
import { putAward } from '../../services/awards';
import { memberBalance } from '../../services/balances';
import { createMember, getMember, listMembers } from '../../services/members';
import { recordReceipt } from '../../services/receipts';
import { moneyWriteOf, sendMoneyWrite } from '../money-write';
import { EXAMPLE_ID, EXAMPLE_TIME, documented, examplePage } from '../openapi-docs';
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
import { type App, type RouteDeps, contextOf, typed } from '../route-context';

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

const awardExample = {
  id: EXAMPLE_ID.award,
  amount: '212.40',
  frequency: 'weekly',
  startsOn: '2026-04-01',
  endsOn: null,
  replacedBy: null,
};
const memberExample = {
  id: EXAMPLE_ID.member,
  coopId: EXAMPLE_ID.coop,
  name: 'Gwenllian Ŵyn',
  stakeholderClass: 'holder',
  localAuthorityId: EXAMPLE_ID.localAuthority,
  laReference: 'DP-1000',
  preferredLanguage: 'cy',
  award: awardExample,
  awards: [awardExample],
  createdAt: EXAMPLE_TIME,
};
const notYours = 'No member with this id in the co-op, or not one the caller may see.';

/** Members, their DP awards, DP receipts and balances: treasurers write, holders read their own. */
export async function memberRoutes(app: App, deps: RouteDeps): Promise<void> {
  const r = typed(app);
  const readers = anyOf(treasurerOfCoop, holderSelf, laOfficer);

  r.post(
    '/v1/coops/:coopId/members',
    {
      config: { access: treasurerOfCoop },
      schema: {
        ...documented({
          operationId: 'createMember',
          summary: 'Add a member',
          description:
            'Adds a member of the co-op: a `holder` (someone receiving Direct Payments, who needs `localAuthorityId` and ' +
            'their `laReference` at that council, and gets a funds account), a `worker`, a `supporter` or a ' +
            '`family_carer` (who have neither). `preferredLanguage` is the language of their statements. Treasurers only.',
          returns: 'The member.',
          problems: {
            unprocessable: 'A holder without `localAuthorityId` or `laReference`, or another member with one.',
            'not-found': 'No local authority has `localAuthorityId`.',
            duplicate: 'Another member of this co-op has this `laReference`.',
          },
          requestExample: {
            name: 'Gwenllian Ŵyn',
            stakeholderClass: 'holder',
            localAuthorityId: EXAMPLE_ID.localAuthority,
            laReference: 'DP-1000',
            preferredLanguage: 'cy',
          },
          responseExample: { ...memberExample, award: null, awards: [] },
        }),
        tags: ['members'],
        params: CoopParams,
        body: NewMember,
        response: { 201: Member },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createMember(contextOf(deps, request), request.params.coopId, request.body)),
  );
  r.get(
    '/v1/coops/:coopId/members',
    {
      config: { access: anyOf(treasurerOfCoop, holderOfCoop, laOfficer) },
      schema: {
        ...documented({
          operationId: 'listMembers',
          summary: "List a co-op's members",
          description:
            "The co-op's treasurer sees every member; a holder only themselves; an LA officer only their LA's holders " +
            '(an empty page in a co-op where the LA has none).',
          returns: 'A page of members, in id order.',
          responseExample: examplePage(memberExample),
        }),
        tags: ['members'],
        params: CoopParams,
        querystring: PageQuery,
        response: { 200: pageOf(Member) },
      },
    },
    async (request) => {
      const page = await listMembers(contextOf(deps, request), request.params.coopId, pageRequest(request.query));
      return page;
    },
  );
  r.get(
    '/v1/coops/:coopId/members/:memberId',
    {
      config: { access: readers },
      schema: {
        ...documented({
          operationId: 'getMember',
          summary: 'Get a member',
          description:
            "A member with their award in force today and every award recorded. The co-op's treasurer reads any member; " +
            "a holder themselves; an LA officer their LA's holders.",
          returns: 'The member.',
          problems: { 'not-found': notYours },
          responseExample: memberExample,
        }),
        tags: ['members'],
        params: MemberParams,
        response: { 200: Member },
      },
    },
    async (request) => getMember(contextOf(deps, request), request.params.coopId, request.params.memberId),
  );
  r.put(
    '/v1/coops/:coopId/members/:memberId/award',
    {
      config: { access: treasurerOfCoop },
      schema: {
        ...documented({
          operationId: 'putAward',
          summary: "Record a holder's Direct Payment award",
          description:
            'The award the local authority pays the holder from `startsOn` (to `endsOn`, or until the next change). The ' +
            'award in force before it ends the day before; awards recorded for dates from `startsOn` on are marked ' +
            'replaced by this one, so the history stays dated and never overlaps. Nothing in a closed period changes. ' +
            'Statements use the award to show the balance in weeks of award. Treasurers only.',
          returns: 'The award recorded, with the award in force today and the whole history.',
          problems: {
            'not-found': 'No member with this id in the co-op.',
            unprocessable: 'The member is not a holder, or `endsOn` is before `startsOn`.',
            'period-closed': 'The change would reach into a closed period.',
          },
          requestExample: { amount: '212.40', frequency: 'weekly', startsOn: '2026-04-01' },
          responseExample: {
            ...awardExample,
            memberId: EXAMPLE_ID.member,
            award: awardExample,
            awards: [awardExample],
          },
        }),
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
        ...documented({
          operationId: 'recordReceipt',
          summary: 'Record Direct Payment money received',
          description:
            "Records DP money the local authority paid into the co-op's bank for a holder: the holder's funds and the " +
            "bank both go up, in one journal entry. `reference` is the council's remittance reference; the same " +
            'reference twice for one holder is refused. Send an `Idempotency-Key` so a retry never records it twice. ' +
            'Treasurers only.',
          returns: 'The receipt and the journal entry it posted.',
          problems: {
            'not-found': 'No member with `memberId` in the co-op.',
            unprocessable: 'The member is not a holder, or `receivedOn` is in the future.',
            duplicate: 'A receipt with this `reference` is already recorded for the holder (`entryId`).',
            'period-closed': '`receivedOn` is in a closed period.',
          },
          requestExample: {
            memberId: EXAMPLE_ID.member,
            amount: '424.80',
            receivedOn: '2026-11-02',
            reference: 'WXM-DP-1000-NOV',
          },
          responseExample: {
            entryId: EXAMPLE_ID.entry,
            memberId: EXAMPLE_ID.member,
            amount: '424.80',
            receivedOn: '2026-11-02',
            reference: 'WXM-DP-1000-NOV',
          },
        }),
        tags: ['members'],
        params: CoopParams,
        headers: IdempotencyHeaders,
        body: NewReceipt,
        response: { 201: Receipt },
      },
    },
    async (request, reply) =>
      sendMoneyWrite(reply, 201, await recordReceipt(moneyWriteOf(deps, request, request.params.coopId), request.body)),
  );
  r.get(
    '/v1/coops/:coopId/members/:memberId/balance',
    {
      config: { access: readers },
      schema: {
        ...documented({
          operationId: 'getMemberBalance',
          summary: "A member's balance",
          description:
            'What the member has: their own funds, their share of each pool they are in, and the total, at the end of ' +
            "`asOf` (default today). The co-op's treasurer, the holder themselves, or their LA's officer.",
          returns: 'The balance.',
          problems: { 'not-found': notYours },
          responseExample: {
            memberId: EXAMPLE_ID.member,
            asOf: '2026-11-23',
            funds: '184.80',
            pools: [{ poolId: EXAMPLE_ID.pool, name: 'Shared PA team', share: '240.00' }],
            total: '424.80',
          },
        }),
        tags: ['members'],
        params: MemberParams,
        querystring: AsOfQuery,
        response: { 200: MemberBalance },
      },
    },
    async (request) =>
      memberBalance(contextOf(deps, request), request.params.coopId, request.params.memberId, request.query.asOf),
  );
}
