import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { type UseCaseContext, type UseCaseDependencies, useCaseContextOf } from '../services/context';
import { principalOf } from './plugins/auth';

export type App = FastifyInstance;
/** What every route module is given: the use cases' dependencies, nothing of storage itself. */
export type RouteDeps = UseCaseDependencies;

export function typed(app: App) {
  return app.withTypeProvider<ZodTypeProvider>();
}

/** The use-case context of one request: its caller, and the clock read once for it. */
export function contextOf(deps: RouteDeps, request: FastifyRequest): UseCaseContext {
  return useCaseContextOf(deps, principalOf(request));
}
