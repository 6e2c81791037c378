import { z } from 'zod';
import { PROBLEM_BASE, PROBLEM_TYPES, type ProblemCode } from './problem-types';

/**
 * What each route says about itself in the OpenAPI document beyond its zod schemas: a summary and description, the
 * problems its use case can answer (by their codes in problem-types.ts, each with when), examples, and the content
 * of answers the zod `response` cannot express (files). The OpenAPI plugin (src/http/plugins/openapi.ts) adds what every
 * route shares: the problems of its access rule, of validation, of idempotency, of the service itself, and the
 * headers that go with them. Documentation only: nothing here changes what a route accepts or answers.
 */

/** The key under which a route's `schema` carries its OperationDoc to the OpenAPI transform (never served). */
export const OPERATION_DOC = 'x-cronfa-operation';

/** When each problem happens, in the operation's own words. */
export type ProblemReasons = Partial<Record<ProblemCode, string>>;

/** One content type of a request or response body: a zod schema (converted as route schemas are) or JSON Schema. */
export interface MediaDoc {
  schema: z.ZodType | JsonSchema;
  example?: unknown;
}

export type JsonSchema = Record<string, unknown>;

export interface OperationDoc {
  /** A unique, stable name for client generators, e.g. `recordReceipt`. */
  operationId: string;
  summary: string;
  description: string;
  /** The problems the use case itself can answer, and when. The plugin adds the shared ones. */
  problems?: ProblemReasons;
  /** What the success response means. */
  returns?: string;
  /** An example JSON request body. */
  requestExample?: unknown;
  /** An example of the success response's JSON body. */
  responseExample?: unknown;
  /** Response headers of the success response beside the shared ones. */
  responseHeaders?: readonly ResponseHeaderName[];
  /** The success response's bodies by content type, when the route's zod `response` cannot say it. */
  content?: Record<string, MediaDoc>;
  /** A request body that is not JSON (an uploaded file), by content type. */
  requestBody?: { description: string; content: Record<string, MediaDoc> };
}

/** Spread into a route's `schema`: its summary and description, and the rest for the OpenAPI transform. */
export function documented(doc: OperationDoc) {
  return { summary: doc.summary, description: doc.description, [OPERATION_DOC]: doc };
}

// ---------------------------------------------------------------------------------------------------------------
// Problems (RFC 9457)

const FieldError = z.object({
  path: z.string().meta({ description: 'Where: `body.amount`, `querystring.from`, `params.memberId`, `headers.…`' }),
  message: z.string(),
});
const FieldErrors = z.array(FieldError).meta({ description: 'The fields at fault, when a field is.' });
const MoneyText = z
  .string()
  .regex(/^-?\d+\.\d{2}$/)
  .meta({ example: '12.50' });
const Uuid = z.uuid();
const WorkerLimit = {
  limit: z
    .enum(['time', 'memory'])
    .optional()
    .meta({ description: 'Set when the work was stopped at a limit: which one.' }),
  timeoutMs: z.number().int().optional().meta({ description: 'The time limit, when `limit` is `time`.' }),
  memoryMb: z.number().int().optional().meta({ description: 'The memory limit, when `limit` is `memory`.' }),
};

interface ProblemDoc {
  /** What the problem means and what a client should do. */
  description: string;
  /** Members beside type, title, status and detail. */
  extra?: z.ZodRawShape;
  example: { detail: string } & Record<string, unknown>;
}

