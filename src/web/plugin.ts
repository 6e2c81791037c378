import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import view from '@fastify/view';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import nunjucks from 'nunjucks';
import { fileURLToPath } from 'node:url';
import { DomainError } from '../domain/errors';
import type { Language } from '../domain/vocabulary';
import type { UseCaseDependencies } from '../services/context';
import { accountViewFor } from '../services/people/accounts';
import { authenticateSession, rememberLanguage } from '../services/people/sessions';
import { GOVUK_DIST, stylesheet } from './assets';
import { paramsOf, queryOf } from './form-input';
import { isLanguage, translate } from './i18n';
import { accountPages } from './pages/account';
import { accountSettingsPages } from './pages/account-settings';
import { invitationPages } from './pages/invitations';
import { localAuthorityPages } from './pages/local-authority';
import { signInPages } from './pages/sign-in';
import { renderPage } from './render';
import { LANGUAGE_COOKIE, type PageAccess, SESSION_COOKIE } from './web-request';

/** What the pages hold: what every front door holds (`settings.publicUrl` says whether cookies are Secure). */
export type WebDeps = UseCaseDependencies;

const TEMPLATES = fileURLToPath(new URL('../../templates/web', import.meta.url));

/**
 * The policy of every page: everything from Cronfa itself, no script at all (the pages work without one), no frame.
 */
export const PAGE_CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/**
 * The pages for people, in the same app as the API: the same use cases and access rules, behind a session cookie
 * instead of a bearer token. Registered in their own scope, so forms, cookies and the HTML error pages apply to the
 * pages only.
 */
export async function registerWeb(app: FastifyInstance, deps: WebDeps): Promise<void> {
  const routes: PageRoute[] = [];
  PAGE_ROUTES.set(app, routes);
  await app.register(async (scope) => {
    const secure = deps.settings.publicUrl.startsWith('https:');
    // Page routes are public to the bearer-token hook: the page-access hook below decides, from the session.
    scope.addHook('onRoute', (route) => {
      route.config = { ...(route.config ?? {}), access: 'public' };
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      for (const method of methods) {
        if (method !== 'HEAD') routes.push({ method, url: route.url, page: route.config.page });
      }
    });
    // Pages take HTML forms only: a JSON body is refused with 415, as any other type.
    scope.removeContentTypeParser('application/json');
    await scope.register(cookie);
    await scope.register(formbody, { bodyLimit: 16 * 1024 });
    await scope.register(csrf, {
      sessionPlugin: '@fastify/cookie',
      cookieKey: 'cronfa_csrf',
      cookieOpts: { path: '/', httpOnly: true, sameSite: 'lax', secure },
    });
    await scope.register(view, {
      engine: { nunjucks },
      templates: [TEMPLATES, GOVUK_DIST],
      options: { autoescape: true, throwOnUndefined: false, trimBlocks: true, lstripBlocks: true },
    });
    scope.decorateRequest('signedIn', null);
    scope.decorateRequest('account', null);
    scope.decorateRequest('language', 'en');

    scope.addHook('onRequest', async (request, reply) => {
      reply.header('content-security-policy', PAGE_CONTENT_SECURITY_POLICY);
      reply.header('cache-control', 'no-store');
      const secret = request.cookies[SESSION_COOKIE];
      if (secret) {
        request.signedIn = await authenticateSession(deps.database, secret, deps.clock());
        if (!request.signedIn) reply.clearCookie(SESSION_COOKIE, { path: '/' });
      }
    });
    scope.addHook('preHandler', async (request, reply) => {
      request.language = await languageOf(request, reply, deps, secure);
      const access: PageAccess | undefined = request.routeOptions.config.page;
      if (!access) {
        request.log.error({ route: request.routeOptions.url }, 'page has no access rule');
        return errorPage(request, reply);
      }
      if (access === 'public') return;
      const signedIn = request.signedIn;
      if (!signedIn) return reply.redirect(`/sign-in?next=${encodeURIComponent(request.url)}`, 303);
      const path = request.routeOptions.url ?? '';
      if (signedIn.secondFactor === 'code' && access !== 'second-factor' && !SIGN_OUT.has(path)) {
        return reply.redirect(`/sign-in/code?next=${encodeURIComponent(request.url)}`, 303);
      }
      if (signedIn.secondFactor === 'setup' && path !== SET_UP_SECOND_FACTOR && !SIGN_OUT.has(path)) {
        return reply.redirect(SET_UP_SECOND_FACTOR, 303);
      }
      if (access === 'second-factor') {
        if (signedIn.secondFactor !== 'code') return reply.redirect('/', 303);
        return;
      }
      if (access === 'la_officer' && signedIn.principal.role !== 'la_officer') return notFoundPage(request, reply);
      if (access === 'account') {
        const memberId = paramsOf(request)('memberId');
        const account = isUuid(memberId) ? await accountViewFor(deps.database, signedIn, memberId) : null;
        if (!account) return notFoundPage(request, reply);
        request.account = account;
      }
    });
    scope.setErrorHandler(async (error, request, reply) => {
      if (error instanceof DomainError && error.code === 'not-found') return notFoundPage(request, reply);
      const code = error.code ?? '';
      if (code.startsWith('FST_CSRF')) {
        // A form older than its cookie, or one not made by Cronfa: show the form again rather than post it (or the
        // start page, for a form that is only a button, such as signing out).
        const hasPage = routes.some((r) => r.method === 'GET' && r.url === request.routeOptions.url);
        return reply.redirect(hasPage ? request.url : '/', 303);
      }
      const status = error.statusCode ?? 500;
      if (status >= 400 && status < 500) {
        // What the browser sent could not be read (too large, a type no form sends): say so, save nothing.
        const t = (key: string) => translate(request.language, key);
        return renderPage(
          request,
          reply,
          'pages/message.njk',
          { title: t('badRequestTitle'), body: t('badRequestBody') },
          status,
        );
      }
      request.log.error({ err: error }, 'page failed');
      return errorPage(request, reply);
    });

    scope.get('/assets/:name', { config: { page: 'public' } }, async (request, reply) => {
      const sheet = stylesheet();
      if (paramsOf(request)('name') !== sheet.name) return reply.code(404).send();
      return reply
        .type('text/css; charset=utf-8')
        .header('cache-control', 'public, max-age=31536000, immutable')
        .send(sheet.css);
    });
    // An address that is no page: a browser gets the not-found page; the API and other clients its problem+json.
    scope.get('/*', { config: { page: 'public' } }, async (request, reply) => {
      const wantsPage = /text\/html/.test(request.headers.accept ?? '') && !request.url.startsWith('/v1/');
      return wantsPage ? notFoundPage(request, reply) : reply.callNotFound();
    });
    const csrfCheck = scope.csrfProtection;
    signInPages(scope, deps, csrfCheck);
    invitationPages(scope, deps, csrfCheck);
    accountPages(scope, deps, csrfCheck);
    accountSettingsPages(scope, deps, csrfCheck);
    localAuthorityPages(scope, deps);
  });
}

