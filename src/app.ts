import helmet from '@fastify/helmet';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Config } from './config';
import type { Database } from './db/database';
import { DEFAULT_TOKEN_POLICY } from './domain/token-lifetime';
import { type PdfRenderer, createPdfRenderer } from './pdf/pdf-renderer';
import { registerAuth } from './http/plugins/auth';
import { answerClientError } from './http/plugins/client-errors';
import { requestSummary } from './http/plugins/log-redaction';
import { registerMaintenance } from './http/plugins/maintenance';
import { registerOpenApi } from './http/plugins/openapi';
import { errorSummary, registerProblemDetails } from './http/plugins/problem-details';
import { registerRequestDeadline } from './http/plugins/request-deadline';
import { API_CONTENT_SECURITY_POLICY, registerResponseHeaders } from './http/plugins/response-headers';
import { AuthFailures, registerRateLimits } from './http/plugins/rate-limits';
import { coopRoutes } from './http/routes/coops';
import { ledgerRoutes } from './http/routes/ledger';
import { localAuthorityRoutes } from './http/routes/local-authorities';
import { memberRoutes } from './http/routes/members';
import { peopleRoutes } from './http/routes/people';
import { poolRoutes } from './http/routes/pools';
import { purchasingRoutes } from './http/routes/purchasing';
import { reconciliationRoutes } from './http/routes/reconciliation';
import { serviceRoutes } from './http/routes/service';
import { statementRoutes } from './http/routes/statements';
import { tokenRoutes } from './http/routes/tokens';
import { RECONCILIATION_WORKER_DEFAULTS } from './workers/limits';
import { registerWeb } from './web/plugin';
import { type Mailer, createMailer } from './mail/mailer';
import type { UseCaseDependencies } from './services/context';
import { type ReconciliationWorkers, createReconciliationWorkers } from './workers/reconciliation-workers';

export interface AppDeps {
  database: Database;
  /** Draws statement PDFs (closed with the app); by default, `config.pdfThreads` render threads. */
  pdf?: PdfRenderer;
  /** Threads reading bank files and auto-matching (closed with the app); by default, with the default limits. */
  reconciliationWorkers?: ReconciliationWorkers;
  /** Where log lines go (standard output unless given: tests read them). */
  logStream?: NodeJS.WritableStream;
  /** Sends invitations; by default one for `config.smtpUrl` (none without it). Closed with the app. */
  mailer?: Mailer | null;
  /** The clock requests are decided by (the system's unless given: tests fix the day). */
  clock?: () => Date;
}

/** Where the pages are when the configuration does not say (the default HOST and PORT). */
const DEFAULT_PUBLIC_URL = 'http://127.0.0.1:3000';

/** The largest request body accepted: JSON requests are small; bank uploads have their own limit. */
export const BODY_LIMIT_BYTES = 64 * 1024;

/**
 * Builds the HTTP application around an open database. Registration order is fixed: external plugins, then
 * auth and problem details, then routes. Tests build this very app and use `inject`.
 */
export async function buildApp(
  config: Pick<Config, 'logLevel' | 'requestTimeoutMs'> &
    Partial<
      Pick<
        Config,
        | 'rateLimits'
        | 'pdfThreads'
        | 'trustProxy'
        | 'tokens'
        | 'idempotencyKeyDays'
        | 'publicUrl'
        | 'smtpUrl'
        | 'mailFrom'
        | 'secondFactorRequiredFor'
      >
    >,
  deps: AppDeps,
): Promise<FastifyInstance> {
  const app = Fastify({
    logger: {
      level: config.logLevel,
      // Logs carry ids, never bodies, names, amounts or tokens.
      redact: { paths: ['req.headers.authorization'], remove: true },
      // Errors Fastify logs itself (a late reply, a client error) are summarised like ours: no stack, no values.
      serializers: { err: errorSummary as never, req: requestSummary as never },
      ...(deps.logStream ? { stream: deps.logStream } : {}),
    },
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: config.trustProxy ?? false,
    clientErrorHandler: answerClientError,
    requestTimeout: config.requestTimeoutMs,
    genReqId: () => crypto.randomUUID(),
    ajv: { customOptions: { removeAdditional: false } },
  });
  // JSON only: a text/plain body is refused with 415 like any other type, not read as a string.
  app.removeContentTypeParser('text/plain');
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  await app.register(helmet, { contentSecurityPolicy: API_CONTENT_SECURITY_POLICY });
  registerResponseHeaders(app);
  await registerOpenApi(app);

  registerProblemDetails(app);
  registerRequestDeadline(app, config.requestTimeoutMs);
  // Without limits in the config (tests, embedded tools) nothing is limited; the server always passes them.
  const limits = config.rateLimits ?? { perMinute: 0, authFailuresPerMinute: Number.POSITIVE_INFINITY };
  await registerRateLimits(app, limits);
  const pdf = deps.pdf ?? createPdfRenderer(config.pdfThreads ?? 1);
  app.addHook('onClose', () => pdf.close());
  const reconciliationWorkers =
    deps.reconciliationWorkers ?? createReconciliationWorkers(RECONCILIATION_WORKER_DEFAULTS);
  app.addHook('onClose', () => reconciliationWorkers.close());
  const mailer =
    deps.mailer !== undefined
      ? deps.mailer
      : createMailer(config.smtpUrl ?? null, config.mailFrom ?? 'Cronfa <cronfa@localhost>');
  app.addHook('onClose', async () => mailer?.close());
  const useCases: UseCaseDependencies = {
    database: deps.database,
    pdf,
    mailer,
    reconciliationWorkers,
    settings: {
      tokens: config.tokens ?? DEFAULT_TOKEN_POLICY,
      publicUrl: config.publicUrl ?? DEFAULT_PUBLIC_URL,
      secondFactorRequiredFor: config.secondFactorRequiredFor ?? [],
    },
    clock: deps.clock ?? (() => new Date()),
  };
  registerAuth(app, useCases, new AuthFailures(limits.authFailuresPerMinute));
  if (config.idempotencyKeyDays) registerMaintenance(app, useCases, config.idempotencyKeyDays);

  for (const routes of [
    serviceRoutes,
    localAuthorityRoutes,
    coopRoutes,
    tokenRoutes,
    peopleRoutes,
    memberRoutes,
    poolRoutes,
    purchasingRoutes,
    ledgerRoutes,
    statementRoutes,
    reconciliationRoutes,
  ]) {
    await app.register(async (scope) => routes(scope, useCases));
  }
  await registerWeb(app, useCases);
  return app;
}
