import type { FastifyInstance, FastifyRequest, preHandlerHookHandler } from 'fastify';
import { changePassword } from '../../services/people/change-password';
import {
  SECOND_FACTOR_ROLES,
  enrolSecondFactor,
  newSecondFactor,
  verifySecondFactor,
} from '../../services/people/second-factor';
import { bodyOf, queryOf } from '../form-input';
import { translate } from '../i18n';
import type { WebDeps } from '../plugin';
import { renderPage } from '../render';
import { signedInOf } from '../web-request';
import { safeNext } from './sign-in';

type Reply = Parameters<typeof renderPage>[1];

/** A person's own sign-in: their password, their second factor, and the code a sign-in waits for. */
export function accountSettingsPages(app: FastifyInstance, deps: WebDeps, csrfCheck: preHandlerHookHandler): void {
  const t = (request: FastifyRequest, key: string) => translate(request.language, key);
  const sessionOf = (request: FastifyRequest) => {
    const { principal, person } = signedInOf(request);
    return { tokenId: principal.tokenId, personId: person.id };
  };

  app.get('/account', { config: { page: 'person' } }, async (request, reply) => {
    const { person } = signedInOf(request);
    const done = queryOf(request)('done');
    const notice =
      done === 'password'
        ? t(request, 'settings.changed')
        : done === 'two-factor'
          ? t(request, 'settings.added')
          : null;
    return renderPage(request, reply, 'pages/account-settings.njk', {
      title: t(request, 'settings.title'),
      mayAddSecondFactor: SECOND_FACTOR_ROLES.includes(person.role),
      notice,
    });
  });

  app.get('/account/password', { config: { page: 'person' } }, async (request, reply) =>
    renderPage(request, reply, 'pages/change-password.njk', { title: t(request, 'passwordChange.title') }),
  );

  app.post('/account/password', { config: { page: 'person' }, preHandler: csrfCheck }, async (request, reply) => {
    const field = bodyOf(request);
    const outcome = await changePassword(
      deps.database,
      sessionOf(request),
      { current: field('current'), password: field('password'), confirmation: field('confirmation') },
      deps.clock(),
    );
    if (outcome.kind === 'changed') return reply.redirect('/account?done=password', 303);
    const errors = outcome.problems.map((p) => ({
      id: p.field,
      text: p.problem === 'wrong' ? t(request, 'passwordChange.wrong') : t(request, `invitation.problems.${p.problem}`),
    }));
    return renderPage(
      request,
      reply,
      'pages/change-password.njk',
      { title: t(request, 'passwordChange.title'), errors },
      400,
    );
  });

  const twoFactorPage = (request: FastifyRequest, reply: Reply, secret: string, status = 200, wrong = false) => {
    const signedIn = signedInOf(request);
    return renderPage(
      request,
      reply,
      'pages/two-factor.njk',
      {
        title: t(request, 'twoFactor.title'),
        secret,
        // In groups of four, as authenticator apps show keys, and so a phone's narrow screen can wrap it.
        secretGroups: secret.replace(/(.{4})(?=.)/g, '$1 '),
        required: signedIn.secondFactor === 'setup',
        errors: wrong ? [{ id: 'code', text: t(request, 'twoFactor.wrong') }] : [],
      },
      status,
    );
  };

  app.get('/account/two-factor', { config: { page: 'person' } }, async (request, reply) => {
    const { person } = signedInOf(request);
    if (!SECOND_FACTOR_ROLES.includes(person.role) || person.hasSecondFactor) return reply.redirect('/account', 303);
    return twoFactorPage(request, reply, newSecondFactor(person.email ?? person.name).secret);
  });

  app.post('/account/two-factor', { config: { page: 'person' }, preHandler: csrfCheck }, async (request, reply) => {
    const { person } = signedInOf(request);
    if (!SECOND_FACTOR_ROLES.includes(person.role) || person.hasSecondFactor) return reply.redirect('/account', 303);
    const field = bodyOf(request);
    const secret = field('secret');
    const added = await enrolSecondFactor(deps.database, sessionOf(request), secret, field('code'), deps.clock());
    if (added) return reply.redirect('/account?done=two-factor', 303);
    const shown = /^[A-Z2-7]{32}$/.test(secret) ? secret : newSecondFactor(person.email ?? person.name).secret;
    return twoFactorPage(request, reply, shown, 400, true);
  });

  app.get('/sign-in/code', { config: { page: 'second-factor' } }, async (request, reply) =>
    renderPage(request, reply, 'pages/code.njk', {
      title: t(request, 'code.title'),
      next: safeNext(queryOf(request)('next')),
    }),
  );

  app.post('/sign-in/code', { config: { page: 'second-factor' }, preHandler: csrfCheck }, async (request, reply) => {
    const field = bodyOf(request);
    const next = safeNext(field('next'));
    if (await verifySecondFactor(deps.database, sessionOf(request), field('code'), deps.clock())) {
      return reply.redirect(next, 303);
    }
    const errors = [{ id: 'code', text: t(request, 'code.wrong') }];
    return renderPage(request, reply, 'pages/code.njk', { title: t(request, 'code.title'), next, errors }, 400);
  });
}
