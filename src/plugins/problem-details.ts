import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { closedPeriodOf, isConnectionFailure, pgErrorOf } from '../db/errors';
import { DomainError } from '../domain/errors';
import { periodClosed } from '../domain/reconciliation/periods';
import { type ProblemBody, problem } from '../routes/problem-types';

/** Turns a use case's typed error into the problem body it is answered (and stored for idempotent replays) with. */
export function problemOfDomainError(error: DomainError): ProblemBody {
  return problem(error.code, error.detail, error.extra);
}

export function sendProblem(reply: FastifyReply, body: ProblemBody): FastifyReply {
  return reply.code(body.status).type('application/problem+json').send(body);
}

/**
 * Every error leaves as RFC 9457 problem+json. Only 4xx details reach the client; anything else is logged in full
 * and answered with a generic detail, so no stack trace or SQL is ever sent.
 */
export function registerProblemDetails(app: FastifyInstance): void {
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, problem('not-found', `No route ${request.method} ${request.url.split('?')[0]}`)),
  );

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const body = toProblem(error);
    if (body.status === 503) request.log.warn({ error: errorSummary(error) }, 'database unavailable');
    else if (body.status >= 500) request.log.error({ error: errorSummary(error) }, 'request failed');
    else request.log.info({ code: body.type, status: body.status }, 'request refused');
    if (body.status === 503) reply.header('retry-after', '5');
    return sendProblem(reply, body);
  });
}

/**
 * What a log line may say about an error: its kind, codes, and the first line of its message with any query
 * parameters cut off. Never a stack trace, never the values a query carried (names, amounts, token hashes).
 */
export function errorSummary(error: unknown): Record<string, string | undefined> {
  const pg = pgErrorOf(error);
  const cause = (error as { cause?: unknown }).cause;
  const message = error instanceof Error ? error.message : String(error);
  return {
    type: error instanceof Error ? error.name : typeof error,
    code: pg?.code ?? ((error as { code?: unknown }).code as string | undefined),
    constraint: pg?.constraint,
    message: (message.split('\nparams:')[0] ?? '').split('\n').slice(0, 2).join(' ').slice(0, 300),
    cause: cause instanceof Error ? `${cause.name}: ${(cause.message.split('\n')[0] ?? '').slice(0, 200)}` : undefined,
  };
}

function toProblem(error: FastifyError): ProblemBody {
  if (error instanceof DomainError) return problemOfDomainError(error);
  if (hasZodFastifySchemaValidationErrors(error)) {
    const where = error.validationContext ?? 'body';
    const errors = error.validation.map((v) => ({
      path: [where, ...v.instancePath.split('/').filter(Boolean)].join('.'),
      message: v.message ?? 'invalid',
    }));
    const first = errors[0];
    return problem('validation-error', first ? `${first.path}: ${first.message}` : 'The request is invalid.', {
      errors,
    });
  }
  const closedThrough = closedPeriodOf(error);
  if (closedThrough !== null) return problemOfDomainError(periodClosed(closedThrough));
  const pg = pgErrorOf(error);
  if (pg?.code === '23514' && pg.constraint === 'accounts_member_money_not_overdrawn') {
    return problem('insufficient-funds', 'Not enough money: nothing was posted.');
  }
  if (pg && (pg.code === '40001' || pg.code === '40P01' || pg.code === '55P03')) {
    return problem('concurrent-update', 'Another request changed the same balances; retry.');
  }
  if (isConnectionFailure(error) || pg?.code === '57014') {
    return problem('database-unavailable', 'The database is unavailable; retry shortly.');
  }
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return problem('payload-too-large', 'The request body is too large.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return problem(
        'unsupported-media-type',
        'This content type is not accepted here: send JSON (application/json), or a bank file as text/csv or application/x-ofx where one is uploaded.',
      );
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return problem('malformed-request', 'The body is not valid JSON.');
  }
  if (error.statusCode === 429) return problem('rate-limited', 'Too many requests; slow down.');
  if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
    return { ...problem('malformed-request', error.message), status: error.statusCode };
  }
  return problem('internal', 'Something went wrong on our side; it has been logged.');
}