/** Every problem type: a Record over ProblemCode, so a code added to problem-types.ts must be documented here. */
export const PROBLEM_DOCS: Record<ProblemCode, ProblemDoc> = {
  unauthorized: {
    description:
      'No bearer token, or one that is unknown, malformed, expired or revoked. Send `Authorization: Bearer <token>`.',
    example: { detail: 'A valid bearer token is required.' },
  },
  forbidden: {
    description:
      "The token is valid but its role may not do this (a holder asking for the journal, an admin for a member's money).",
    example: { detail: 'Your token does not allow this.' },
  },
  'not-found': {
    description:
      "The resource does not exist, or is not the caller's to know of: another tenant's co-op, member or local authority " +
      'answers 404, never 403, so its existence is not revealed.',
    example: { detail: 'Member not found' },
  },
  'validation-error': {
    description:
      'The request does not match the documented schema. `errors` lists every field at fault; `detail` repeats the first.',
    extra: { errors: z.array(FieldError).min(1) },
    example: {
      detail: 'body.amount: must be a string amount with at most two decimals, e.g. "12.50"',
      errors: [{ path: 'body.amount', message: 'must be a string amount with at most two decimals, e.g. "12.50"' }],
    },
  },
  unprocessable: {
    description:
      'Well formed, but a business rule refuses it: a date in the future, a member who is not a holder, a period that ends ' +
      'before it starts, a split that does not fit, an overpayment. `errors` names the field when one is at fault.',
    extra: {
      errors: FieldErrors.optional(),
      outstanding: MoneyText.optional().meta({ description: 'What is still owed, for an overpayment.' }),
      bankLinesTotal: MoneyText.optional().meta({ description: 'For a manual match that does not agree.' }),
      entriesTotal: MoneyText.optional().meta({ description: 'For a manual match that does not agree.' }),
      ...WorkerLimit,
    },
    example: {
      detail: 'The date 2999-01-01 is in the future.',
      errors: [{ path: 'body.receivedOn', message: 'must not be after today' }],
    },
  },
  'insufficient-funds': {
    description:
      "The charge would take a holder's funds or a pool share below zero, for one member or several: nothing was posted. " +
      '`shortfalls` lists each short account.',
    extra: {
      shortfalls: z
        .array(
          z.object({
            memberId: Uuid,
            account: z.enum(['funds', 'pool share']),
            available: MoneyText,
            shortBy: MoneyText,
          }),
        )
        .optional(),
    },
    example: {
      detail: 'Not enough money: nothing was posted.',
      shortfalls: [
        { memberId: '0193a5c0-1b2c-7d3e-8f40-000000000201', account: 'funds', available: '12.00', shortBy: '8.00' },
      ],
    },
  },
  'idempotency-key-reused': {
    description:
      'This Idempotency-Key was already used in this co-op for a different request (route, path, query or body). Use a ' +
      'new key for a new request; the same key only to retry the same one.',
    example: { detail: 'This Idempotency-Key was already used for a different request.' },
  },
  'already-reversed': {
    description: 'The entry has been reversed already (`reversedBy`); an entry is reversed at most once.',
    extra: { reversedBy: Uuid.optional() },
    example: { detail: 'This entry has already been reversed.', reversedBy: '0193a5c0-1b2c-7d3e-8f40-000000000702' },
  },
  duplicate: {
    description:
      'Something with the same identity exists: a local authority code, an LA reference in the co-op, a pool or provider ' +
      "name, the member in the pool, an invoice reference from the provider (`purchaseId`), a DP receipt's reference " +
      'for the holder (`entryId`), a bank file imported before (`statementId`).',
    extra: {
      purchaseId: Uuid.optional(),
      entryId: Uuid.optional(),
      statementId: Uuid.optional(),
      errors: FieldErrors.optional(),
    },
    example: { detail: 'Invoice CCW-118 from this provider is already recorded.' },
  },
  'invalid-state': {
    description:
      'The resource is not in a state that allows this: a purchase reversed (`reversedBy`) or paid (`paymentEntryId`), ' +
      'a bank line or entry already matched (`alreadyMatched`), a close not later than the last (`closedThrough`).',
    extra: {
      reversedBy: Uuid.optional(),
      paymentEntryId: Uuid.optional(),
      alreadyMatched: z.array(Uuid).optional(),
      closedThrough: z.string().optional(),
    },
    example: { detail: 'This purchase was reversed; there is nothing to pay.' },
  },
  'concurrent-update': {
    description:
      'Another request changed the same balances at the same moment, or a request with this Idempotency-Key is still ' +
      'being answered. Nothing was posted by this one: retry it, with the same Idempotency-Key.',
    example: { detail: 'Another request changed the same balances; retry.' },
  },
  'period-closed': {
    description:
      'Dated on or before the date the books are closed through (`closedThrough`): nothing there is posted, reversed or ' +
      'matched again. Post a correction dated in the open period.',
    extra: { closedThrough: z.string() },
    example: {
      detail:
        'The books are closed through 2026-09-30: nothing dated on or before it can be posted, reversed or matched.',
      closedThrough: '2026-09-30',
    },
  },
  'not-reconciled': {
    description:
      'The ledger and the bank disagree at the close date, or no imported bank statement gives its balance. Match or ' +
      'book what is unmatched, or close with `force: true` and a `reason`.',
    extra: {
      ledgerBankBalance: MoneyText,
      statementBalance: MoneyText.nullable(),
      difference: MoneyText.nullable(),
    },
    example: {
      detail:
        'The bank is not reconciled at 2026-09-30: the ledger says 17207.08 and the bank says 17348.58, a difference of ' +
        '-141.50. Match or book what is unmatched, or force the close with a reason.',
      ledgerBankBalance: '17207.08',
      statementBalance: '17348.58',
      difference: '-141.50',
    },
  },
  'invalid-bank-file': {
    description:
      'The bank file could not be read, so nothing in it was imported: `line` (1-based; null for the file as a whole) ' +
      'and `reason` say why.',
    extra: { line: z.number().int().nullable(), reason: z.string(), ...WorkerLimit },
    example: {
      detail: 'The bank file was not imported (line 3: "31/09/2026" is not a real date).',
      line: 3,
      reason: '"31/09/2026" is not a real date',
    },
  },
  'malformed-request': {
    description: 'The body is not valid JSON, or the request is not valid HTTP.',
    example: { detail: 'The body is not valid JSON.' },
  },
  'payload-too-large': {
    description: 'The body is larger than the operation accepts (`limitBytes`).',
    extra: { limitBytes: z.number().int().optional() },
    example: { detail: 'The request body is larger than the 20 MB this address accepts.', limitBytes: 20971520 },
  },
  'unsupported-media-type': {
    description:
      "The body's Content-Type is not one the operation takes (`accepted`; JSON operations take `application/json`).",
    extra: { accepted: z.array(z.string()).optional() },
    example: {
      detail: 'This content type is not accepted here: send JSON (application/json).',
      accepted: ['application/json'],
    },
  },
  'request-timeout': {
    description: 'The request did not arrive within the time the service waits for it. Send it again.',
    example: { detail: 'The request body did not arrive within 15 s.' },
  },
  'headers-too-large': {
    description: 'The request headers are larger than the service accepts.',
    example: { detail: 'The request headers are larger than the service accepts.' },
  },
  'rate-limited': {
    description:
      'Too many requests this minute from this token (or, without a valid token, from this address). Wait `Retry-After` ' +
      'seconds.',
    example: { detail: 'Too many requests; slow down.' },
  },
  'database-unavailable': {
    description:
      'The database is unavailable or did not answer in time. Retry after `Retry-After` seconds; a money write is safe ' +
      'to retry with the same Idempotency-Key, which replays it if it was posted.',
    example: { detail: 'The database is unavailable; retry shortly.' },
  },
  internal: {
    description: "Something went wrong on Cronfa's side. It has been logged; nothing internal is shown.",
    example: { detail: 'Something went wrong on our side; it has been logged.' },
  },
};

