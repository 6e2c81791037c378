import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Language } from '../domain/vocabulary';
import type { AccountView } from '../services/people/accounts';
import type { SignedIn } from '../services/people/sessions';

/**
 * Who may open a page. Every page route declares one (a page without one is refused with the error page, and fails
 * the page-access test):
 * - `public`: anyone (sign-in, a sign-up link);
 * - `person`: anyone signed in;
 * - `account`: a page of one holder's account (`:memberId`): the holder, or a supporter they named;
 * - `la_officer`: an LA officer's pages (their own LA's holders);
 * - `second-factor`: the page a sign-in waiting for its code opens on.
 * A session waiting for a code opens only `second-factor` pages (and signing out); one whose role must have a second
 * factor opens only the page that sets it up.
 */
export type PageAccess = 'public' | 'person' | 'account' | 'la_officer' | 'second-factor';

declare module 'fastify' {
  interface FastifyContextConfig {
    page?: PageAccess;
  }
  interface FastifyRequest {
    signedIn: SignedIn | null;
    account: AccountView | null;
    language: Language;
  }
}

/** The person on a page that is not public (set by the page-access hook before the handler runs). */
export function signedInOf(request: FastifyRequest): SignedIn {
  if (!request.signedIn) throw new Error('signedInOf called on a public page');
  return request.signedIn;
}

/** The holder's account on an `account` page (set by the page-access hook). */
export function accountOf(request: FastifyRequest): AccountView {
  if (!request.account) throw new Error('accountOf called on a page that is not an account page');
  return request.account;
}

export type PageReply = FastifyReply;

export const SESSION_COOKIE = 'cronfa_session';
export const LANGUAGE_COOKIE = 'cronfa_lang';
