import swagger, { type SwaggerTransform } from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, FastifySchema } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Decision } from '../../auth/permissions';
import { type Principal, ROLES } from '../../auth/principal';
import {
  type JsonSchema,
  type MediaDoc,
  OPERATION_DOC,
  type OperationDoc,
  PROBLEM_DOCS,
  RESPONSE_HEADERS,
  type ResponseHeaderName,
  TAGS,
  apiDescription,
  problemExample,
  problemResponseName,
  problemSchemaName,
  problemSchemas,
} from '../openapi-docs';
import { PROBLEM_TYPES, type ProblemCode } from '../problem-types';
import { BANK_FILE_LIMIT_BYTES } from '../../domain/bank-files/csv-file';
import type { Access } from './auth';
import { docsContentSecurityPolicy } from './response-headers';

/**
 * OpenAPI 3.1 generated from the routes' zod schemas and their OperationDoc (src/http/openapi-docs.ts), served at
 * /openapi.json with interactive docs at /docs. Each route's own schemas give its parameters, body and success
 * response; this plugin adds, for every operation, the problem types it can answer, grouped by status, as
 * references to RFC 9457 schemas registered once in `components`:
 *
 * - every operation: 408, 429, 431, 500 and 503 (the service's own limits and failures);
 * - every operation that needs a token: 401, and the 403 and 404 its access rule can give (found by asking the rule);
 * - every operation with parameters, a query, headers or a body: 422 `validation-error`;
 * - every operation Fastify reads a body for: 400, 413 and 415;
 * - every money write (it takes an Idempotency-Key): 422 `idempotency-key-reused`, 409 `concurrent-update`, and the
 *   `Idempotency-Replayed` header on its success and its replayable refusals;
 * - and the problems the route's use case raises, as the route declares them.
 *
 * The document only describes: nothing here takes part in validating or serialising a request.
 */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  const plans = new Map<string, OperationPlan>();
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Cronfa',
        summary: 'Pooled Direct Payments for care co-operatives in Wales: ledger, pools, purchasing and statements.',
        description: apiDescription({
          jsonBodyBytes: app.initialConfig.bodyLimit ?? 1024 * 1024,
          bankFileBytes: BANK_FILE_LIMIT_BYTES,
        }),
        version: '1.0.0',
      },
      tags: TAGS.map((tag) => ({ ...tag })),
      components: {
        securitySchemes: {
          bearer: {
            type: 'http',
            scheme: 'bearer',
            bearerFormat: 'cronfa_ followed by 43 base64url characters',
            description: 'A token issued by `POST /v1/tokens` (or the CLI, for the first admin). Shown once.',
          },
        },
      },
      security: [{ bearer: [] }],
    },
    // Every REST operation has a tag (a test says so); the pages for people have none and are not in the contract.
    hideUntagged: true,
    transform: (input) => {
      if (!input.schema) return jsonSchemaTransform(input);
      const { [OPERATION_DOC]: doc, ...schema } = input.schema as FastifySchema & {
        [OPERATION_DOC]?: OperationDoc;
      };
      const result = jsonSchemaTransform({ ...input, schema });
      if (result.schema.hide) return result;
      const headers = result.schema.headers as JsonSchema | undefined;
      const methods = ([] as string[]).concat(input.route.method);
      const convert = (media: Record<string, MediaDoc>) => convertMedia(media, input);
      const plan: OperationPlan = {
        doc,
        access: input.route.config?.access,
        takesInput: Boolean(schema.params || schema.querystring || schema.headers || schema.body),
        moneyWrite: Boolean((headers?.properties as JsonSchema | undefined)?.['idempotency-key']),
        content: doc?.content ? convert(doc.content) : undefined,
        requestBody: doc?.requestBody
          ? { description: doc.requestBody.description, content: convert(doc.requestBody.content) }
          : undefined,
      };
      for (const method of methods) plans.set(operationKey(method, input.url), { ...plan, method });
      return result;
    },
    transformObject: (input) => {
      if (!('openapiObject' in input)) throw new Error('OpenAPI 2.0 is not supported');
      const document = input.openapiObject as unknown as OpenApiDocument;
      addComponents(document, (schema) => toJsonSchema(schema, document));
      for (const [path, operations] of Object.entries(document.paths ?? {})) {
        for (const [method, operation] of Object.entries(operations)) {
          const plan = plans.get(operationKey(method, path));
          if (plan) completeOperation(operation, plan, path);
        }
      }
      return document as unknown as typeof input.openapiObject;
    },
  });
  // The docs' own routes (HTML, assets) are public like the document itself.
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/docs')) route.config = { ...route.config, access: 'public' };
  });
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    staticCSP: true,
    transformStaticCSP: docsContentSecurityPolicy,
    // No request to the online validator: nothing leaves Cronfa.
    uiConfig: { validatorUrl: null },
  });
  app.get('/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());
}

// ---------------------------------------------------------------------------------------------------------------

