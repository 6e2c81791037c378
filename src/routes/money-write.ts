import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../db/database';
import { principalOf } from '../plugins/auth';
import { problemOfDomainError } from '../plugins/problem-details';
import { fingerprintOf, type StoredResponse } from '../services/idempotency';
import type { MoneyWrite } from '../services/money-writes';

/** Builds the idempotency identity of a money-moving request: co-op, key, and a hash of route, params and body. */
export function moneyWriteOf(database: Database, request: FastifyRequest, coopId: string): MoneyWrite {
  const header = request.headers['idempotency-key'];
  return {
    database,
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
    renderProblem: (error) => {
      const body = problemOfDomainError(error);
      return { status: body.status, body };
    },
  };
}

/** Sends a stored or fresh response; replays say so in `Idempotency-Replayed: true`. */
export function sendStored(reply: FastifyReply, stored: StoredResponse): FastifyReply {
  if (stored.replayed) reply.header('idempotency-replayed', 'true');
  if (stored.status >= 400) reply.type('application/problem+json');
  return reply.code(stored.status).send(stored.body);
}
