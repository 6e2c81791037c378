import type { FastifyInstance, FastifyRequest } from 'fastify';
import { useCaseContextOf } from '../../services/context';
import { listCoopsOfLocalAuthority } from '../../services/local-authorities';
import { HOLDER_SORTS, type HolderSort, monitoredHolders } from '../../services/people/la-holders';
import { issueHolderStatement } from '../../services/statements/holder-statement';
import { issueLaStatement } from '../../services/statements/la-statement';
import { paramsOf, queryOf } from '../form-input';
import { translate } from '../i18n';
import { type WebDeps, isUuid, notFoundPage } from '../plugin';
import { renderPage } from '../render';
import { statementFormPage } from '../statement-form';
import { signedInOf } from '../web-request';

const PAGE_SIZE = 50;

/** An LA officer's pages: their holders across every co-op, one holder's statements, and monitoring statements. */
export function localAuthorityPages(app: FastifyInstance, deps: WebDeps): void {
  const contextOf = (request: FastifyRequest) => useCaseContextOf(deps, signedInOf(request).principal);
  const t = (request: FastifyRequest, key: string, values?: Record<string, string | number>) =>
    translate(request.language, key, values);
  const laIdOf = (request: FastifyRequest) => signedInOf(request).principal.localAuthorityId ?? '';

  app.get('/holders', { config: { page: 'la_officer' } }, async (request, reply) => {
    const query = queryOf(request);
    const sort: HolderSort = HOLDER_SORTS.find((key) => key === query('sort')) ?? 'name';
    const descending = query('order') === 'desc';
    const coop = query('coop');
    const filters = {
      search: query('search').slice(0, 100),
      coopId: isUuid(coop) ? coop : undefined,
      aboveThresholdOnly: query('above') === '1',
    };
    const list = await monitoredHolders(contextOf(request), {
      ...filters,
      sort,
      descending,
      page: Math.max(1, Number.parseInt(query('page') || '1', 10) || 1),
      pageSize: PAGE_SIZE,
    });
    /** This list's URL with some of its settings changed (sort links, pages), keeping the rest. */
    const hrefWith = (changes: Record<string, string | null>) => {
      const params = new URLSearchParams();
      const settings: Record<string, string | null> = {
        search: filters.search || null,
        coop: filters.coopId ?? null,
        above: filters.aboveThresholdOnly ? '1' : null,
        sort,
        order: descending ? 'desc' : null,
        page: String(list.page),
        ...changes,
      };
      for (const [name, value] of Object.entries(settings)) if (value) params.set(name, value);
      return `/holders?${params.toString()}`;
    };
    const sortLinks = Object.fromEntries(
      HOLDER_SORTS.map((key) => [
        key,
        {
          href: hrefWith({ sort: key, order: key === sort && !descending ? 'desc' : null, page: null }),
          aria: key === sort ? (descending ? 'descending' : 'ascending') : 'none',
        },
      ]),
    );
    return renderPage(request, reply, 'pages/holders.njk', {
      title: t(request, 'holders.title'),
      list,
      filters,
      sortLinks,
      previous: list.page > 1 ? hrefWith({ page: String(list.page - 1) }) : null,
      next: list.page < list.pages ? hrefWith({ page: String(list.page + 1) }) : null,
    });
  });

  app.get('/holders/:memberId/statements', { config: { page: 'la_officer' } }, async (request, reply) => {
    const memberId = paramsOf(request)('memberId');
    if (!isUuid(memberId)) return notFoundPage(request, reply);
    const context = contextOf(request);
    const list = await monitoredHolders(context, {
      sort: 'name',
      descending: false,
      aboveThresholdOnly: false,
      page: 1,
      pageSize: Number.MAX_SAFE_INTEGER,
    });
    const holder = list.holders.find((h) => h.memberId === memberId);
    if (!holder) return notFoundPage(request, reply);
    return statementFormPage(
      request,
      reply,
      {
        template: 'pages/statements.njk',
        title: t(request, 'holders.statement', { name: holder.name }),
        action: `/holders/${holder.memberId}/statements`,
        today: context.today,
      },
      (asked) => issueHolderStatement(context, holder.coopId, holder.memberId, asked),
    );
  });

  app.get('/monitoring', { config: { page: 'la_officer' } }, async (request, reply) => {
    const context = contextOf(request);
    const { items: coops } = await listCoopsOfLocalAuthority(context, laIdOf(request));
    const asked = queryOf(request)('coop');
    const coopId = coops.some((c) => c.id === asked) ? asked : null;
    return statementFormPage(
      request,
      reply,
      {
        template: 'pages/monitoring.njk',
        title: t(request, 'monitoring.title'),
        action: '/monitoring',
        today: context.today,
        data: { coops, coopId },
      },
      (asked) => issueLaStatement(context, laIdOf(request), { ...asked, coopId: coopId ?? undefined }),
    );
  });
}
