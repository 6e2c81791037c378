import { checkReadiness } from '../../services/readiness';
import { z } from 'zod';
import { type App, type RouteDeps, typed } from '../route-context';
import { problem } from '../problem-types';
import { sendProblem } from '../plugins/problem-details';
import { documented } from '../openapi-docs';

export async function serviceRoutes(app: App, deps: RouteDeps): Promise<void> {
  const r = typed(app);
  r.get(
    '/health',
    {
      config: { access: 'public' },
      schema: {
        ...documented({
          operationId: 'health',
          summary: 'Is the service running?',
          description:
            'Liveness: answers as long as the process serves requests, whatever the state of the database. For a load ' +
            "balancer's liveness probe; use `/ready` to know whether requests can be served.",
          returns: 'The service is running.',
          responseExample: { status: 'ok' },
        }),
        tags: ['service'],
        security: [],
        response: { 200: z.object({ status: z.literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );
  r.get(
    '/ready',
    {
      config: { access: 'public' },
      schema: {
        ...documented({
          operationId: 'ready',
          summary: 'Can the service take traffic?',
          description:
            'Readiness: 200 once the database answers and every migration is applied, 503 with `Retry-After` until then ' +
            '(or while the database is unreachable).',
          returns: 'The database answers and every migration is applied.',
          responseExample: { status: 'ready' },
          problems: { 'database-unavailable': 'The database does not answer, or migrations are still being applied.' },
        }),
        tags: ['service'],
        security: [],
        response: { 200: z.object({ status: z.literal('ready') }) },
      },
    },
    async (request, reply) => {
      try {
        await checkReadiness(deps);
        return { status: 'ready' as const };
      } catch (error) {
        request.log.warn({ err: error }, 'not ready');
        reply.header('retry-after', '5');
        return sendProblem(reply, problem('database-unavailable', 'The database is not ready.'));
      }
    },
  );
}