const pascal = (code: string) =>
  code
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');

/** The name of a problem type's schema in `components.schemas`, e.g. `NotFoundProblem`. */
export const problemSchemaName = (code: ProblemCode) => `${pascal(code)}Problem`;

/** The name of a problem type's response in `components.responses`, e.g. `NotFound`. */
export const problemResponseName = (code: ProblemCode) => pascal(code);

/** The members every problem has (RFC 9457 §3.1). */
export const ProblemFields = {
  type: z.string().meta({ description: 'A URI naming the problem type: `https://cronfa.dev/problems/<code>`.' }),
  title: z.string().meta({ description: "The problem type's short name; the same for every occurrence." }),
  status: z.number().int().meta({ description: 'The HTTP status code, repeated.' }),
  detail: z
    .string()
    .meta({ description: 'What happened this time, for a person to read. Never names another member.' }),
};

/** The generic problem, and each problem type with its type URI, title and status fixed and its extra members. */
export function problemSchemas(): Record<string, z.ZodType> {
  const schemas: Record<string, z.ZodType> = {
    Problem: z.looseObject(ProblemFields).meta({
      description:
        'An RFC 9457 problem, sent as `application/problem+json`. Each problem type below fixes `type`, `title` and ' +
        '`status` and may add members; clients should ignore members they do not know.',
    }),
  };
  for (const [code, doc] of Object.entries(PROBLEM_DOCS) as [ProblemCode, ProblemDoc][]) {
    const { status, title } = PROBLEM_TYPES[code];
    schemas[problemSchemaName(code)] = z
      .looseObject({
        ...ProblemFields,
        type: z.literal(PROBLEM_BASE + code),
        title: z.literal(title),
        // Fastify's own 4xx refusals (a bad Content-Length, say) are answered as malformed requests with their status.
        status: code === 'malformed-request' ? z.number().int().min(400).max(499) : z.literal(status),
        ...doc.extra,
      })
      .meta({ title, description: doc.description });
  }
  return schemas;
}

