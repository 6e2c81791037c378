import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Principal } from '../auth/principal';
import type { Database } from '../db/database';
import type { PdfRenderer } from '../pdf/pdf-renderer';
import type { ServiceSettings, UseCaseContext } from '../services/context';
import type { ReconciliationWorkers } from '../workers/reconciliation-workers';
import { principalOf } from '../plugins/auth';
import type { FastifyRequest } from 'fastify';

export type App = FastifyInstance;
export interface RouteDeps {
  database: Database;
  pdf: PdfRenderer;
  reconciliationWorkers: ReconciliationWorkers;
  settings: ServiceSettings;
}

export function typed(app: App) {
  return app.withTypeProvider<ZodTypeProvider>();
}

export function contextOf(deps: RouteDeps, request: FastifyRequest): UseCaseContext {
  const principal: Principal = principalOf(request);
  return { database: deps.database, pdf: deps.pdf, principal, settings: deps.settings };
}
