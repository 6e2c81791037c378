import type { WebDeps } from './plugin';

/** The session cookie: unreadable by scripts, not sent from other sites' forms, Secure behind https. */
export function sessionCookie(deps: Pick<WebDeps, 'settings'>, expiresAt: Date) {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: deps.settings.publicUrl.startsWith('https:'),
    expires: expiresAt,
  };
}
