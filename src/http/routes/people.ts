import { z } from 'zod';
import { admin, anyOf, anyTreasurer } from '../../auth/permissions';
import { LANGUAGES, PERSON_ROLES, SUPPORT_ACCESS } from '../../domain/vocabulary';
import { createInvitation, listInvitations, withdrawInvitation } from '../../services/people/invitations';
import { listPeople, suspendPerson } from '../../services/people/people';
import { EXAMPLE_ID, EXAMPLE_TIME, documented, examplePage } from '../openapi-docs';
import { type App, type RouteDeps, contextOf, typed } from '../route-context';
import { Id, PageQuery, ShortText, pageOf, pageRequest } from './schemas';

const NewInvitation = z.strictObject({
  role: z.enum(['treasurer', 'holder', 'supporter', 'la_officer']),
  name: ShortText,
  email: z.email().max(254).optional(),
  preferredLanguage: z.enum(LANGUAGES).optional(),
  coopId: Id.optional(),
  memberId: Id.optional(),
  supports: z
    .array(z.strictObject({ memberId: Id, access: z.enum(SUPPORT_ACCESS) }))
    .min(1)
    .max(20)
    .optional(),
  localAuthorityId: Id.optional(),
});

const InvitationOut = z.object({
  id: Id,
  url: z.string().meta({ description: 'The single-use sign-up link: shown only in this answer.' }),
  expiresAt: z.string(),
  emailed: z.boolean().meta({
    description:
      'Whether the link was emailed to the person, in their language: false without SMTP, without an email address, or when the mail server could not be reached (pass the link on yourself).',
  }),
});

const PendingInvitation = z.object({
  id: Id,
  personId: Id,
  role: z.enum(PERSON_ROLES),
  name: z.string(),
  email: z.string().nullable(),
  createdAt: z.string(),
  expiresAt: z.string(),
});

const PersonOut = z.object({
  id: Id,
  name: z.string(),
  email: z.string().nullable(),
  role: z.enum(PERSON_ROLES),
  coopId: Id.nullable(),
  memberId: Id.nullable(),
  localAuthorityId: Id.nullable(),
  preferredLanguage: z.enum(LANGUAGES),
  canSignIn: z.boolean(),
  createdAt: z.string(),
  suspendedAt: z.string().nullable(),
});

const PERSON_ID = '0193a5c0-1b2c-7d3e-8f40-000000000901';
const INVITATION_ID = '0193a5c0-1b2c-7d3e-8f40-000000000902';
const personExample = {
  id: PERSON_ID,
  name: 'Gwenllian Jones',
  email: 'gwenllian@example.org',
  role: 'holder',
  coopId: EXAMPLE_ID.coop,
  memberId: EXAMPLE_ID.member,
  localAuthorityId: null,
  preferredLanguage: 'cy',
  canSignIn: true,
  createdAt: EXAMPLE_TIME,
  suspendedAt: null,
};

