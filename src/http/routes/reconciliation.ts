import { z } from 'zod';
import { treasurerOfCoop } from '../../auth/permissions';
import { DATE_FORMATS } from '../../domain/bank-files/bank-file';
import { BANK_FILE_LIMIT_BYTES } from '../../domain/bank-files/csv-file';
import { MAPPING_FIELDS, csvLayoutOf } from '../../domain/bank-files/csv-layouts';
import { CSV_PRESETS, CSV_PRESET_NAMES, type CsvPreset } from '../../domain/bank-files/csv-presets';
import { DomainError } from '../../domain/errors';
import { parseMoney } from '../../domain/money';
import { DEFAULT_WINDOW_DAYS } from '../../domain/reconciliation/auto-match';
import { bookBankLine, BOOKING_KINDS } from '../../services/reconciliation/book-bank-line';
import {
  type BankImportRequest,
  importBankStatement,
  previewBankStatement,
} from '../../services/reconciliation/import-bank-statement';
import { createManualMatch, deleteMatch, runAutoMatch } from '../../services/reconciliation/matching';
import { closePeriod, listPeriods } from '../../services/reconciliation/periods';
import { reconciliationSummary } from '../../services/reconciliation/summary';
import { listBankLines, listBankStatements } from '../../services/reconciliation/bank-history';
import { moneyWriteOf, sendMoneyWrite } from '../money-write';
import { EXAMPLE_ID, EXAMPLE_TIME, type MediaDoc, documented, examplePage, megabytes, textFile } from '../openapi-docs';
import {
  Allocation,
  CalendarDate,
  CoopParams,
  Id,
  IdempotencyHeaders,
  LongText,
  MoneyOut,
  MoneyText,
  PageQuery,
  pageOf,
  pageRequest,
} from './schemas';
import { type App, type RouteDeps, contextOf, typed } from '../route-context';

const BANK_FILE_TYPES = [
  'text/csv',
  'application/csv',
  'text/plain',
  'application/x-ofx',
  'application/ofx',
  'application/octet-stream',
  'application/vnd.ms-excel',
  'text/xml',
  'application/xml',
];

const Column = z.string().min(1).max(100);
/** A query field that may be given more than once (`descriptionColumn=Name&descriptionColumn=Reference`). */
const Repeated = z
  .union([Column, z.array(Column).min(1).max(10)])
  .transform((value) => (typeof value === 'string' ? [value] : value));
const LineCount = z.coerce.number().int().min(0).max(50);
const ImportQuery = z
  .strictObject({
    format: z.enum(['csv', 'ofx']),
    preset: z.enum(CSV_PRESET_NAMES as [CsvPreset, ...CsvPreset[]]).optional(),
    headerRow: z.enum(['true', 'false']).default('true'),
    skipLines: LineCount.optional().meta({
      description: 'Lines before the header (found by its names when not given).',
    }),
    dateColumn: Column.optional(),
    dateFromLine: LineCount.min(1).optional().meta({
      description: 'The line of the file whose date dates every transaction, for a file whose rows have none.',
    }),
    dateFormat: z.enum(DATE_FORMATS).optional(),
    descriptionColumn: Repeated.optional().meta({ description: 'Repeat it to join several columns.' }),
    amountColumn: Column.optional(),
    paidInColumn: Column.optional(),
    paidOutColumn: Column.optional(),
    directionColumn: Column.optional().meta({
      description:
        'With amountColumn: the column saying which way the money went (its values in paidInValue, paidOutValue).',
    }),
    paidInValue: Repeated.optional(),
    paidOutValue: Repeated.optional(),
    balanceColumn: Column.optional(),
    transactionIdColumn: Column.optional(),
    currencyColumn: Column.optional().meta({ description: 'Every line must be in GBP.' }),
    accountColumn: Column.optional().meta({ description: 'Every line must name the same account.' }),
    skipColumn: Column.optional(),
    skipValue: Repeated.optional().meta({ description: 'Lines whose skipColumn holds one of these are not read.' }),
    openingBalance: MoneyText.optional().meta({
      description: 'For a CSV layout without a balance column: the balance before its first line.',
    }),
  })
  .meta({
    description:
      'A CSV is read by a preset, by a generic mapping (dateColumn or dateFromLine, dateFormat, descriptionColumn, and amountColumn — with directionColumn when it is unsigned — or paidInColumn + paidOutColumn), or, with neither, by the preset Cronfa recognises from its header.',
  });
