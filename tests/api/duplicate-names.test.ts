import { describe, expect, it } from 'vitest';
import { Problem, problemType } from '../support/problems';
import { useHarness } from '../support/use-harness';

/**
 * Names become account codes, and two names that read the same (here: with no Latin letters at all) give the same
 * code. The database refuses the second account; the answer is a 409 the treasurer can act on, never a 500.
 */
const { h, coop } = useHarness();

const provider = (name: string) =>
  h.call('POST', `/v1/coops/${coop.coopId}/providers`, {
    token: coop.treasurerToken,
    body: { name, kind: 'charity', welshLanguageService: false, locality: 'Rhyl' },
  });

describe('names that read the same', () => {
  it('refuses a second provider whose name gives the same account code, and records nothing', async () => {
    expect((await provider('🫨 Hwyl')).status).toBe(201);
    const second = await provider('🕬 Hwyl');
    expect(second.status).toBe(409);
    expect(second.json(Problem).type).toBe(problemType('duplicate'));
    const list = await h.call<{ items: { name: string }[] }>('GET', `/v1/coops/${coop.coopId}/providers`, {
      token: coop.treasurerToken,
    });
    expect(list.body.items.map((p) => p.name)).toEqual(['🫨 Hwyl']);
  });
});