/** An example body of a problem type, as the service answers it. */
export function problemExample(code: ProblemCode, detail?: string): Record<string, unknown> {
  const { status, title } = PROBLEM_TYPES[code];
  const example = PROBLEM_DOCS[code].example;
  return { type: PROBLEM_BASE + code, title, status, ...example, ...(detail ? { detail } : {}) };
}

// ---------------------------------------------------------------------------------------------------------------
// Response headers

export const RESPONSE_HEADERS = {
  'Idempotency-Replayed': {
    description:
      '`true` when this answer is the stored answer to an earlier request with the same Idempotency-Key (nothing was ' +
      'posted this time). Absent on a fresh answer.',
    schema: { type: 'string', enum: ['true'] },
  },
  'X-Statement-SHA256': {
    required: true,
    description:
      "The SHA-256 of the statement's exact bytes, in hex, as recorded in the register of issued statements " +
      '(`GET /v1/coops/{coopId}/statements/issued`). Asking again gives the same bytes and the same hash.',
    schema: { type: 'string', pattern: '^[0-9a-f]{64}$' },
  },
  'Content-Disposition': {
    required: true,
    description:
      'An attachment with the file name to save it as (RFC 6266): a plain ASCII `filename`, and the name with its Welsh ' +
      'letters in `filename*` (RFC 8187) when it has any.',
    schema: { type: 'string', example: 'attachment; filename="holder-statement-DP-1000-2026-01-01-2026-03-31-cy.pdf"' },
  },
  'Retry-After': {
    required: true,
    description: 'Seconds to wait before trying again.',
    schema: { type: 'string', pattern: '^[0-9]+$', example: '5' },
  },
  'WWW-Authenticate': {
    required: true,
    description: 'The authentication scheme: `Bearer realm="cronfa"`.',
    schema: { type: 'string' },
  },
  'X-RateLimit-Limit': {
    description: 'Requests allowed a minute (sent on every answer while limits are on).',
    schema: { type: 'string', pattern: '^[0-9]+$' },
  },
  'X-RateLimit-Remaining': {
    description: 'Requests left in this minute (sent on every answer while limits are on).',
    schema: { type: 'string', pattern: '^[0-9]+$' },
  },
  'X-RateLimit-Reset': {
    description: 'Seconds until the minute starts again (sent on every answer while limits are on).',
    schema: { type: 'string', pattern: '^[0-9]+$' },
  },
} as const;

export type ResponseHeaderName = keyof typeof RESPONSE_HEADERS;

