import { z } from 'zod';
import { type App, type RouteDeps, typed } from './types';
import { problem } from './problem-types';
import { sendProblem } from '../plugins/problem-details';

export async function serviceRoutes(app: App, deps: RouteDeps): Promise<void> {
  const r = typed(app);
  r.get(
    '/health',
    {
      config: { access: 'public' },
      schema: { tags: ['service'], security: [], response: { 200: z.object({ status: z.literal('ok') }) } },
    },
    async () => ({ status: 'ok' as const }),
  );
  r.get(
    '/ready',
    {
      config: { access: 'public' },
      schema: { tags: ['service'], security: [], response: { 200: z.object({ status: z.literal('ready') }) } },
    },
    async (request, reply) => {
      try {
        await deps.database.checkReady();
        return { status: 'ready' as const };
      } catch (error) {
        request.log.warn({ err: error }, 'not ready');
        reply.header('retry-after', '5');
        return sendProblem(reply, problem('database-unavailable', 'The database is not ready.'));
      }
    },
  );
}
