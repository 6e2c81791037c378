import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pageRoutesOf } from '../../src/web/plugin';
import { useHarness } from '../support/use-harness';
import { signedInHolder } from '../support/web';

const handle = useHarness();
const h = () => handle.h;

/** Whatever a browser, or anything pretending to be one, sends a page, the answer is never a 5xx. */
describe('pages refuse what they cannot read, and never fail', () => {
  it('random bodies of any type at every form', async () => {
    const holder = await signedInHolder(h(), handle.coop);
    const cookie = `cronfa_session=${holder.client.cookie('cronfa_session')}`;
    const posts = pageRoutesOf(h().app).filter((r) => r.method === 'POST');
    expect(posts.length).toBeGreaterThanOrEqual(5);
    for (const route of posts) {
      const url = route.url
        .replace(':memberId', holder.memberId)
        .replace(':secret', `cronfa_${'a'.repeat(43)}`)
        .replace(':linkId', 'not-a-uuid');
      await fc.assert(
        fc.asyncProperty(
          fc.string({ maxLength: 200 }),
          fc.constantFrom('application/json', 'application/x-www-form-urlencoded', 'text/plain', 'multipart/form-data'),
          async (payload, type) => {
            const res = await h().app.inject({
              method: 'POST',
              url,
              payload,
              headers: { 'content-type': type, cookie },
            });
            expect(res.statusCode, `${url} ${type} ${JSON.stringify(payload)}`).toBeLessThan(500);
          },
        ),
        { numRuns: 25 },
      );
    }
  });

  it('random query strings at every page', async () => {
    const holder = await signedInHolder(h(), handle.coop);
    const cookie = `cronfa_session=${holder.client.cookie('cronfa_session')}`;
    const gets = pageRoutesOf(h().app).filter((r) => r.method === 'GET');
    for (const route of gets) {
      const url = route.url.replace(':memberId', holder.memberId).replace(':secret', 'x').replace(':name', 'x.css');
      await fc.assert(
        fc.asyncProperty(
          fc.dictionary(
            fc.constantFrom(
              'lang',
              'download',
              'from-day',
              'from-month',
              'from-year',
              'to-day',
              'format',
              'page',
              'sort',
              'next',
              'removed',
            ),
            fc.string({ maxLength: 30 }),
          ),
          async (query) => {
            const res = await h().app.inject({ method: 'GET', url, query, headers: { cookie } });
            expect(res.statusCode, `${url} ${JSON.stringify(query)}`).toBeLessThan(500);
          },
        ),
        { numRuns: 25 },
      );
    }
  });
});
