import { expect } from 'vitest';
import { only } from './assert';
import type { Response } from './harness';
import { Problem, problemType } from './problems';

/**
 * Concurrent requests sharing one Idempotency-Key: exactly one fresh 201, and every other response replays it
 * exactly (`Idempotency-Replayed: true`) or is told to retry (409). Returns the fresh response.
 */
export function expectPostedOnce<T>(responses: Response<T>[]): Response<T> {
  const fresh = responses.filter((r) => r.status === 201 && r.headers['idempotency-replayed'] === undefined);
  expect(fresh).toHaveLength(1);
  const posted = only(fresh, 'fresh 201');
  for (const r of responses.filter((x) => x !== posted)) {
    if (r.status === 409) expect(r.json(Problem).type).toBe(problemType('concurrent-update'));
    else {
      expect(r.status).toBe(201);
      expect(r.headers['idempotency-replayed']).toBe('true');
      expect(r.body).toEqual(posted.body);
    }
  }
  return posted;
}
