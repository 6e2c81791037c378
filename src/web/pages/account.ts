import type { FastifyInstance, FastifyRequest, preHandlerHookHandler } from 'fastify';
import { firstDayMonthsBack, monthEndTotals, recentMonthEnds } from '../../domain/statements/monthly-totals';
import { memberBalance, poolBalance } from '../../services/balances';
import { getPool } from '../../services/pools';
import { useCaseContextOf } from '../../services/context';
import {
  endedSupporterName,
  holdersSupportedBy,
  lastReceiptOf,
  removeSupporter,
  supportersOf,
} from '../../services/people/accounts';
import { holderStatement, issueHolderStatement } from '../../services/statements/holder-statement';
import { decimal, formatMoney } from '../../domain/money';
import { pounds } from '../../domain/statements/wording';
import { balanceChartSvg } from '../balance-chart';
import { paramsOf, queryOf } from '../form-input';
import { translate } from '../i18n';
import { type WebDeps, isUuid, notFoundPage } from '../plugin';
import { renderPage } from '../render';
import { statementFormPage } from '../statement-form';
import { accountOf, signedInOf } from '../web-request';

/** Month names for the chart and its table ("Nov 2026", "Tach 2026"), one formatter per language. */
const MONTH_FORMATS = {
  en: new Intl.DateTimeFormat('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' }),
  cy: new Intl.DateTimeFormat('cy-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' }),
};