/** Inviting people to sign in to the pages, and the people who can. */
export async function peopleRoutes(app: App, deps: RouteDeps): Promise<void> {
  const r = typed(app);
  r.post(
    '/v1/invitations',
    {
      config: { access: anyOf(admin, anyTreasurer) },
      schema: {
        ...documented({
          operationId: 'createInvitation',
          summary: 'Invite a person to sign in',
          description:
            'Creates the person (or finds them, if invited before: a new link resets a forgotten password) and a ' +
            'single-use sign-up link valid for 7 days. An admin invites treasurers (`coopId`) and LA officers ' +
            "(`localAuthorityId`); a treasurer invites their co-op's holders (`memberId`) and supporters (`supports`: " +
            'the holders they may see, with `view` or `act`). The link is in this answer only; only its hash is stored.',
          returns: 'The invitation and its link.',
          problems: {
            forbidden: 'The caller may not invite this role.',
            'not-found': 'The co-op, LA or member is not found, or not the caller’s.',
            duplicate: 'The email address belongs to another person.',
            unprocessable: 'A field the role needs is missing, or the member is not a holder.',
          },
          requestExample: {
            role: 'holder',
            name: 'Gwenllian Jones',
            email: 'gwenllian@example.org',
            preferredLanguage: 'cy',
            memberId: EXAMPLE_ID.member,
          },
          responseExample: {
            id: INVITATION_ID,
            url: 'https://cronfa.example/invitations/cronfa_<43 characters, shown once>',
            expiresAt: '2026-11-30T10:15:00.000Z',
            emailed: true,
          },
        }),
        tags: ['identity'],
        body: NewInvitation,
        response: { 201: InvitationOut },
      },
    },
    async (request, reply) => {
      const invitation = await createInvitation(contextOf(deps, request), request.body);
      return reply.code(201).send({
        id: invitation.id,
        url: invitation.url,
        expiresAt: invitation.expiresAt.toISOString(),
        emailed: invitation.emailed,
      });
    },
  );
  r.get(
    '/v1/invitations',
    {
      config: { access: anyOf(admin, anyTreasurer) },
      schema: {
        ...documented({
          operationId: 'listInvitations',
          summary: 'Pending invitations',
          description:
            'Invitations not yet used, withdrawn or lapsed: every one for an admin, their own for a treasurer.',
          returns: 'The pending invitations, newest first.',
          responseExample: {
            items: [
              {
                id: INVITATION_ID,
                personId: PERSON_ID,
                role: 'holder',
                name: 'Gwenllian Jones',
                email: 'gwenllian@example.org',
                createdAt: EXAMPLE_TIME,
                expiresAt: '2026-11-30T10:15:00.000Z',
              },
            ],
            nextCursor: null,
          },
        }),
        tags: ['identity'],
        response: { 200: z.object({ items: z.array(PendingInvitation), nextCursor: z.null() }) },
      },
    },
    async (request) => ({ items: await listInvitations(contextOf(deps, request)), nextCursor: null }),
  );
  r.delete(
    '/v1/invitations/:invitationId',
    {
      config: { access: anyOf(admin, anyTreasurer) },
      schema: {
        ...documented({
          operationId: 'withdrawInvitation',
          summary: 'Withdraw an invitation',
          description: 'Its link stops working at once.',
          returns: 'Withdrawn.',
          problems: { 'not-found': 'No pending invitation with this id that the caller made.' },
        }),
        tags: ['identity'],
        params: z.strictObject({ invitationId: Id }),
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await withdrawInvitation(contextOf(deps, request), request.params.invitationId);
      return reply.code(204).send(null);
    },
  );
  r.get(
    '/v1/people',
    {
      config: { access: anyOf(admin, anyTreasurer) },
      schema: {
        ...documented({
          operationId: 'listPeople',
          summary: 'People who can sign in',
          description:
            "Every person for an admin; a treasurer sees their own co-op's holders and treasurers, and the supporters of its holders.",
          returns: 'A page of people.',
          responseExample: examplePage(personExample),
        }),
        tags: ['identity'],
        querystring: PageQuery,
        response: { 200: pageOf(PersonOut) },
      },
    },
    async (request) => listPeople(contextOf(deps, request), pageRequest(request.query)),
  );
  r.delete(
    '/v1/people/:personId',
    {
      config: { access: anyOf(admin, anyTreasurer) },
      schema: {
        ...documented({
          operationId: 'suspendPerson',
          summary: 'Suspend a person',
          description: 'They can no longer sign in, and every session of theirs ends at once.',
          returns: 'The person, suspended.',
          problems: { 'not-found': 'No such person the caller may see.' },
          responseExample: { ...personExample, canSignIn: false, suspendedAt: EXAMPLE_TIME },
        }),
        tags: ['identity'],
        params: z.strictObject({ personId: Id }),
        response: { 200: PersonOut },
      },
    },
    async (request) => suspendPerson(contextOf(deps, request), request.params.personId),
  );
}
