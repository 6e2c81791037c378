import { z } from 'zod';
import { treasurerOfCoop } from '../../auth/permissions';
import { listAudit } from '../../services/audit';
import { exportJournal, getEntry, listAccounts, listEntries, reverseEntry } from '../../services/ledger/ledger';
import { BANK_CODE, holderFundsCode } from '../../domain/account-codes';
import { type JournalEntry, renderHledgerJournal } from '../../domain/hledger';
import { renderJournalCsv } from '../../domain/journal-csv';
import { parseMoney } from '../../domain/money';
import { moneyWriteOf, sendMoneyWrite } from '../money-write';
import { EXAMPLE_ID, EXAMPLE_TIME, documented, examplePage, textFile } from '../openapi-docs';
import {
  CalendarDate,
  CoopParams,
  Id,
  IdempotencyHeaders,
  LongText,
  MoneyOut,
  PageQuery,
  pageOf,
  pageRequest,
} from './schemas';
import { type App, type RouteDeps, contextOf, typed } from '../route-context';

const Account = z.object({
  id: Id,
  code: z.string(),
  name: z.string(),
  kind: z.string(),
  memberId: Id.nullable(),
  poolId: Id.nullable(),
  providerId: Id.nullable(),
  balance: MoneyOut.meta({ description: 'Signed, debit-positive: money held for members is negative.' }),
});

const Entry = z.object({
  id: Id,
  kind: z.string(),
  valueDate: z.string(),
  postedAt: z.string(),
  memo: z.string(),
  reference: z.string().nullable(),
  createdBy: Id,
  postings: z.array(
    z.object({
      accountId: Id,
      accountCode: z.string(),
      accountName: z.string(),
      memberId: Id.nullable(),
      amount: MoneyOut,
    }),
  ),
  reverses: Id.nullable(),
  reversedBy: Id.nullable(),
});

const DateRange = z.strictObject({ from: CalendarDate.optional(), to: CalendarDate.optional() });
const EntryQuery = PageQuery.extend({
  from: CalendarDate.optional(),
  to: CalendarDate.optional(),
  accountId: Id.optional(),
  memberId: Id.optional(),
});
const AuditQuery = PageQuery.extend({ from: CalendarDate.optional(), to: CalendarDate.optional() });
const ExportQuery = DateRange.extend({ format: z.enum(['hledger', 'csv']).default('hledger') });

const AuditEvent = z.object({
  id: Id,
  at: z.string(),
  actorTokenId: Id.nullable(),
  action: z.string(),
  targetType: z.string(),
  targetId: Id.nullable(),
});

const EntryParams = z.strictObject({ coopId: Id, entryId: Id });
const Reversal = z.strictObject({ reason: LongText, valueDate: CalendarDate.optional() });

const entryExample = {
  id: EXAMPLE_ID.entry,
  kind: 'dp_receipt',
  valueDate: '2026-11-02',
  postedAt: EXAMPLE_TIME,
  memo: 'DP receipt WXM-DP-1000-NOV',
  reference: 'WXM-DP-1000-NOV',
  createdBy: EXAMPLE_ID.token,
  postings: [
    {
      accountId: EXAMPLE_ID.bankAccount,
      accountCode: BANK_CODE,
      accountName: 'Co-op bank account',
      memberId: null,
      amount: '424.80',
    },
    {
      accountId: EXAMPLE_ID.fundsAccount,
      accountCode: holderFundsCode('DP-1000'),
      accountName: 'Funds of DP-1000',
      memberId: EXAMPLE_ID.member,
      amount: '-424.80',
    },
  ],
  reverses: null,
  reversedBy: null,
};
/** The journal of the example entry, rendered by the export's own writers. */
const journalExample: JournalEntry[] = [
  {
    id: entryExample.id,
    valueDate: entryExample.valueDate,
    kind: entryExample.kind,
    memo: entryExample.memo,
    reference: entryExample.reference,
    postings: entryExample.postings.map((p) => ({ accountCode: p.accountCode, amount: parseMoney(p.amount) })),
  },
];