// ---------------------------------------------------------------------------------------------------------------
// Files

/** A text file (CSV, a journal) in a response or request. */
export const textFile = (description: string, example: string): MediaDoc => ({
  schema: { type: 'string', description },
  example,
});

/** A binary file (a PDF). */
export const binaryFile = (mediaType: string, description: string): MediaDoc => ({
  schema: { type: 'string', format: 'binary', contentMediaType: mediaType, description },
});

// ---------------------------------------------------------------------------------------------------------------
// Examples: one set of ids throughout, so the examples of different operations fit together.

export const EXAMPLE_ID = {
  localAuthority: '0193a5c0-1b2c-7d3e-8f40-000000000101',
  coop: '0193a5c0-1b2c-7d3e-8f40-000000000102',
  bankAccount: '0193a5c0-1b2c-7d3e-8f40-000000000103',
  member: '0193a5c0-1b2c-7d3e-8f40-000000000201',
  otherMember: '0193a5c0-1b2c-7d3e-8f40-000000000202',
  award: '0193a5c0-1b2c-7d3e-8f40-000000000203',
  fundsAccount: '0193a5c0-1b2c-7d3e-8f40-000000000204',
  shareAccount: '0193a5c0-1b2c-7d3e-8f40-000000000205',
  pool: '0193a5c0-1b2c-7d3e-8f40-000000000301',
  provider: '0193a5c0-1b2c-7d3e-8f40-000000000401',
  purchase: '0193a5c0-1b2c-7d3e-8f40-000000000402',
  payment: '0193a5c0-1b2c-7d3e-8f40-000000000403',
  sharedCost: '0193a5c0-1b2c-7d3e-8f40-000000000404',
  token: '0193a5c0-1b2c-7d3e-8f40-000000000501',
  adminToken: '0193a5c0-1b2c-7d3e-8f40-000000000502',
  bankStatement: '0193a5c0-1b2c-7d3e-8f40-000000000601',
  bankLine: '0193a5c0-1b2c-7d3e-8f40-000000000602',
  match: '0193a5c0-1b2c-7d3e-8f40-000000000603',
  period: '0193a5c0-1b2c-7d3e-8f40-000000000604',
  entry: '0193a5c0-1b2c-7d3e-8f40-000000000701',
  contribution: '0193a5c0-1b2c-7d3e-8f40-000000000703',
  reversal: '0193a5c0-1b2c-7d3e-8f40-000000000702',
  audit: '0193a5c0-1b2c-7d3e-8f40-000000000801',
  statement: '0193a5c0-1b2c-7d3e-8f40-000000000802',
} as const;

export const EXAMPLE_TIME = '2026-11-23T10:15:00.000Z';

/** A page of a list, as every list answers. */
export const examplePage = <T>(...items: T[]) => ({ items, nextCursor: null });

// ---------------------------------------------------------------------------------------------------------------
// The document's own text

export const TAGS = [
  { name: 'service', description: 'Liveness and readiness; no token needed.' },
  {
    name: 'identity',
    description:
      'Local authorities, co-ops and bearer tokens. Admins create local authorities and co-ops and appoint treasurers; ' +
      "treasurers issue their holders' tokens.",
  },
  {
    name: 'members',
    description:
      "A co-op's members, each holder's Direct Payment award, the DP money the local authority sends (receipts) and balances.",
  },
  {
    name: 'pools',
    description:
      "Pools members put part of their funds in to buy together: joining and leaving (dated), contributions, each member's share.",
  },
  {
    name: 'purchasing',
    description:
      'Shared costs split across a pool, providers and their rate cards, invoices (purchases) and their payments, quotes ' +
      'at the combined volume, and the purchasing-power report.',
  },
  {
    name: 'ledger',
    description:
      'The double-entry ledger as treasurers see it: accounts with balances, journal entries, reversals, the hledger or ' +
      'CSV export and the audit trail.',
  },
  {
    name: 'statements',
    description:
      'Holder, pool and local-authority statements as JSON, CSV or PDF, in English or Welsh, byte-identical when asked ' +
      'again, and the register of every statement issued.',
  },
  {
    name: 'reconciliation',
    description:
      'Bank exports (CSV or OFX) imported and matched with the ledger, unmatched lines booked, and periods closed once ' +
      'the ledger agrees with the bank.',
  },
] as const;

