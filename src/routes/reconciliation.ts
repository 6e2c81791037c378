import { z } from 'zod';
import { treasurerOfCoop } from '../auth/permissions';
import { DATE_FORMATS } from '../domain/bank-files/bank-file';
import { CSV_PRESETS, CSV_PRESET_NAMES, type ColumnRef, type CsvLayout } from '../domain/bank-files/csv-layouts';
import { londonDateOf } from '../domain/dates';
import { DomainError } from '../domain/errors';
import { parseMoney } from '../domain/money';
import { DEFAULT_WINDOW_DAYS } from '../domain/reconciliation/auto-match';
import { bookBankLine, BOOKING_KINDS } from '../services/reconciliation/book-bank-line';
import { type BankImportRequest, importBankStatement } from '../services/reconciliation/import-bank-statement';
import { createManualMatch, deleteMatch, runAutoMatch } from '../services/reconciliation/matching';
import { closePeriod, listPeriods } from '../services/reconciliation/periods';
import { reconciliationSummary } from '../services/reconciliation/summary';
import { moneyWriteOf, sendStored } from './money-write';
import { Allocation } from './purchasing';
import { CalendarDate, CoopParams, Id, IdempotencyHeaders, LongText, MoneyOut, MoneyText } from './schemas';
import { type App, type RouteDeps, contextOf, typed } from './types';

/**
 * A year of a busy co-op's bank lines is a few megabytes; larger uploads are refused with 413. The limit goes with
 * LINES_MAX (200,000 lines of a Lloyds export are about 17 MB): what it allows must read comfortably within a
 * bank-file thread's limits (src/workers/limits.ts).
 */
export const BANK_FILE_LIMIT_BYTES = 20 * 1024 * 1024;
const BANK_FILE_TYPES = [
  'text/csv',
  'application/csv',
  'text/plain',
  'application/x-ofx',
  'application/ofx',
  'application/octet-stream',
  'application/vnd.ms-excel',
];

const Column = z.string().min(1).max(100);
const ImportQuery = z
  .strictObject({
    format: z.enum(['csv', 'ofx']),
    preset: z.enum(CSV_PRESET_NAMES as [string, ...string[]]).optional(),
    headerRow: z.enum(['true', 'false']).default('true'),
    dateColumn: Column.optional(),
    dateFormat: z.enum(DATE_FORMATS).optional(),
    descriptionColumn: Column.optional(),
    amountColumn: Column.optional(),
    paidInColumn: Column.optional(),
    paidOutColumn: Column.optional(),
    balanceColumn: Column.optional(),
    transactionIdColumn: Column.optional(),
    openingBalance: MoneyText.optional().meta({
      description: 'For a CSV layout without a balance column: the balance before its first line.',
    }),
  })
  .meta({
    description:
      'A CSV needs a preset or a generic mapping (dateColumn, dateFormat, descriptionColumn, and amountColumn or paidInColumn + paidOutColumn).',
  });
type ImportQuery = z.infer<typeof ImportQuery>;

const BankStatementOut = z.object({
  id: Id,
  format: z.string(),
  layout: z.string(),
  lineCount: z.number().int(),
  importedCount: z.number().int(),
  duplicatesSkipped: z.number().int(),
  from: z.string(),
  to: z.string(),
  openingBalance: MoneyOut.nullable(),
  closingBalance: MoneyOut.nullable(),
});

const WindowQuery = z.strictObject({ windowDays: z.coerce.number().int().min(0).max(31).default(DEFAULT_WINDOW_DAYS) });
const AutoOut = z.object({
  windowDays: z.number().int(),
  matched: z.object({ byReference: z.number().int(), byAmountAndDate: z.number().int(), contra: z.number().int() }),
  unmatchedBankLines: z.number().int(),
  unmatchedEntries: z.number().int(),
  suggestionCount: z.number().int(),
  suggestions: z.array(z.object({ bankLineId: Id, entryIds: z.array(Id) })),
});

const distinct = (ids: string[]) => new Set(ids).size === ids.length;
const IdList = z.array(Id).max(500).refine(distinct, 'each id once');
const MatchIn = z
  .strictObject({ bankLineIds: IdList.default([]), entryIds: IdList.default([]) })
  .refine((m) => m.bankLineIds.length + m.entryIds.length >= 2, {
    message: 'a match needs at least two items (lines, entries or both)',
    path: ['bankLineIds'],
  });
const MatchOut = z.object({
  id: Id,
  method: z.string(),
  bankLineIds: z.array(Id),
  entryIds: z.array(Id),
  amount: MoneyOut,
});
const MatchParams = z.strictObject({ coopId: Id, matchId: Id });

