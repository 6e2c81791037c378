import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { momentOf } from '../services/context';
import type { IdempotentOutcome } from '../services/idempotency';
import type { MoneyWrite } from '../services/money-writes';
import { principalOf } from './plugins/auth';
import type { RouteDeps } from './route-context';

/** Builds the idempotency identity of a money-moving request: co-op, key, and a hash of route, params and body. */
export function moneyWriteOf(deps: RouteDeps, request: FastifyRequest, coopId: string): MoneyWrite {
  const header = request.headers['idempotency-key'];
  return {
    database: deps.database,
    principal: principalOf(request),
    coopId,
    idempotencyKey: typeof header === 'string' ? header : null,
    // The query is part of the request: the same file imported with another layout is another request.
    fingerprint: fingerprintOf(
      request.method,
      request.routeOptions.url ?? '',
      { params: request.params, query: request.query },
      request.body,
    ),
    ...momentOf(deps),
  };
}

/**
 * Answers a money write with the route's success status; a replay says so in `Idempotency-Replayed: true`
 * (a replayed refusal says it from the error handler).
 */
export function sendMoneyWrite<Result>(
  reply: FastifyReply,
  status: 200 | 201,
  outcome: IdempotentOutcome<Result>,
): FastifyReply {
  if (outcome.replayed) reply.header('idempotency-replayed', 'true');
  return reply.code(status).send(outcome.result);
}

/** The request's identity for its Idempotency-Key: method, route, parameters and body. */
export function fingerprintOf(method: string, routeUrl: string, params: unknown, body: unknown): string {
  // An uploaded file is hashed as bytes: as JSON, a Buffer would be an array of numbers four times its size.
  const content = Buffer.isBuffer(body) ? { sha256: createHash('sha256').update(body).digest('hex') } : (body ?? null);
  return createHash('sha256')
    .update(JSON.stringify([method, routeUrl, params, content]))
    .digest('hex');
}
