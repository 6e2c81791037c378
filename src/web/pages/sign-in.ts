import type { FastifyInstance, preHandlerHookHandler } from 'fastify';
import { endSession, endSessionsOf } from '../../services/people/sessions';
import { signIn } from '../../services/people/sign-in';
import { SignInThrottle } from '../../services/people/sign-in-throttle';
import type { WebDeps } from '../plugin';
import { bodyOf, queryOf } from '../form-input';
import { translate } from '../i18n';
import { type FieldError, renderPage } from '../render';
import { SESSION_COOKIE, signedInOf } from '../web-request';
import { sessionCookie } from '../session-cookie';

/** Where to go after signing in: a path on this site only (never `//elsewhere` or a full URL). */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])/.test(next) && !next.startsWith('/sign-in') ? next : '/';
}

/** The start page, sign-in and sign-out. */
export function signInPages(app: FastifyInstance, deps: WebDeps, csrfCheck: preHandlerHookHandler): void {
  const throttle = new SignInThrottle();

  app.get('/', { config: { page: 'person' } }, async (request, reply) => {
    const { principal, person } = signedInOf(request);
    if (principal.role === 'holder') return reply.redirect(`/accounts/${principal.memberId}`, 303);
    if (principal.role === 'supporter') return reply.redirect('/accounts', 303);
    if (principal.role === 'la_officer') return reply.redirect('/holders', 303);
    const t = (key: string) => translate(request.language, key);
    return renderPage(request, reply, 'pages/signed-in.njk', { title: t('other.title'), name: person.name });
  });

  app.get('/sign-in', { config: { page: 'public' } }, async (request, reply) => {
    const query = queryOf(request);
    return renderPage(request, reply, 'pages/sign-in.njk', {
      title: translate(request.language, 'signIn.title'),
      next: safeNext(query('next')),
      signedOut: query('signedOut') === '1',
      email: '',
    });
  });

  app.post('/sign-in', { config: { page: 'public' }, preHandler: csrfCheck }, async (request, reply) => {
    const body = bodyOf(request);
    const email = body('email').trim();
    const password = body('password');
    const t = (key: string) => translate(request.language, key);
    const errors: FieldError[] = [];
    if (!email) errors.push({ id: 'email', text: t('signIn.emailMissing') });
    if (!password) errors.push({ id: 'password', text: t('signIn.passwordMissing') });
    const next = safeNext(body('next'));
    const again = (found: FieldError[], status: number) =>
      renderPage(request, reply, 'pages/sign-in.njk', { title: t('signIn.title'), errors: found, email, next }, status);
    if (errors.length) return again(errors, 400);
    const outcome = await signIn(
      deps.database,
      throttle,
      { email, password, address: request.ip },
      deps.clock(),
      deps.settings.secondFactorRequiredFor,
    );
    if (outcome.kind === 'throttled') {
      return renderPage(request, reply, 'pages/message.njk', { title: t('tooManyTitle'), body: t('tooManyBody') }, 429);
    }
    if (outcome.kind === 'refused') return again([{ id: 'email', text: t('signIn.refused') }], 400);
    reply.setCookie(SESSION_COOKIE, outcome.secret, sessionCookie(deps, outcome.expiresAt));
    return reply.redirect(next, 303);
  });

  app.post('/sign-out', { config: { page: 'person' }, preHandler: csrfCheck }, async (request, reply) => {
    await endSession(deps.database, signedInOf(request).principal.tokenId, deps.clock());
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/sign-in?signedOut=1', 303);
  });

  app.post('/sign-out-everywhere', { config: { page: 'person' }, preHandler: csrfCheck }, async (request, reply) => {
    const { person } = signedInOf(request);
    await deps.database.transaction((tx) => endSessionsOf(tx, person.id, deps.clock()));
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/sign-in?signedOut=1', 303);
  });
}
