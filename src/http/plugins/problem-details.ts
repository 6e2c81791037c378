import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { DomainError, StorageFailure, UnavailableError } from '../../domain/errors';
import { ReplayedRefusal } from '../../services/idempotency';
import { type ProblemBody, problem } from '../problem-types';
import { kilobytes, megabytes } from '../openapi-docs';

/**
 * Turns a use case's typed error into the problem body it is answered with. The use case names its fields; the
 * request says where each was sent (`params.memberId`, `querystring.leftOn`, `body.lines.2.amount`).
 */
export function problemOfDomainError(error: DomainError, request: FastifyRequest): ProblemBody {
  const errors = error.fieldErrors.map(({ field, message }) => ({ path: requestPathOf(request, field), message }));
  return problem(error.code, error.detail, errors.length > 0 ? { ...error.extra, errors } : error.extra);
}

/** Where a field of the route's input came from: its path parameters, its query string, or else its body. */
function requestPathOf(request: FastifyRequest, field: string): string {
  const name = field.split('.')[0] ?? field;
  const schema = request.routeOptions.schema;
  if (hasField(schema?.params, name)) return `params.${field}`;
  if (hasField(schema?.querystring, name)) return `querystring.${field}`;
  return `body.${field}`;
}

/** Whether a route's zod object schema declares a field (a schema that is not an object declares none). */
function hasField(schema: unknown, name: string): boolean {
  const shape = (schema as { shape?: unknown } | undefined)?.shape;
  return typeof shape === 'object' && shape !== null && Object.hasOwn(shape, name);
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
    const body = toProblem(error, request);
    if (error instanceof ReplayedRefusal) reply.header('idempotency-replayed', 'true');
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
  const storage = error instanceof StorageFailure ? error : null;
  const cause = (error as { cause?: unknown }).cause;
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown }).code;
  return {
    type: error instanceof Error ? error.name : typeof error,
    code: storage?.sqlState ?? (typeof code === 'string' ? code : undefined),
    constraint: storage?.constraint,
    message: (message.split('\nparams:')[0] ?? '').split('\n').slice(0, 2).join(' ').slice(0, 300),
    cause: cause instanceof Error ? `${cause.name}: ${(cause.message.split('\n')[0] ?? '').slice(0, 200)}` : undefined,
  };
}

/** A 413 names the limit of the route it was sent to. */
function tooLarge(request: FastifyRequest): ProblemBody {
  const limitBytes = request.routeOptions.bodyLimit;
  const limit = limitBytes >= 1024 * 1024 ? megabytes(limitBytes) : kilobytes(limitBytes);
  return problem('payload-too-large', `The request body is larger than the ${limit} this address accepts.`, {
    limitBytes,
  });
}

/** A 415 names what the route it was sent to accepts: JSON, or (for an upload) the file itself as one of its types. */
function unsupportedMediaType(request: FastifyRequest): ProblemBody {
  const consumes = (request.routeOptions.schema as { consumes?: unknown } | undefined)?.consumes;
  if (Array.isArray(consumes) && consumes.length > 0) {
    const sent = request.headers['content-type'] ?? 'none';
    const form = sent.startsWith('multipart/') || sent.startsWith('application/x-www-form-urlencoded');
    return problem(
      'unsupported-media-type',
      `${form ? 'Send the file itself as the body, not a form upload' : `The content type ${sent.split(';')[0]} is not accepted here`}: use one of ${consumes.join(', ')}.`,
      { accepted: consumes },
    );
  }
  return problem('unsupported-media-type', 'This content type is not accepted here: send JSON (application/json).', {
    accepted: ['application/json'],
  });
}

function toProblem(error: FastifyError, request: FastifyRequest): ProblemBody {
  if (error instanceof DomainError) return problemOfDomainError(error, request);
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
  // Storage errors arrive translated (src/db/errors.ts): a rule it enforced is a DomainError above.
  if (error instanceof UnavailableError)
    return problem('database-unavailable', 'The database is unavailable; retry shortly.');
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return tooLarge(request);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return unsupportedMediaType(request);
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
