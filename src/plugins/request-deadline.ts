import type { FastifyInstance } from 'fastify';
import { problem } from '../routes/problem-types';
import { sendProblem } from './problem-details';

/**
 * Answers any request still unanswered after `timeoutMs` with 503 problem+json and Retry-After, so a caller never
 * waits on a database that is gone (Node's own request timeout only covers receiving the request). Work already
 * under way may still finish; a money write is safe to retry with its Idempotency-Key, which replays it if it did.
 */
export function registerRequestDeadline(app: FastifyInstance, timeoutMs: number): void {
  app.addHook('onRequest', async (request, reply) => {
    const timer = setTimeout(() => {
      if (reply.sent) return;
      request.log.warn({ timeoutMs }, 'request deadline passed');
      reply.header('retry-after', '5');
      void sendProblem(
        reply,
        problem(
          'database-unavailable',
          `No answer within ${timeoutMs / 1000} s; retry shortly (with the same Idempotency-Key for a money write).`,
        ),
      );
    }, timeoutMs);
    reply.raw.once('close', () => clearTimeout(timer));
  });
}
