import { z } from 'zod';
import { treasurerOfCoop } from '../auth/permissions';
import { listAudit } from '../services/audit';
import { exportJournal, getEntry, listAccounts, listEntries, reverseEntry } from '../services/ledger/ledger';
import { moneyWriteOf, sendStored } from './money-write';
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
import { type App, type RouteDeps, contextOf, typed } from './types';

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

/** The ledger as treasurers see it: accounts, entries, reversals, export and audit. */
export async function ledgerRoutes(app: App, deps: RouteDeps): Promise<void> {
  const r = typed(app);
  const access = treasurerOfCoop;
  r.get(
    '/v1/coops/:coopId/accounts',
    {
      config: { access },
      schema: { tags: ['ledger'], params: CoopParams, querystring: PageQuery, response: { 200: pageOf(Account) } },
    },
    async (request) => listAccounts(contextOf(deps, request), request.params.coopId, pageRequest(request.query)),
  );
  r.get(
    '/v1/coops/:coopId/entries',
    {
      config: { access },
      schema: { tags: ['ledger'], params: CoopParams, querystring: EntryQuery, response: { 200: pageOf(Entry) } },
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
    { config: { access }, schema: { tags: ['ledger'], params: EntryParams, response: { 200: Entry } } },
    async (request) => getEntry(contextOf(deps, request), request.params.coopId, request.params.entryId),
  );
  r.post(
    '/v1/coops/:coopId/entries/:entryId/reversal',
    {
      config: { access },
      schema: {
        tags: ['ledger'],
        params: EntryParams,
        headers: IdempotencyHeaders,
        body: Reversal,
        response: { 201: Entry },
      },
    },
    async (request, reply) => {
      const { coopId, entryId } = request.params;
      return sendStored(reply, await reverseEntry(moneyWriteOf(deps.database, request, coopId), entryId, request.body));
    },
  );
  r.get(
    '/v1/coops/:coopId/export/journal',
    {
      config: { access },
      schema: {
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
      schema: { tags: ['ledger'], params: CoopParams, querystring: AuditQuery, response: { 200: pageOf(AuditEvent) } },
    },
    async (request) => {
      const { from, to } = request.query;
      return deps.database.read((db) =>
        listAudit(db, { coopId: request.params.coopId, from, to, ...pageRequest(request.query) }),
      );
    },
  );
}