export type Tag = (typeof TAGS)[number]['name'];

/** The document's `info.description`, with the service's body limits. */
export const apiDescription = (limits: {
  jsonBodyBytes: number;
  bankFileBytes: number;
}) => `Cronfa keeps the books of care co-operatives in Wales whose members pool part of their **Direct Payments** (DP): \
money a local authority (LA) pays a disabled or older person, or their family, to buy their own care. Every penny stays \
attributable to a member; the ledger is double entry, enforced by the database.

## Roles and tokens
Every operation except \`/health\` and \`/ready\` needs \`Authorization: Bearer <token>\`. A token has one role and is bound to its tenant:

| role | bound to | may |
|---|---|---|
| \`admin\` | nothing | create local authorities and co-ops, issue any token; reads no member's money |
| \`treasurer\` | one co-op | everything in that co-op; issues holder tokens for its holders |
| \`holder\` | one member | read their own member record, balance, pools and statements |
| \`la_officer\` | one local authority | read that LA and its holders, in every co-op they belong to |

No token, or an unknown, expired or revoked one, is answered **401**. A valid token that may not do something is \
answered **403**, or **404** where a 403 would reveal that another tenant's co-op, member or LA exists. Each operation \
lists the answers its access rule can give.

## Money, dates and ids
- Money is a JSON **string**, GBP. Responses always have exactly two decimals (\`"1234.50"\`, \`"-3.07"\`); requests \
accept \`^-?\\d+(\\.\\d{1,2})?$\`. A JSON number, three decimals, or zero where a positive amount is needed is a 422.
- Ledger balances (\`/accounts\`) are signed debit-positive, as in hledger: the bank positive, what the co-op holds for \
members negative, a co-op's balances summing to zero. Member-facing figures (\`funds\`, \`share\`) are positive.
- Dates are \`YYYY-MM-DD\` (value dates may not be in the future); timestamps ISO 8601 UTC; ids UUIDs.

## Errors
Every refusal is an RFC 9457 problem, \`application/problem+json\`, with \`type\` (\`https://cronfa.dev/problems/<code>\`), \
\`title\`, \`status\` and \`detail\`; a validation error adds \`errors: [{path, message}]\`, and some problems add \
members of their own. Each problem type is a schema in \`components.schemas\`; each operation lists the problem types \
each of its statuses can carry, the service's own (408, 429, 431, 500, 503) included. Bytes that are not HTTP at all \
are answered 400 before any operation is reached.

## Lists
Lists answer \`{items, nextCursor}\`. Ask for the next page with \`?cursor=<nextCursor>\`; \`nextCursor\` is null on \
the last page. \`?limit=\` is 1 to 500, default 50.

## Idempotency
Every write that moves money or changes the reconciliation (each lists an \`Idempotency-Key\` header) accepts \
\`Idempotency-Key\` (1–255 printable ASCII characters). The same key with the same request in the same co-op answers the original status and body \
again, with \`Idempotency-Replayed: true\`, and posts nothing; refusals by a business rule are replayed too. The same key \
with a different request is a 422 \`idempotency-key-reused\`. Keys are kept at least 30 days. After a timeout or a 503, \
retry with the same key.

## Limits
Requests are limited per token a minute (and, without a valid token, per address): over the limit the answer is 429 \
with \`Retry-After\`. JSON bodies are at most ${kilobytes(limits.jsonBodyBytes)}; bank files ${megabytes(limits.bankFileBytes)}. Answers under \`/v1\` are \`Cache-Control: no-store\`.`;

export const kilobytes = (bytes: number) => `${Math.round(bytes / 1024)} KB`;
export const megabytes = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;