const LineParams = z.strictObject({ coopId: Id, lineId: Id });
const BookingIn = z.strictObject({
  kind: z.enum(BOOKING_KINDS),
  memberId: Id.optional(),
  poolId: Id.optional(),
  allocation: Allocation.optional(),
});
const BookingOut = z.object({
  bankLineId: Id,
  kind: z.string(),
  entryId: Id,
  matchId: Id,
  amount: MoneyOut,
  postedOn: z.string(),
});

const SummaryQuery = WindowQuery.extend({ asOf: CalendarDate.optional() });
const SummaryOut = z.object({
  asOf: z.string(),
  ledgerBankBalance: MoneyOut,
  statementBalance: MoneyOut.nullable(),
  difference: MoneyOut.nullable().meta({
    description: 'Ledger minus bank; null until an imported statement gives a balance.',
  }),
  closedThrough: z.string().nullable(),
  reconciledThrough: z.string().nullable(),
  unmatchedBankLineCount: z.number().int(),
  unmatchedEntryCount: z.number().int(),
  unmatchedBankLines: z.array(
    z.object({
      id: Id,
      postedOn: z.string(),
      description: z.string(),
      amount: MoneyOut,
      candidateEntryIds: z.array(Id),
    }),
  ),
  unmatchedEntries: z.array(
    z.object({ id: Id, valueDate: z.string(), kind: z.string(), memo: z.string(), amount: MoneyOut }),
  ),
});

const CloseIn = z
  .strictObject({ through: CalendarDate, force: z.boolean().default(false), reason: LongText.optional() })
  .refine((c) => !c.force || (c.reason?.trim().length ?? 0) > 0, {
    message: 'a forced close needs a reason',
    path: ['reason'],
  });
const PeriodOut = z.object({
  id: Id,
  through: z.string(),
  ledgerBankBalance: MoneyOut,
  statementBalance: MoneyOut.nullable(),
  difference: MoneyOut.nullable(),
  forced: z.boolean(),
  reason: z.string().nullable(),
  closedBy: Id,
  closedAt: z.string(),
});

/** Bank reconciliation and period close: the treasurer proves the ledger matches the bank, then makes it final. */
export async function reconciliationRoutes(app: App, deps: RouteDeps): Promise<void> {
  app.addContentTypeParser(
    BANK_FILE_TYPES,
    { parseAs: 'buffer', bodyLimit: BANK_FILE_LIMIT_BYTES },
    (_request, body, done) => done(null, body),
  );
  const r = typed(app);
  const access = treasurerOfCoop;
  r.post(
    '/v1/coops/:coopId/bank-statements',
    {
      config: { access },
      bodyLimit: BANK_FILE_LIMIT_BYTES,
      schema: {
        tags: ['reconciliation'],
        description:
          'Upload a bank export as the request body (CSV or OFX). Lines already imported are skipped and counted.',
        consumes: BANK_FILE_TYPES,
        params: CoopParams,
        querystring: ImportQuery,
        headers: IdempotencyHeaders,
        response: { 201: BankStatementOut },
      },
    },
    async (request, reply) => {
      if (!Buffer.isBuffer(request.body)) {
        throw new DomainError(
          'unprocessable',
          'Send the bank export itself as the body, with Content-Type text/csv or application/x-ofx.',
        );
      }
      const write = moneyWriteOf(deps.database, request, request.params.coopId);
      return sendStored(
        reply,
        await importBankStatement(write, importRequestOf(request.query, request.body), deps.reconciliationWorkers),
      );
    },
  );
  r.post(
    '/v1/coops/:coopId/reconciliation/auto',
    {
      config: { access },
      schema: {
        tags: ['reconciliation'],
        params: CoopParams,
        querystring: WindowQuery,
        headers: IdempotencyHeaders,
        response: { 200: AutoOut },
      },
    },
    async (request, reply) =>
      sendStored(
        reply,
        await runAutoMatch(
          moneyWriteOf(deps.database, request, request.params.coopId),
          request.query.windowDays,
          deps.reconciliationWorkers,
        ),
      ),
  );
  r.post(
    '/v1/coops/:coopId/reconciliation/matches',
    {
      config: { access },
      schema: {
        tags: ['reconciliation'],
        params: CoopParams,
        headers: IdempotencyHeaders,
        body: MatchIn,
        response: { 201: MatchOut },
      },
    },
    async (request, reply) =>
      sendStored(
        reply,
        await createManualMatch(moneyWriteOf(deps.database, request, request.params.coopId), request.body),
      ),
  );
  r.delete(
    '/v1/coops/:coopId/reconciliation/matches/:matchId',
    { config: { access }, schema: { tags: ['reconciliation'], params: MatchParams, response: { 204: z.null() } } },
    async (request, reply) => {
      await deleteMatch(contextOf(deps, request), request.params.coopId, request.params.matchId);
      return reply.code(204).send(null);
    },
  );
  r.post(
    '/v1/coops/:coopId/bank-lines/:lineId/entry',
    {
      config: { access },
      schema: {
        tags: ['reconciliation'],
        params: LineParams,
        headers: IdempotencyHeaders,
        body: BookingIn,
        response: { 201: BookingOut },
      },
    },
    async (request, reply) => {
      const { coopId, lineId } = request.params;
      return sendStored(reply, await bookBankLine(moneyWriteOf(deps.database, request, coopId), lineId, request.body));
    },
  );
  r.get(
    '/v1/coops/:coopId/reconciliation',
    {
      config: { access },
      schema: {
        tags: ['reconciliation'],
        params: CoopParams,
        querystring: SummaryQuery,
        response: { 200: SummaryOut },
      },
    },
    async (request) => {
      const { asOf, windowDays } = request.query;
      return reconciliationSummary(
        contextOf(deps, request),
        request.params.coopId,
        asOf ?? londonDateOf(new Date()),
        windowDays,
      );
    },
  );
  r.post(
    '/v1/coops/:coopId/periods/close',
    {
      config: { access },
      schema: {
        tags: ['reconciliation'],
        params: CoopParams,
        headers: IdempotencyHeaders,
        body: CloseIn,
        response: { 201: PeriodOut },
      },
    },
    async (request, reply) =>
      sendStored(reply, await closePeriod(moneyWriteOf(deps.database, request, request.params.coopId), request.body)),
  );
  r.get(
    '/v1/coops/:coopId/periods',
    {
      config: { access },
      schema: {
        tags: ['reconciliation'],
        params: CoopParams,
        response: { 200: z.object({ items: z.array(PeriodOut) }) },
      },
    },
    async (request) => listPeriods(contextOf(deps, request), request.params.coopId),
  );
}