type ImportQuery = z.infer<typeof ImportQuery>;

const SkippedLineOut = z.object({ lineNumber: z.number().int(), reason: z.string() });
const BankStatementOut = z.object({
  id: Id,
  format: z.string(),
  layout: z.string().meta({ description: 'The preset named or recognised, `generic`, or `ofx`.' }),
  encoding: z.string(),
  skippedCount: z.number().int(),
  skipped: z.array(SkippedLineOut).meta({ description: 'Lines that are not transactions (the first 50).' }),
  lineCount: z.number().int(),
  importedCount: z.number().int(),
  duplicatesSkipped: z.number().int(),
  from: z.string(),
  to: z.string(),
  openingBalance: MoneyOut.nullable(),
  closingBalance: MoneyOut.nullable(),
});

const PreviewOut = z.object({
  format: z.string(),
  layout: z.string().optional(),
  encoding: z.string().optional(),
  lineCount: z.number().int().optional(),
  from: z.string().optional(),
  to: z.string().optional(),
  openingBalance: MoneyOut.nullable().optional(),
  closingBalance: MoneyOut.nullable().optional(),
  lines: z
    .array(
      z.object({
        lineNumber: z.number().int(),
        postedOn: z.string(),
        amount: MoneyOut,
        description: z.string(),
        balance: MoneyOut.nullable(),
      }),
    )
    .optional(),
  skippedCount: z.number().int().optional(),
  skipped: z.array(SkippedLineOut).optional(),
  problem: z
    .object({ line: z.number().int().nullable(), reason: z.string(), detail: z.string() })
    .nullable()
    .meta({ description: 'Why the file would be refused; null when it would import.' }),
});