interface OperationPlan {
  doc: OperationDoc | undefined;
  access: Access | undefined;
  method?: string;
  takesInput: boolean;
  moneyWrite: boolean;
  content: Record<string, MediaObject> | undefined;
  requestBody: { description: string; content: Record<string, MediaObject> } | undefined;
}

interface MediaObject {
  schema: JsonSchema;
  example?: unknown;
  examples?: Record<string, { summary: string; value: unknown }>;
}

interface ResponseObject {
  description: string;
  headers?: Record<string, JsonSchema>;
  content?: Record<string, MediaObject>;
}

interface OperationObject {
  operationId?: string;
  requestBody?: { description?: string; required?: boolean; content: Record<string, MediaObject> };
  responses: Record<string, ResponseObject | { $ref: string }>;
  [key: string]: unknown;
}

interface OpenApiDocument {
  openapi: string;
  paths?: Record<string, Record<string, OperationObject>>;
  components: Record<string, Record<string, unknown>>;
}

/** `POST /v1/coops/{coopId}/receipts`, from either the route's URL or the document's path. */
const operationKey = (method: string, url: string) =>
  `${method.toUpperCase()} ${url.replace(/:(\w+)/g, (_, name: string) => `{${name}}`)}`;

type TransformInput = Parameters<SwaggerTransform>[0];

/** A zod schema as JSON Schema, converted exactly as the routes' own schemas are. */
function toJsonSchema(schema: z.ZodType | JsonSchema, document: OpenApiDocument): JsonSchema {
  if (!(schema instanceof z.ZodType)) return schema;
  const input = {
    schema: { response: { 200: schema } },
    url: '/',
    openapiObject: document,
  } as unknown as TransformInput;
  const {
    $schema: _dialect,
    $id: _id,
    ...converted
  } = (jsonSchemaTransform(input).schema.response as Record<string, JsonSchema>)[200]!;
  return converted;
}

function convertMedia(media: Record<string, MediaDoc>, input: TransformInput): Record<string, MediaObject> {
  const document = (input as { openapiObject: OpenApiDocument }).openapiObject;
  return Object.fromEntries(
    Object.entries(media).map(([type, { schema, example }]) => [
      type,
      { schema: toJsonSchema(schema, document), ...(example === undefined ? {} : { example }) },
    ]),
  );
}

const ref = (kind: 'schemas' | 'responses' | 'headers', name: string) => ({ $ref: `#/components/${kind}/${name}` });

/** The headers each problem status carries, whichever problem type it is. */
const STATUS_HEADERS: Partial<Record<number, ResponseHeaderName[]>> = {
  401: ['WWW-Authenticate'],
  429: ['Retry-After', 'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset'],
  503: ['Retry-After'],
};

const headerRefs = (names: readonly ResponseHeaderName[]) =>
  names.length === 0 ? undefined : Object.fromEntries(names.map((name) => [name, ref('headers', name)]));

/** Problem schemas, one response per problem type, and the response headers, each registered once. */
function addComponents(document: OpenApiDocument, convert: (schema: z.ZodType) => JsonSchema): void {
  const components = document.components;
  components.schemas = {
    ...components.schemas,
    ...Object.fromEntries(Object.entries(problemSchemas()).map(([name, schema]) => [name, convert(schema)])),
  };
  components.headers = Object.fromEntries(
    Object.entries(RESPONSE_HEADERS).map(([name, header]) => [name, { ...header }]),
  );
  components.responses = Object.fromEntries(
    (Object.keys(PROBLEM_TYPES) as ProblemCode[]).map((code) => [
      problemResponseName(code),
      problemResponse([code], new Map(), false),
    ]),
  );
}

/** A response carrying one or several problem types of the same status. */
function problemResponse(
  codes: readonly ProblemCode[],
  reasons: ReadonlyMap<ProblemCode, string>,
  replayable: boolean,
): ResponseObject {
  const status = PROBLEM_TYPES[codes[0]!].status;
  const says = (code: ProblemCode) => reasons.get(code) ?? PROBLEM_DOCS[code].description;
  const description =
    codes.length === 1
      ? `${PROBLEM_TYPES[codes[0]!].title}. ${says(codes[0]!)}`
      : codes.map((code) => `- \`${code}\` (${PROBLEM_TYPES[code].title}): ${says(code)}`).join('\n');
  const schemas = codes.map((code) => ref('schemas', problemSchemaName(code)));
  const headers = headerRefs([
    ...(STATUS_HEADERS[status] ?? []),
    ...(replayable ? ['Idempotency-Replayed' as const] : []),
  ]);
  return {
    description,
    ...(headers ? { headers } : {}),
    content: {
      'application/problem+json': {
        schema: schemas.length === 1 ? schemas[0]! : { oneOf: schemas },
        examples: Object.fromEntries(
          codes.map((code) => [code, { summary: PROBLEM_TYPES[code].title, value: problemExample(code) }]),
        ),
      },
    },
  };
}

