import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, type DemoPerson, seedDemoPeople } from '../../scripts/demo-people';
import { type DemoTokens, seedDemo } from '../../scripts/demo-seed';
import { type TypedHarness, createHarness } from '../support/harness';
import { PageClient, textOf } from '../support/web';

let h: TypedHarness;
let demo: DemoTokens;
let people: DemoPerson[];
beforeAll(async () => {
  h = await createHarness();
  demo = await seedDemo(h.app, h.adminToken);
  people = await seedDemoPeople(h.app, h.db.database, demo);
}, 180_000);
afterAll(async () => h?.close());

describe('the demo’s people', () => {
  it('each signs in with the printed email and password and lands on their own start page', async () => {
    const landing: Record<string, RegExp> = {
      treasurer: /^\/$/,
      holder: new RegExp(`^/accounts/${demo.holder.memberId}$`),
      supporter: /^\/accounts$/,
      la_officer: /^\/holders$/,
    };
    expect(people.map((p) => p.role).sort()).toEqual(Object.keys(landing).sort());
    for (const person of people) {
      const client = new PageClient(h);
      await client.get('/sign-in');
      expect((await client.post('/sign-in', { email: person.email, password: DEMO_PASSWORD })).status).toBe(303);
      const home = await client.get('/');
      if (home.status === 303) expect(home.location, person.role).toMatch(landing[person.role] ?? /never/);
      else expect(home.status, person.role).toBe(200);
    }
  });

  it('the supporter sees the demo holder’s money, as the holder does', async () => {
    const supporter = new PageClient(h);
    await supporter.get('/sign-in');
    await supporter.post('/sign-in', { email: 'supporter@demo.cronfa.cymru', password: DEMO_PASSWORD });
    const page = await supporter.get(`/accounts/${demo.holder.memberId}`);
    expect(page.status).toBe(200);
    expect(textOf(page.html)).toContain(`You are looking at the account of ${demo.holder.name}`);
  });
});