/** A holder's account pages, for the holder and the supporters they named. */
export function accountPages(app: FastifyInstance, deps: WebDeps, csrfCheck: preHandlerHookHandler): void {
  const contextOf = (request: FastifyRequest) => useCaseContextOf(deps, accountOf(request).principal);
  const t = (request: FastifyRequest, key: string, values?: Record<string, string | number>) =>
    translate(request.language, key, values);

  /** The holder's statement for the last 12 months, as the statement route gives it, for the page's figures. */
  const recentStatement = async (request: FastifyRequest) => {
    const context = contextOf(request);
    const { holder } = accountOf(request);
    const { statement } = await holderStatement(context, holder.coopId, holder.id, {
      from: firstDayMonthsBack(context.today, 12),
      to: context.today,
      language: request.language,
    });
    return { context, statement };
  };

  app.get('/accounts', { config: { page: 'person' } }, async (request, reply) => {
    const { principal, person } = signedInOf(request);
    if (principal.role === 'holder') return reply.redirect(`/accounts/${principal.memberId}`, 303);
    const holders = principal.role === 'supporter' ? await holdersSupportedBy(deps.database, person.id) : [];
    if (holders.length === 1 && holders[0]) return reply.redirect(`/accounts/${holders[0].id}`, 303);
    return renderPage(request, reply, 'pages/choose-holder.njk', { title: t(request, 'account.chooseTitle'), holders });
  });

  app.get('/accounts/:memberId', { config: { page: 'account' } }, async (request, reply) => {
    const { holder, viewer } = accountOf(request);
    const { context, statement } = await recentStatement(request);
    // The statement's closing figures are today's balances (no value date is in the future): the REST balance's.
    const balance = statement.closing;
    const receipt = await deps.database.read((db) => lastReceiptOf(db, holder.id));
    const months = monthEndTotals(statement, recentMonthEnds(context.today, 12));
    const monthName = (iso: string) => MONTH_FORMATS[request.language].format(new Date(`${iso}T00:00:00Z`));
    const first = months[0];
    const last = months.at(-1);
    const summary =
      first && last
        ? t(request, 'money.chartSummary', {
            first: pounds(first.total),
            firstMonth: monthName(first.monthEnd),
            last: pounds(last.total),
            lastMonth: monthName(last.monthEnd),
          })
        : '';
    const title = viewer === 'holder' ? t(request, 'money.title') : t(request, 'money.titleFor', { name: holder.name });
    return renderPage(request, reply, 'pages/money.njk', {
      title,
      balance,
      receipt: receipt ? { valueDate: receipt.valueDate, amount: formatMoney(receipt.amount) } : null,
      statement,
      months: months.map((m) => ({ ...m, label: monthName(m.monthEnd) })),
      chart: balanceChartSvg(
        months.map((m) => ({ label: monthName(m.monthEnd), total: m.total })),
        { title: t(request, 'money.chartTitle'), summary, id: 'balance-chart' },
      ),
      chartSummary: summary,
      today: context.today,
    });
  });

  app.get('/accounts/:memberId/activity', { config: { page: 'account' } }, async (request, reply) => {
    const { context, statement } = await recentStatement(request);
    const byMonth = new Map<
      string,
      ((typeof statement.movements)[number] & { moneyIn: string | null; moneyOut: string | null })[]
    >();
    let before = decimal(statement.opening.total);
    const rows = statement.movements.map((m) => {
      // What the movement did to all the holder's money (a move from their funds into a pool changes nothing).
      const change = decimal(m.total).minus(before);
      before = decimal(m.total);
      return {
        ...m,
        moneyIn: change.gt(0) ? formatMoney(change) : null,
        moneyOut: change.lt(0) ? formatMoney(change.negated()) : null,
      };
    });
    for (const row of [...rows].reverse()) {
      const month = row.date.slice(0, 7);
      byMonth.set(month, [...(byMonth.get(month) ?? []), row]);
    }
    return renderPage(request, reply, 'pages/activity.njk', {
      title: t(request, 'activity.title'),
      from: firstDayMonthsBack(context.today, 12),
      to: context.today,
      months: [...byMonth.entries()].map(([month, movements]) => ({ month: `${month}-01`, movements })),
      statement,
    });
  });

  const statementsPage = async (request: FastifyRequest, reply: Parameters<typeof renderPage>[1]) => {
    const context = contextOf(request);
    const { holder } = accountOf(request);
    return statementFormPage(
      request,
      reply,
      {
        template: 'pages/statements.njk',
        title: t(request, 'statements.title'),
        action: `/accounts/${holder.id}/statements`,
        today: context.today,
      },
      (asked) => issueHolderStatement(context, holder.coopId, holder.id, asked),
    );
  };
  app.get('/accounts/:memberId/statements', { config: { page: 'account' } }, statementsPage);

  app.get('/accounts/:memberId/pools', { config: { page: 'account' } }, async (request, reply) => {
    const context = contextOf(request);
    const { holder } = accountOf(request);
    const balance = await memberBalance(context, holder.coopId, holder.id);
    const pools = [];
    for (const pool of balance.pools) {
      const totals = await poolBalance(context, holder.coopId, pool.poolId);
      const { purpose } = await getPool(context, holder.coopId, pool.poolId);
      pools.push({ ...pool, purpose, total: totals.total });
    }
    return renderPage(request, reply, 'pages/pools.njk', { title: t(request, 'pools.title'), pools });
  });

  app.get('/accounts/:memberId/people', { config: { page: 'account' } }, async (request, reply) => {
    const { holder, viewer } = accountOf(request);
    if (viewer !== 'holder') return reply.redirect(`/accounts/${holder.id}`, 303);
    const supporters = await deps.database.read((db) => supportersOf(db, holder.id));
    const removedLink = queryOf(request)('removed');
    const removed = isUuid(removedLink)
      ? await deps.database.read((db) => endedSupporterName(db, holder.id, removedLink))
      : null;
    return renderPage(request, reply, 'pages/people.njk', {
      title: t(request, 'people.title'),
      supporters: supporters.map((s) => ({ ...s, since: s.since.toISOString().slice(0, 10) })),
      removed,
    });
  });

  app.post(
    '/accounts/:memberId/people/:linkId/remove',
    { config: { page: 'account' }, preHandler: csrfCheck },
    async (request, reply) => {
      const { holder, viewer } = accountOf(request);
      if (viewer !== 'holder') return reply.redirect(`/accounts/${holder.id}`, 303);
      const linkId = paramsOf(request)('linkId');
      if (!isUuid(linkId)) return notFoundPage(request, reply);
      await removeSupporter(contextOf(request), holder.id, linkId);
      return reply.redirect(`/accounts/${holder.id}/people?removed=${linkId}`, 303);
    },
  );
}
