import type { FastifyReply, FastifyRequest } from 'fastify';
import { longDate, pounds } from '../domain/statements/wording';
import type { Language } from '../domain/vocabulary';
import { stylesheet } from './assets';
import { otherLanguage, translate } from './i18n';

export interface NavItem {
  href: string;
  text: string;
  current: boolean;
}

export interface FieldError {
  /** The id of the input the summary links to. */
  id: string;
  text: string;
}

/** The URL of this page in the other language: the same path and query, with `lang` set. */
export function switchHref(request: FastifyRequest, language: Language): string {
  const url = new URL(request.url, 'http://cronfa.invalid');
  url.searchParams.set('lang', language);
  return `${url.pathname}${url.search}`;
}

/** Navigation for the signed-in person: a holder's account pages, or an officer's. */
function navigationOf(request: FastifyRequest, t: (key: string) => string): NavItem[] {
  const path = new URL(request.url, 'http://cronfa.invalid').pathname;
  const item = (href: string, key: string) => ({
    href,
    text: t(key),
    current: path === href || (href !== '/' && path.startsWith(`${href}/`)),
  });
  if (request.account) {
    const base = `/accounts/${request.account.holder.id}`;
    return [
      { ...item(base, 'nav.money'), current: path === base },
      item(`${base}/activity`, 'nav.activity'),
      item(`${base}/statements`, 'nav.statements'),
      item(`${base}/pools`, 'nav.pools'),
      ...(request.account.viewer === 'holder' ? [item(`${base}/people`, 'nav.people')] : []),
    ];
  }
  if (request.signedIn?.principal.role === 'la_officer') {
    return [item('/holders', 'nav.holders'), item('/monitoring', 'nav.monitoring')];
  }
  return [];
}

/**
 * Renders a page with what every page has: its language and the switch to the other, the person signed in, the
 * navigation, a CSRF token for its forms, and the stylesheet. A page title starts "Error:"/"Gwall:" when the page
 * shows errors. Pages are never cached: they carry money or a person's details.
 */
export async function renderPage(
  request: FastifyRequest,
  reply: FastifyReply,
  template: string,
  data: { title: string; errors?: FieldError[]; [key: string]: unknown },
  status = 200,
) {
  const language = request.language;
  const t = (key: string, values?: Record<string, string | number>) => translate(language, key, values);
  const errors = data.errors ?? [];
  const other = otherLanguage(language);
  return reply
    .code(status)
    .header('cache-control', 'no-store')
    .header('content-language', language)
    .view(template, {
      ...data,
      errors,
      errorList: errors.map((e) => ({ text: e.text, href: `#${e.id}` })),
      /** The error message for one field, in the form govuk-frontend's macros take, or false. */
      fieldError: (id: string) => {
        const found = errors.find((e) => e.id === id || e.id.startsWith(`${id}-`));
        return found ? { text: found.text } : false;
      },
      pageTitle: `${errors.length ? `${t('errorPrefix')}: ` : ''}${data.title} – ${t('serviceName')}`,
      language,
      t,
      money: pounds,
      date: (iso: string) => longDate(iso, language),
      switchLanguage: {
        href: switchHref(request, other),
        language: other,
        text: t('languageSwitch'),
        label: t('languageSwitchLabel'),
      },
      person: request.signedIn?.person ?? null,
      account: request.account,
      nav: navigationOf(request, t),
      csrfToken: await reply.generateCsrf(),
      stylesheet: `/assets/${stylesheet().name}`,
    });
}
