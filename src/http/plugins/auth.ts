import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { PathParams, Rule } from '../../auth/permissions';
import type { Principal } from '../../auth/principal';
import { TOKEN_PATTERN } from '../../auth/token-secret';
import type { UseCaseDependencies } from '../../services/context';
import { DomainError } from '../../domain/errors';
import { problem } from '../problem-types';
import { authenticate } from '../../services/tokens';
import { sendProblem } from './problem-details';
import type { AuthFailures } from './rate-limits';

/** Every route declares who may call it: `public`, or a rule from src/auth/permissions.ts. */
export type Access = 'public' | Rule;

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

/** The caller of a non-public route (set by the auth hook before the handler runs). */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new Error('principalOf called on a public route');
  return request.principal;
}

/**
 * Authenticates and authorises before the body is parsed or validated, so a caller without access learns
 * nothing from validation errors. A route that forgot to declare `access` is refused with 500 (and fails the
 * access-control test), never left open.
 */
export function registerAuth(
  app: FastifyInstance,
  { database, clock }: Pick<UseCaseDependencies, 'database' | 'clock'>,
  failures: AuthFailures,
): void {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request, reply) => {
    const access = request.routeOptions.config.access;
    if (access === 'public') return;
    if (!access) {
      if (!request.routeOptions.url) return; // unknown route: the not-found handler answers
      request.log.error({ route: request.routeOptions.url }, 'route has no access rule');
      return sendProblem(reply, problem('internal', 'This route has no access rule.'));
    }
    // A valid token is always looked up and let through, whatever else came from its address (behind a proxy every
    // client shares one). Only requests without a valid token count against the address, and once it is over the
    // limit, those that cannot be a token at all are refused without touching the database.
    const secret = bearerToken(request.headers.authorization);
    const wait = failures.retryAfterSeconds(request.ip);
    const principal = secret ? await authenticate(database, secret, clock()) : null;
    if (!principal) {
      if (wait > 0) {
        reply.header('retry-after', String(wait));
        return sendProblem(
          reply,
          problem(
            'rate-limited',
            'Too many requests without a valid token from this address; wait before trying again.',
          ),
        );
      }
      failures.record(request.ip);
      reply.header('www-authenticate', 'Bearer realm="cronfa"');
      return sendProblem(reply, problem('unauthorized', 'A valid bearer token is required.'));
    }
    request.principal = principal;
    const decision = access(principal, (request.params ?? {}) as PathParams);
    if (decision === 'forbidden') throw new DomainError('forbidden', 'Your token does not allow this.');
    if (decision === 'not_found') throw new DomainError('not-found', 'Not found');
  });
}

function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer ([^\s]+)$/i.exec(header ?? '');
  const secret = match?.[1];
  return secret && TOKEN_PATTERN.test(secret) ? secret : null;
}
