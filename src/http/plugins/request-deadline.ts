import type { FastifyInstance, FastifyRequest } from 'fastify';
import { problem } from '../problem-types';
import { sendProblem } from './problem-details';

/** Requests Cronfa has begun reading the body of (past authentication), and those whose body it has read. */
const bodiesStarted = new WeakSet<FastifyRequest>();
const bodiesReceived = new WeakSet<FastifyRequest>();

/**
 * Answers any request still unanswered after `timeoutMs` with problem+json, so a caller never waits on a database
 * that is gone (Node's own request timeout only covers receiving the request). A request whose body is still
 * arriving gets 408 (send it again, faster); one being worked on gets 503 with Retry-After. Work already under way
 * may still finish; a money write is safe to retry with its Idempotency-Key, which replays it if it did.
 */
export function registerRequestDeadline(app: FastifyInstance, timeoutMs: number): void {
  app.addHook('preParsing', async (request) => {
    bodiesStarted.add(request);
  });
  app.addHook('preValidation', async (request) => {
    bodiesReceived.add(request);
  });
  app.addHook('onRequest', async (request, reply) => {
    const timer = setTimeout(() => {
      if (reply.sent) return;
      const seconds = timeoutMs / 1000;
      // Only a body still arriving is the client's slowness; waiting before that (on authentication) is ours.
      if (bodiesStarted.has(request) && !bodiesReceived.has(request)) {
        request.log.info({ timeoutMs }, 'request body too slow');
        // The rest of a body that never arrives is not waited for: the connection closes after the answer.
        reply.header('connection', 'close');
        void sendProblem(reply, problem('request-timeout', `The request body did not arrive within ${seconds} s.`));
        return;
      }
      request.log.warn({ timeoutMs }, 'request deadline passed');
      reply.header('retry-after', '5');
      void sendProblem(
        reply,
        problem(
          'database-unavailable',
          `No answer within ${seconds} s; retry shortly (with the same Idempotency-Key for a money write).`,
        ),
      );
    }, timeoutMs);
    reply.raw.once('close', () => clearTimeout(timer));
  });
}
