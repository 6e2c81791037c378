import { expect } from 'vitest';
import type { Response } from './harness';

const CONCURRENT = 'https://cronfa.dev/problems/concurrent-update';

/**
 * Concurrent requests sharing one Idempotency-Key: exactly one fresh 201, and every other response replays it
 * exactly (`Idempotency-Replayed: true`) or is told to retry (409). Returns the fresh response.
 */
export function expectPostedOnce(responses: Response[]): Response {
  const fresh = responses.filter((r) => r.status === 201 && r.headers['idempotency-replayed'] === undefined);
  expect(fresh).toHaveLength(1);
  for (const r of responses.filter((x) => x !== fresh[0])) {
    if (r.status === 409) expect(r.body.type).toBe(CONCURRENT);
    else {
      expect(r.status).toBe(201);
      expect(r.headers['idempotency-replayed']).toBe('true');
      expect(r.body).toEqual(fresh[0]!.body);
    }
  }
  return fresh[0]!;
}