/** The 403 and 404 an access rule can answer, found by asking it about every role, in and out of its tenant. */
function accessDecisions(access: Access, path: string): Set<Decision> {
  const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  const own: Record<string, string> = { coopId: 'own-coop', memberId: 'own-member', laId: 'own-la' };
  const inTenant = Object.fromEntries(names.map((name) => [name, own[name] ?? 'own']));
  const elsewhere = Object.fromEntries(names.map((name) => [name, 'elsewhere']));
  const decisions = new Set<Decision>();
  if (access === 'public') return decisions;
  for (const role of ROLES) {
    const principal: Principal = {
      tokenId: 'probe',
      role,
      coopId: own.coopId!,
      memberId: own.memberId!,
      localAuthorityId: own.laId!,
      expiresAt: new Date(0),
    };
    for (const params of [inTenant, elsewhere]) decisions.add(access(principal, params));
  }
  return decisions;
}

/** Every problem the operation can answer, with the route's own words for it where it gave some. */
function problemsOf(plan: OperationPlan, path: string): Map<ProblemCode, string | undefined> {
  const problems = new Map<ProblemCode, string | undefined>();
  const add = (code: ProblemCode, reason?: string) => problems.set(code, reason ?? problems.get(code));
  for (const code of [
    'request-timeout',
    'headers-too-large',
    'rate-limited',
    'internal',
    'database-unavailable',
  ] as const)
    add(code);
  if (plan.access !== 'public') {
    add('unauthorized');
    const decisions = plan.access ? accessDecisions(plan.access, path) : new Set<Decision>();
    if (decisions.has('forbidden')) add('forbidden', "The token's role may not call this operation.");
    if (decisions.has('not_found'))
      add(
        'not-found',
        "The path names a co-op, member or local authority outside the token's own (its existence is not revealed).",
      );
  }
  if (plan.takesInput) add('validation-error');
  if (plan.method !== 'GET' && plan.method !== 'HEAD') {
    add('malformed-request');
    add('payload-too-large');
    add('unsupported-media-type');
  }
  if (plan.moneyWrite) {
    add('idempotency-key-reused');
    add('concurrent-update');
  }
  for (const [code, reason] of Object.entries(plan.doc?.problems ?? {}) as [ProblemCode, string][]) {
    const earlier = problems.get(code);
    const alsoEarlier =
      earlier && earlier !== reason ? ` Or ${earlier.charAt(0).toLowerCase()}${earlier.slice(1)}` : '';
    problems.set(code, `${reason}${alsoEarlier}`);
  }
  return problems;
}

const SUCCESS_DESCRIPTIONS: Record<string, string> = {
  '200': 'OK.',
  '201': 'Created.',
  '202': 'Accepted.',
  '204': 'Done; no body.',
};

/** Refusals a money write stores with its Idempotency-Key and replays: its use case's, not the gate's. */
const NOT_REPLAYED: readonly ProblemCode[] = ['idempotency-key-reused', 'concurrent-update', 'validation-error'];

function completeOperation(operation: OperationObject, plan: OperationPlan, path: string): void {
  const doc = plan.doc;
  if (doc) operation.operationId = doc.operationId;

  for (const [status, response] of Object.entries(operation.responses)) {
    if (!status.startsWith('2') || '$ref' in response) continue;
    response.description = doc?.returns ?? SUCCESS_DESCRIPTIONS[status] ?? 'Success.';
    if (plan.content) response.content = plan.content;
    const json = response.content?.['application/json'];
    if (json && doc?.responseExample !== undefined) json.example = doc.responseExample;
    const headers = headerRefs([
      ...(plan.moneyWrite ? ['Idempotency-Replayed' as const] : []),
      ...(doc?.responseHeaders ?? []),
    ]);
    if (headers) response.headers = { ...response.headers, ...headers };
  }

  if (plan.requestBody) operation.requestBody = { ...plan.requestBody, required: true };
  const jsonBody = operation.requestBody?.content['application/json'];
  if (jsonBody && doc?.requestExample !== undefined) jsonBody.example = doc.requestExample;

  const problems = problemsOf(plan, path);
  const declared = new Set(Object.keys(doc?.problems ?? {}));
  const byStatus = new Map<number, ProblemCode[]>();
  for (const code of problems.keys()) {
    const status = PROBLEM_TYPES[code].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  for (const status of [...byStatus.keys()].sort((a, b) => a - b)) {
    const codes = byStatus.get(status)!.sort();
    const reasons = new Map(codes.flatMap((code) => (problems.get(code) ? [[code, problems.get(code)!]] : [])));
    const replayable = plan.moneyWrite && codes.some((code) => declared.has(code) && !NOT_REPLAYED.includes(code));
    operation.responses[String(status)] =
      codes.length === 1 && reasons.size === 0 && !replayable
        ? ref('responses', problemResponseName(codes[0]!))
        : problemResponse(codes, reasons, replayable);
  }
}