/** The ledger as treasurers see it: accounts, entries, reversals, export and audit. */
export async function ledgerRoutes(app: App, deps: RouteDeps): Promise<void> {
  const r = typed(app);
  const access = treasurerOfCoop;
  r.get(
    '/v1/coops/:coopId/accounts',
    {
      config: { access },
      schema: {
        ...documented({
          operationId: 'listAccounts',
          summary: 'The chart of accounts, with balances',
          description:
            "Every account of the co-op: its bank, each holder's funds, each pool share, each provider's payable, the " +
            "co-op's own money and suspense. `code` is a stable hledger-style name (`liabilities:holders:DP-1000:funds`), " +
            "the same as in the journal export. `balance` is signed debit-positive, so a co-op's balances sum to zero. " +
            'Treasurers only.',
          returns: 'A page of accounts.',
          responseExample: examplePage({
            id: EXAMPLE_ID.fundsAccount,
            code: holderFundsCode('DP-1000'),
            name: 'Funds of DP-1000',
            kind: 'holder_funds',
            memberId: EXAMPLE_ID.member,
            poolId: null,
            providerId: null,
            balance: '-184.80',
          }),
        }),
        tags: ['ledger'],
        params: CoopParams,
        querystring: PageQuery,
        response: { 200: pageOf(Account) },
      },
    },
    async (request) => listAccounts(contextOf(deps, request), request.params.coopId, pageRequest(request.query)),
  );
  r.get(
    '/v1/coops/:coopId/entries',
    {
      config: { access },
      schema: {
        ...documented({
          operationId: 'listEntries',
          summary: 'Journal entries',
          description:
            'Journal entries with their postings, in id order, optionally dated `from` to `to` and touching an account or a ' +
            "member. Each entry's postings sum to zero. Treasurers only.",
          returns: 'A page of entries.',
          responseExample: examplePage(entryExample),
        }),
        tags: ['ledger'],
        params: CoopParams,
        querystring: EntryQuery,
        response: { 200: pageOf(Entry) },
      },
    },
    async (request) => {
      const { from, to, accountId, memberId } = request.query;
      return listEntries(contextOf(deps, request), {
        coopId: request.params.coopId,
        from,
        to,
        accountId,
        memberId,
        ...pageRequest(request.query),
      });
    },
  );
  r.get(
    '/v1/coops/:coopId/entries/:entryId',
    {
      config: { access },
      schema: {
        ...documented({
          operationId: 'getEntry',
          summary: 'Get a journal entry',
          description: 'One entry with its postings, what it reverses and what reversed it. Treasurers only.',
          returns: 'The entry.',
          problems: { 'not-found': 'No entry with this id in the co-op.' },
          responseExample: entryExample,
        }),
        tags: ['ledger'],
        params: EntryParams,
        response: { 200: Entry },
      },
    },
    async (request) => getEntry(contextOf(deps, request), request.params.coopId, request.params.entryId),
  );
  r.post(
    '/v1/coops/:coopId/entries/:entryId/reversal',
    {
      config: { access },
      schema: {
        ...documented({
          operationId: 'reverseEntry',
          summary: 'Correct a mistake by reversing its entry',
          description:
            'Entries are never edited: a mistake is corrected by the entry that undoes it, dated `valueDate` (default ' +
            'today, in the open period), with the `reason`. An entry is reversed once; a paid invoice only after its ' +
            'payments are. Refused if the money has been spent since. Send an `Idempotency-Key`. Treasurers only.',
          returns: 'The reversing entry.',
          problems: {
            'not-found': 'No entry with this id in the co-op.',
            'already-reversed': 'The entry has been reversed already (`reversedBy`).',
            'invalid-state': 'The entry is an invoice with payments: reverse them first (`paymentEntryId`).',
            unprocessable: 'The entry is itself a reversal, or `valueDate` is in the future.',
            'insufficient-funds': 'The money it brought in has been spent since.',
            'period-closed': '`valueDate` is in a closed period.',
          },
          requestExample: { reason: 'Keyed twice', valueDate: '2026-11-05' },
          responseExample: {
            ...entryExample,
            id: EXAMPLE_ID.reversal,
            kind: 'reversal',
            valueDate: '2026-11-05',
            memo: 'Reversal: Keyed twice',
            reference: null,
            postings: [
              { ...entryExample.postings[0]!, amount: '-424.80' },
              { ...entryExample.postings[1]!, amount: '424.80' },
            ],
            reverses: EXAMPLE_ID.entry,
          },
        }),
        tags: ['ledger'],
        params: EntryParams,
        headers: IdempotencyHeaders,
        body: Reversal,
        response: { 201: Entry },
      },
    },
    async (request, reply) => {
      const { coopId, entryId } = request.params;
      return sendMoneyWrite(reply, 201, await reverseEntry(moneyWriteOf(deps, request, coopId), entryId, request.body));
    },
  );
  r.get(
    '/v1/coops/:coopId/export/journal',
    {
      config: { access },
      schema: {
        ...documented({
          operationId: 'exportJournal',
          summary: 'Export the journal (hledger or CSV)',
          description:
            'The whole journal, or the entries dated `from` to `to`, as an hledger journal (`format=hledger`, ' +
            '`text/plain`; `hledger bal` on it agrees with the chart of accounts) or as CSV (`format=csv`, one row per ' +
            "posting). Account names are the stable account codes, never a person's name. Treasurers only.",
          returns: 'The journal, as an attachment.',
          responseHeaders: ['Content-Disposition'],
          problems: { 'not-found': 'No co-op with this id.' },
          content: {
            'text/plain': textFile('An hledger journal.', renderHledgerJournal('Cronfa Gofal', journalExample)),
            'text/csv': textFile('One row per posting.', renderJournalCsv(journalExample)),
          },
        }),
        tags: ['ledger'],
        params: CoopParams,
        querystring: ExportQuery,
        produces: ['text/plain', 'text/csv'],
        response: { 200: z.string() },
      },
    },
    async (request, reply) => {
      const { format, from, to } = request.query;
      const body = await exportJournal(contextOf(deps, request), request.params.coopId, format, from, to);
      const [type, file] =
        format === 'csv'
          ? ['text/csv; charset=utf-8', 'cronfa-journal.csv']
          : ['text/plain; charset=utf-8', 'cronfa.journal'];
      return reply.type(type).header('content-disposition', `attachment; filename="${file}"`).send(body);
    },
  );
  r.get(
    '/v1/coops/:coopId/audit',
    {
      config: { access },
      schema: {
        ...documented({
          operationId: 'listAudit',
          summary: 'The audit trail',
          description:
            'Who did what and when in the co-op: every write, by the token that made it, optionally dated `from` to `to`. ' +
            'The trail is append-only. Treasurers only.',
          returns: 'A page of audit events, oldest first.',
          responseExample: examplePage({
            id: EXAMPLE_ID.audit,
            at: EXAMPLE_TIME,
            actorTokenId: EXAMPLE_ID.token,
            action: 'receipt.create',
            targetType: 'entry',
            targetId: EXAMPLE_ID.entry,
          }),
        }),
        tags: ['ledger'],
        params: CoopParams,
        querystring: AuditQuery,
        response: { 200: pageOf(AuditEvent) },
      },
    },
    async (request) => {
      const { from, to } = request.query;
      return listAudit(contextOf(deps, request), {
        coopId: request.params.coopId,
        from,
        to,
        ...pageRequest(request.query),
      });
    },
  );
}