const SIGN_OUT = new Set(['/sign-out', '/sign-out-everywhere']);
const SET_UP_SECOND_FACTOR = '/account/two-factor';

export interface PageRoute {
  method: string;
  url: string;
  page: PageAccess | undefined;
}

const PAGE_ROUTES = new WeakMap<FastifyInstance, PageRoute[]>();

/** Every page route of an app and who may open it (the page-access and accessibility tests walk this list). */
export function pageRoutesOf(app: FastifyInstance): readonly PageRoute[] {
  return PAGE_ROUTES.get(app) ?? [];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);

export function notFoundPage(request: FastifyRequest, reply: FastifyReply) {
  return renderPage(
    request,
    reply,
    'pages/not-found.njk',
    { title: translate(request.language, 'notFoundTitle') },
    404,
  );
}

function errorPage(request: FastifyRequest, reply: FastifyReply) {
  return renderPage(request, reply, 'pages/error.njk', { title: translate(request.language, 'serverErrorTitle') }, 500);
}

/**
 * The page's language: a `lang` the switch asked for (remembered in a cookie, and for a person signed in, in their
 * record), else the cookie, else the person's preference, else what the browser asks for first, else English.
 */
async function languageOf(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: WebDeps,
  secure: boolean,
): Promise<Language> {
  const asked = queryOf(request)('lang');
  if (isLanguage(asked)) {
    reply.setCookie(LANGUAGE_COOKIE, asked, { path: '/', sameSite: 'lax', httpOnly: true, secure, maxAge: 31_536_000 });
    const person = request.signedIn?.person;
    if (person && person.preferredLanguage !== asked) await rememberLanguage(deps.database, person.id, asked);
    return asked;
  }
  const remembered = request.cookies[LANGUAGE_COOKIE];
  if (isLanguage(remembered)) return remembered;
  if (request.signedIn) return request.signedIn.person.preferredLanguage;
  return /^\s*cy\b/i.test(request.headers['accept-language'] ?? '') ? 'cy' : 'en';
}