const ImportOut = z.object({
  id: Id,
  format: z.string(),
  layout: z.string(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  lineCount: z.number().int(),
  importedCount: z.number().int(),
  duplicatesSkipped: z.number().int(),
  matchedCount: z.number().int(),
  openingBalance: MoneyOut.nullable(),
  closingBalance: MoneyOut.nullable(),
  importedBy: Id.meta({ description: 'The token (or signed-in person’s session) that uploaded it.' }),
  importedAt: z.string(),
});
const BankLinesQuery = PageQuery.extend({
  statementId: Id.optional(),
  from: CalendarDate.optional(),
  to: CalendarDate.optional(),
  matched: z.enum(['true', 'false']).optional(),
});
const BankLineOut = z.object({
  id: Id,
  statementId: Id,
  lineNumber: z.number().int(),
  postedOn: z.string(),
  description: z.string(),
  amount: MoneyOut,
  balance: MoneyOut.nullable(),
  bankTransactionId: z.string().nullable(),
  matchId: Id.nullable(),
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

/** A Lloyds business export (`preset=lloyds`): newest first, a running balance on every line. */
const LLOYDS_EXAMPLE = [
  'Transaction Date,Transaction Type,Sort Code,Account Number,Transaction Description,Debit Amount,Credit Amount,Balance',
  "20/11/2026,PAY,'30-93-12,12345678,SERVICE CHARGES REF : 188342561,8.50,,416.30",
  "02/11/2026,BGC,'30-93-12,12345678,WREXHAM CBC DP WXM-DP-1000-NOV,,424.80,424.80",
].join('\n');

/** An OFX 2 export of the same account. */
const OFX_EXAMPLE = `<?xml version="1.0" encoding="UTF-8"?>
<?OFX OFXHEADER="200" VERSION="220" SECURITY="NONE" OLDFILEUID="NONE" NEWFILEUID="NONE"?>
<OFX>
  <BANKMSGSRSV1>
    <STMTTRNRS>
      <TRNUID>0</TRNUID>
      <STMTRS>
        <CURDEF>GBP</CURDEF>
        <BANKACCTFROM><BANKID>309312</BANKID><ACCTID>12345678</ACCTID><ACCTTYPE>CHECKING</ACCTTYPE></BANKACCTFROM>
        <BANKTRANLIST>
          <DTSTART>20261101</DTSTART>
          <DTEND>20261130</DTEND>
          <STMTTRN>
            <TRNTYPE>CREDIT</TRNTYPE>
            <DTPOSTED>20261102</DTPOSTED>
            <TRNAMT>424.80</TRNAMT>
            <FITID>LL-2026-11-02-001</FITID>
            <NAME>WREXHAM CBC DP WXM-DP-1000-NOV</NAME>
          </STMTTRN>
        </BANKTRANLIST>
        <LEDGERBAL><BALAMT>424.80</BALAMT><DTASOF>20261130</DTASOF></LEDGERBAL>
      </STMTRS>
    </STMTTRNRS>
  </BANKMSGSRSV1>
</OFX>
`;

const csvFile = textFile(
  'A CSV export, UTF-8 (with or without a byte-order mark) or Windows-1252, laid out as `preset` or the query describes.',
  LLOYDS_EXAMPLE,
);
const ofxFile = textFile('An OFX 1.x (SGML) or 2.x (XML) bank statement of one account, in GBP.', OFX_EXAMPLE);
/** The content types a bank file may be sent as, each with what it is read as (the query's `format` decides). */
const BANK_FILE_CONTENT: Record<string, MediaDoc> = Object.fromEntries(
  BANK_FILE_TYPES.map((type) => [type, type.includes('ofx') ? ofxFile : csvFile]),
);

const matchExample = {
  id: EXAMPLE_ID.match,
  method: 'manual',
  bankLineIds: [EXAMPLE_ID.bankLine],
  entryIds: [EXAMPLE_ID.entry],
  amount: '424.80',
};
const periodExample = {
  id: EXAMPLE_ID.period,
  through: '2026-10-31',
  ledgerBankBalance: '17348.58',
  statementBalance: '17348.58',
  difference: '0.00',
  forced: false,
  reason: null,
  closedBy: EXAMPLE_ID.token,
  closedAt: EXAMPLE_TIME,
};
const closedRefusal = 'A bank line or entry is dated in a closed period.';

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
        ...documented({
          operationId: 'importBankStatement',
          summary: "Import the bank's export",
          description:
            "Upload the bank's export itself as the request body (not a form): `format=csv` or `format=ofx`. A CSV is " +
            `read by \`preset\` (${PRESET_BANKS}), by the columns the query names (header names, or 1-based ` +
            'numbers with `headerRow=false`), or, with `format=csv` alone, by the preset Cronfa recognises from the ' +
            'header (the answer says which in `layout`). Title lines above the header, blank lines and lines that ' +
            'move no money are left out and listed in `skipped`. The file is read whole before anything is stored: ' +
            'anything unreadable refuses the whole file with the line and the reason. Lines already imported (by the ' +
            "bank's transaction id, else date, amount and balance) are skipped and counted; the same file twice is " +
            `refused (409, \`statementId\`). Up to ${megabytes(BANK_FILE_LIMIT_BYTES)}. Send an ` +
            '`Idempotency-Key`. Treasurers only.',
          returns: 'What was imported: lines read, imported and skipped as already known, the dates and balances.',
          requestBody: { description: "The bank's export file, as it was downloaded.", content: BANK_FILE_CONTENT },
          problems: {
            'invalid-bank-file': 'The file cannot be read (`line`, `reason`); nothing was imported.',
            duplicate: 'This very file was imported before (`statementId`); nothing was imported again.',
            unprocessable:
              'A CSV without a `preset` or a full column mapping, column numbers with a header row, or a body that is ' +
              'not a file.',
            'payload-too-large': `The file is larger than ${megabytes(BANK_FILE_LIMIT_BYTES)}.`,
            'unsupported-media-type': 'The Content-Type is not one of those listed for the body.',
          },
          responseExample: {
            id: EXAMPLE_ID.bankStatement,
            format: 'csv',
            layout: 'lloyds',
            lineCount: 2,
            importedCount: 2,
            duplicatesSkipped: 0,
            from: '2026-11-02',
            to: '2026-11-20',
            openingBalance: '0.00',
            closingBalance: '416.30',
            encoding: 'utf-8',
            skippedCount: 0,
            skipped: [],
          },
        }),
        tags: ['reconciliation'],
        consumes: BANK_FILE_TYPES,
        params: CoopParams,
        querystring: ImportQuery,
        headers: IdempotencyHeaders,
        response: { 201: BankStatementOut },
      },
    },
    async (request, reply) => {
      const write = moneyWriteOf(deps, request, request.params.coopId);
      return sendMoneyWrite(
        reply,
        201,
        await importBankStatement(write, importRequestOf(request.query, request.body), deps.reconciliationWorkers),
      );
    },
  );
  r.get(
    '/v1/coops/:coopId/bank-statements',
    {
      config: { access },
      schema: {
        ...documented({
          operationId: 'listBankStatements',
          summary: 'Every bank export imported',
          description:
            'Oldest first: the layout it was read with, its dates, its lines (imported, and skipped as already ' +
            'known), how many of its lines are matched, its balances, and who uploaded it. Treasurers only.',
          returns: 'A page of imports.',
          responseExample: examplePage({
            id: EXAMPLE_ID.bankStatement,
            format: 'csv',
            layout: 'lloyds',
            from: '2026-11-02',
            to: '2026-11-20',
            lineCount: 2,
            importedCount: 2,
            duplicatesSkipped: 0,
            matchedCount: 1,
            openingBalance: '0.00',
            closingBalance: '416.30',
            importedBy: EXAMPLE_ID.token,
            importedAt: EXAMPLE_TIME,
          }),
        }),
        tags: ['reconciliation'],
        params: CoopParams,
        querystring: PageQuery,
        response: { 200: pageOf(ImportOut) },
      },
    },
    async (request) => listBankStatements(contextOf(deps, request), request.params.coopId, pageRequest(request.query)),
  );
  r.get(
    '/v1/coops/:coopId/bank-lines',
    {
      config: { access },
      schema: {
        ...documented({
          operationId: 'listBankLines',
          summary: 'Every bank line, matched or not',
          description:
            'The lines the bank reported, in the order they were imported, each with its match (or null). Filter by ' +
            'import (`statementId`), by date (`from`, `to`) and by `matched=true|false`. Treasurers only.',
          returns: 'A page of bank lines.',
          responseExample: examplePage({
            id: EXAMPLE_ID.bankLine,
            statementId: EXAMPLE_ID.bankStatement,
            lineNumber: 3,
            postedOn: '2026-11-02',
            description: 'WREXHAM CBC DP WXM-DP-1000-NOV',
            amount: '424.80',
            balance: '424.80',
            bankTransactionId: null,
            matchId: EXAMPLE_ID.match,
          }),
        }),
        tags: ['reconciliation'],
        params: CoopParams,
        querystring: BankLinesQuery,
        response: { 200: pageOf(BankLineOut) },
      },
    },
    async (request) => {
      const { statementId, from, to, matched } = request.query;
      const filter = { statementId, from, to, matched: matched === undefined ? undefined : matched === 'true' };
      return listBankLines(contextOf(deps, request), request.params.coopId, filter, pageRequest(request.query));
    },
  );
  r.post(
    '/v1/coops/:coopId/bank-statements/preview',
    {
      config: { access },
      bodyLimit: BANK_FILE_LIMIT_BYTES,
      schema: {
        ...documented({
          operationId: 'previewBankStatement',
          summary: 'See how a bank export would be read',
          description:
            'The same file and query as an import, storing nothing: the layout Cronfa takes (the preset named or ' +
            'recognised, or the mapping given), the encoding, the first ten lines as read (date, amount, ' +
            'description, balance), the lines it would leave out, and the problem that would refuse the file ' +
            '(`problem`, null when it would import). Treasurers only.',
          returns: 'How the file reads, or why it would be refused.',
          requestBody: { description: "The bank's export file, as it was downloaded.", content: BANK_FILE_CONTENT },
          problems: {
            unprocessable: 'A mapping that cannot describe a layout, or a body that is not a file.',
            'payload-too-large': `The file is larger than ${megabytes(BANK_FILE_LIMIT_BYTES)}.`,
            'unsupported-media-type': 'The Content-Type is not one of those listed for the body.',
          },
          responseExample: {
            format: 'csv',
            layout: 'lloyds',
            encoding: 'utf-8',
            lineCount: 2,
            from: '2026-11-02',
            to: '2026-11-20',
            openingBalance: '0.00',
            closingBalance: '416.30',
            lines: [
              {
                lineNumber: 3,
                postedOn: '2026-11-02',
                amount: '424.80',
                description: 'WREXHAM CBC DP WXM-DP-1000-NOV',
                balance: '424.80',
              },
            ],
            skippedCount: 0,
            skipped: [],
            problem: null,
          },
        }),
        tags: ['reconciliation'],
        consumes: BANK_FILE_TYPES,
        params: CoopParams,
        querystring: ImportQuery,
        response: { 200: PreviewOut },
      },
    },
    async (request) => previewBankStatement(importRequestOf(request.query, request.body), deps.reconciliationWorkers),
  );
  r.post(
    '/v1/coops/:coopId/reconciliation/auto',
    {
      config: { access },
      schema: {
        ...documented({
          operationId: 'autoMatch',
          summary: 'Match what can be matched without a guess',
          description:
            'Matches unmatched bank lines with entries that moved the bank in the open period: a line and an entry are ' +
            'candidates when their amounts are equal and their dates at most `windowDays` apart; a pair is matched only ' +
            "when each is the other's only candidate, first among those whose reference appears in the line, then " +
            'among all. An entry and its reversal cancel out (`contra`). Anything ambiguous is left for the treasurer ' +
            'and listed in `suggestions`. Running it again finds nothing new. Treasurers only.',
          returns: 'How many were matched by each method, what is left, and suggestions.',
          problems: {
            unprocessable: 'Matching took longer, or needed more memory, than it may (`limit`); nothing was matched.',
          },
          responseExample: {
            windowDays: 3,
            matched: { byReference: 81, byAmountAndDate: 11, contra: 0 },
            unmatchedBankLines: 2,
            unmatchedEntries: 0,
            suggestionCount: 1,
            suggestions: [{ bankLineId: EXAMPLE_ID.bankLine, entryIds: [EXAMPLE_ID.entry, EXAMPLE_ID.reversal] }],
          },
        }),
        tags: ['reconciliation'],
        params: CoopParams,
        querystring: WindowQuery,
        headers: IdempotencyHeaders,
        response: { 200: AutoOut },
      },
    },
    async (request, reply) =>
      sendMoneyWrite(
        reply,
        200,
        await runAutoMatch(
          moneyWriteOf(deps, request, request.params.coopId),
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
        ...documented({
          operationId: 'createMatch',
          summary: 'Match bank lines and entries by hand',
          description:
            'One line to several entries, several lines to one entry, or lines (or entries) that cancel out on their ' +
            'own. The amounts must agree to the penny; each line and entry is in at most one match. Treasurers only.',
          returns: 'The match.',
          problems: {
            'not-found': "A bank line or entry named is not the co-op's.",
            'invalid-state': 'A line or entry is already matched (`alreadyMatched`): undo that match first.',
            unprocessable:
              'The lines and entries do not agree (`bankLinesTotal`, `entriesTotal`), or an entry did not move the bank.',
            'period-closed': closedRefusal,
          },
          requestExample: { bankLineIds: [EXAMPLE_ID.bankLine], entryIds: [EXAMPLE_ID.entry] },
          responseExample: matchExample,
        }),
        tags: ['reconciliation'],
        params: CoopParams,
        headers: IdempotencyHeaders,
        body: MatchIn,
        response: { 201: MatchOut },
      },
    },
    async (request, reply) =>
      sendMoneyWrite(
        reply,
        201,
        await createManualMatch(moneyWriteOf(deps, request, request.params.coopId), request.body),
      ),
  );
  r.delete(
    '/v1/coops/:coopId/reconciliation/matches/:matchId',
    {
      config: { access },
      schema: {
        ...documented({
          operationId: 'deleteMatch',
          summary: 'Undo a match',
          description: 'Its lines and entries are unmatched again. Only in the open period. Treasurers only.',
          returns: 'Undone.',
          problems: { 'not-found': 'No match with this id in the co-op.', 'period-closed': closedRefusal },
        }),
        tags: ['reconciliation'],
        params: MatchParams,
        response: { 204: z.null() },
      },
    },
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
        ...documented({
          operationId: 'bookBankLine',
          summary: 'Book a bank line the ledger lacks',
          description:
            'Posts the entry an unmatched bank line stands for, dated the day the bank moved the money, and matches the ' +
            "two: `bank_charge` (the co-op's own money, or shared across a pool's members with `poolId` and an " +
            "optional `allocation`), `interest` (the co-op's), `suspense` (unexplained, until someone finds out whose " +
            "it is) or `la_recovery` (the LA took back a holder's unspent DP: `memberId`, refused whole if they have " +
            'less). Send an `Idempotency-Key`. Treasurers only.',
          returns: 'The entry posted and the match made.',
          problems: {
            'not-found': 'No bank line with this id (or no member or pool named) in the co-op.',
            'invalid-state': 'The line is already matched.',
            unprocessable:
              'The kind does not fit the line (a charge paid in, interest paid out), or `memberId`, `poolId` or ' +
              '`allocation` do not fit the kind.',
            'insufficient-funds': 'The holder (or a member sharing the charge) has less than their part.',
            'period-closed': 'The line is dated in a closed period.',
          },
          requestExample: { kind: 'bank_charge' },
          responseExample: {
            bankLineId: EXAMPLE_ID.bankLine,
            kind: 'bank_charge',
            entryId: EXAMPLE_ID.entry,
            matchId: EXAMPLE_ID.match,
            amount: '-8.50',
            postedOn: '2026-11-20',
          },
        }),
        tags: ['reconciliation'],
        params: LineParams,
        headers: IdempotencyHeaders,
        body: BookingIn,
        response: { 201: BookingOut },
      },
    },
    async (request, reply) => {
      const { coopId, lineId } = request.params;
      return sendMoneyWrite(reply, 201, await bookBankLine(moneyWriteOf(deps, request, coopId), lineId, request.body));
    },
  );
  r.get(
    '/v1/coops/:coopId/reconciliation',
    {
      config: { access },
      schema: {
        ...documented({
          operationId: 'reconciliationSummary',
          summary: 'Does the ledger agree with the bank?',
          description:
            "At the end of `asOf` (default today): the ledger's bank balance, the bank's own (from the latest imported " +
            'statement), the difference, and what is unmatched on each side, each unmatched line with its candidate ' +
            'entries. Treasurers only.',
          returns: 'The reconciliation.',
          responseExample: {
            asOf: '2026-11-30',
            ledgerBankBalance: '424.80',
            statementBalance: '416.30',
            difference: '8.50',
            closedThrough: '2026-10-31',
            reconciledThrough: '2026-10-31',
            unmatchedBankLineCount: 1,
            unmatchedEntryCount: 0,
            unmatchedBankLines: [
              {
                id: EXAMPLE_ID.bankLine,
                postedOn: '2026-11-20',
                description: 'SERVICE CHARGES REF : 188342561',
                amount: '-8.50',
                candidateEntryIds: [],
              },
            ],
            unmatchedEntries: [],
          },
        }),
        tags: ['reconciliation'],
        params: CoopParams,
        querystring: SummaryQuery,
        response: { 200: SummaryOut },
      },
    },
    async (request) => {
      const { asOf, windowDays } = request.query;
      return reconciliationSummary(contextOf(deps, request), request.params.coopId, asOf, windowDays);
    },
  );
  r.post(
    '/v1/coops/:coopId/periods/close',
    {
      config: { access },
      schema: {
        ...documented({
          operationId: 'closePeriod',
          summary: 'Close the books through a date',
          description:
            'After a close, nothing dated on or before `through` can be posted, reversed or matched (409 ' +
            '`period-closed`); corrections are dated in the open period. The ledger and the bank must agree at ' +
            '`through`; `force: true` with a `reason` closes anyway, recording the difference. Send an ' +
            '`Idempotency-Key`. Treasurers only.',
          returns: 'The close.',
          problems: {
            unprocessable: '`through` is in the future.',
            'invalid-state': 'The books are already closed through `through` or later (`closedThrough`).',
            'not-reconciled': 'The ledger and the bank disagree at `through` (or no statement gives the bank balance).',
          },
          requestExample: { through: '2026-10-31' },
          responseExample: periodExample,
        }),
        tags: ['reconciliation'],
        params: CoopParams,
        headers: IdempotencyHeaders,
        body: CloseIn,
        response: { 201: PeriodOut },
      },
    },
    async (request, reply) =>
      sendMoneyWrite(reply, 201, await closePeriod(moneyWriteOf(deps, request, request.params.coopId), request.body)),
  );
  r.get(
    '/v1/coops/:coopId/periods',
    {
      config: { access },
      schema: {
        ...documented({
          operationId: 'listPeriods',
          summary: 'Closed periods',
          description:
            'Every close of the books, oldest first, with the balances at the time and whether it was forced.',
          returns: 'Every close.',
          responseExample: { items: [periodExample] },
        }),
        tags: ['reconciliation'],
        params: CoopParams,
        response: { 200: z.object({ items: z.array(PeriodOut) }) },
      },
    },
    async (request) => listPeriods(contextOf(deps, request), request.params.coopId),
  );
}

function importRequestOf(query: ImportQuery, body: unknown): BankImportRequest {
  if (!Buffer.isBuffer(body))
    throw new DomainError(
      'unprocessable',
      `Send the bank export itself as the body, not a form, with one of the content types ${BANK_FILE_TYPES.join(', ')}.`,
    );
  const bytes = body;
  if (query.format === 'ofx') return { format: 'ofx', bytes };
  const mapping = {
    ...query,
    headerRow: query.headerRow === 'true',
    descriptionColumns: query.descriptionColumn,
    paidInValues: query.paidInValue,
    paidOutValues: query.paidOutValue,
    skipValues: query.skipValue,
  };
  const described = query.preset !== undefined || MAPPING_FIELDS.some((field) => mapping[field] !== undefined);
  return {
    format: 'csv',
    bytes,
    layout: described ? csvLayoutOf(mapping) : null,
    openingBalance: query.openingBalance ? parseMoney(query.openingBalance) : null,
  };
}

/** The presets, each with the banks that write it, for the API's description. */
const PRESET_BANKS = CSV_PRESET_NAMES.map((name) => `\`${name}\` (${CSV_PRESETS[name].banks})`).join(', ');
