/**
 * People to sign in to the demo's pages with: a treasurer, a holder, a supporter of that holder and an LA officer,
 * invited through the API as a treasurer and an admin would be, each accepting their link with the demo password.
 */
import type { FastifyInstance } from 'fastify';
import type { Database } from '../src/db/database';
import { acceptInvitation } from '../src/services/people/invitations';

/** The one password of every demo person: the demo is local and throw-away. */
export const DEMO_PASSWORD = 'cronfa demo password';

export interface DemoPerson {
  role: string;
  email: string;
  who: string;
}

export async function seedDemoPeople(
  app: FastifyInstance,
  database: Database,
  demo: {
    coopId: string;
    admin: string;
    treasurer: string;
    holder: { memberId: string; name: string };
    laOfficer: { laId: string };
  },
): Promise<DemoPerson[]> {
  const invite = async (token: string, body: Record<string, unknown>) => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/invitations',
      headers: { authorization: `Bearer ${token}` },
      payload: body,
    });
    if (res.statusCode !== 201) throw new Error(`demo invitation refused: ${res.statusCode} ${res.body}`);
    const secret = new URL(res.json<{ url: string }>().url).pathname.split('/').at(-1) ?? '';
    const accepted = await acceptInvitation(
      database,
      secret,
      { password: DEMO_PASSWORD, confirmation: DEMO_PASSWORD },
      new Date(),
    );
    if (accepted.kind !== 'signed-in') throw new Error(`demo invitation not accepted: ${accepted.kind}`);
  };
  const people: (DemoPerson & { token: string; body: Record<string, unknown> })[] = [
    {
      role: 'treasurer',
      email: 'treasurer@demo.cronfa.cymru',
      who: 'Rhian Evans, treasurer',
      token: demo.admin,
      body: { role: 'treasurer', name: 'Rhian Evans', coopId: demo.coopId, preferredLanguage: 'cy' },
    },
    {
      role: 'holder',
      email: 'holder@demo.cronfa.cymru',
      who: demo.holder.name,
      token: demo.treasurer,
      body: { role: 'holder', name: demo.holder.name, memberId: demo.holder.memberId },
    },
    {
      role: 'supporter',
      email: 'supporter@demo.cronfa.cymru',
      who: `Gareth Jones, supporting ${demo.holder.name}`,
      token: demo.treasurer,
      body: { role: 'supporter', name: 'Gareth Jones', supports: [{ memberId: demo.holder.memberId, access: 'view' }] },
    },
    {
      role: 'la_officer',
      email: 'officer@demo.cronfa.cymru',
      who: 'Sioned Price, Wrexham',
      token: demo.admin,
      body: { role: 'la_officer', name: 'Sioned Price', localAuthorityId: demo.laOfficer.laId },
    },
  ];
  for (const person of people) await invite(person.token, { ...person.body, email: person.email });
  return people.map(({ role, email, who }) => ({ role, email, who }));
}