function importRequestOf(query: ImportQuery, bytes: Buffer): BankImportRequest {
  if (query.format === 'ofx') return { format: 'ofx', bytes };
  return {
    format: 'csv',
    bytes,
    layout: csvLayoutOf(query),
    openingBalance: query.openingBalance ? parseMoney(query.openingBalance) : null,
  };
}

/** A preset, or the generic mapping given in the query; a missing piece of the mapping is named. */
function csvLayoutOf(query: ImportQuery): CsvLayout {
  if (query.preset) return CSV_PRESETS[query.preset as keyof typeof CSV_PRESETS].layout;
  const headerRow = query.headerRow === 'true';
  const missing = (field: string) =>
    new DomainError('unprocessable', `querystring.${field}: required for a CSV without a preset`, {
      errors: [{ path: `querystring.${field}`, message: 'required for a CSV without a preset' }],
    });
  const column = (value: string | undefined, field: string): ColumnRef => {
    if (value === undefined) throw missing(field);
    if (headerRow) return value;
    if (!/^[1-9]\d{0,2}$/.test(value))
      throw new DomainError(
        'unprocessable',
        `querystring.${field}: without a header row, give the column's number (1 is the first)`,
        { errors: [{ path: `querystring.${field}`, message: 'a column number' }] },
      );
    return Number(value);
  };
  const signed = query.amountColumn !== undefined;
  if (!signed && (query.paidInColumn === undefined || query.paidOutColumn === undefined)) throw missing('amountColumn');
  if (!query.dateFormat) throw missing('dateFormat');
  return {
    name: 'generic',
    headerRow,
    date: column(query.dateColumn, 'dateColumn'),
    dateFormats: [query.dateFormat],
    description: [column(query.descriptionColumn, 'descriptionColumn')],
    amount: signed
      ? { signed: column(query.amountColumn, 'amountColumn') }
      : { paidIn: column(query.paidInColumn, 'paidInColumn'), paidOut: column(query.paidOutColumn, 'paidOutColumn') },
    balance: query.balanceColumn === undefined ? undefined : column(query.balanceColumn, 'balanceColumn'),
    transactionId:
      query.transactionIdColumn === undefined ? undefined : column(query.transactionIdColumn, 'transactionIdColumn'),
  };
}
