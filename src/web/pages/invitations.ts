import type { FastifyInstance, FastifyRequest, preHandlerHookHandler } from 'fastify';
import { TOKEN_PATTERN } from '../../auth/token-secret';
import { acceptInvitation, openInvitation } from '../../services/people/invitations';
import { bodyOf, paramsOf, queryOf } from '../form-input';
import { translate } from '../i18n';
import type { WebDeps } from '../plugin';
import { renderPage } from '../render';
import { sessionCookie } from '../session-cookie';
import { SESSION_COOKIE } from '../web-request';

/** A sign-up link: the invited person chooses a password (and gives an email if the inviter had none). */
export function invitationPages(app: FastifyInstance, deps: WebDeps, csrfCheck: preHandlerHookHandler): void {
  const secretOf = (request: FastifyRequest) => {
    const secret = paramsOf(request)('secret');
    return TOKEN_PATTERN.test(secret) ? secret : null;
  };
  const gone = (request: FastifyRequest, reply: Parameters<typeof renderPage>[1]) =>
    renderPage(
      request,
      reply,
      'pages/message.njk',
      {
        title: translate(request.language, 'invitation.goneTitle'),
        body: translate(request.language, 'invitation.goneBody'),
      },
      410,
    );

  app.get('/invitations/:secret', { config: { page: 'public' } }, async (request, reply) => {
    const secret = secretOf(request);
    const open = secret ? await openInvitation(deps.database, secret, deps.clock()) : undefined;
    if (!open) return gone(request, reply);
    // The invited person's language, unless they chose one with the switch.
    if (!queryOf(request)('lang') && !request.cookies.cronfa_lang) {
      request.language = open.person.preferredLanguage;
    }
    return renderPage(request, reply, 'pages/invitation.njk', {
      title: translate(request.language, 'invitation.title'),
      name: open.person.name,
      askEmail: !open.person.email,
      email: '',
    });
  });

  app.post('/invitations/:secret', { config: { page: 'public' }, preHandler: csrfCheck }, async (request, reply) => {
    const secret = secretOf(request);
    if (!secret) return gone(request, reply);
    const text = bodyOf(request);
    const outcome = await acceptInvitation(
      deps.database,
      secret,
      { email: text('email') || undefined, password: text('password'), confirmation: text('confirmation') },
      deps.clock(),
    );
    if (outcome.kind === 'gone') return gone(request, reply);
    if (outcome.kind === 'invalid') {
      const open = await openInvitation(deps.database, secret, deps.clock());
      if (!open) return gone(request, reply);
      return renderPage(
        request,
        reply,
        'pages/invitation.njk',
        {
          title: translate(request.language, 'invitation.title'),
          name: open.person.name,
          askEmail: !open.person.email,
          email: text('email'),
          errors: outcome.problems.map((p) => ({
            id: p.field,
            text: translate(request.language, `invitation.problems.${p.problem}`),
          })),
        },
        400,
      );
    }
    reply.setCookie(SESSION_COOKIE, outcome.secret, sessionCookie(deps, outcome.expiresAt));
    return reply.redirect('/', 303);
  });
}
