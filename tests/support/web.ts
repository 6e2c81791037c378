import type { TypedHarness } from './harness';
import { createHolder, type CoopFixture, type HolderFixture } from './fixtures';

/** A page's answer: status, headers, HTML. */
export interface PageResponse {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  html: string;
  raw: Buffer;
  location: string | undefined;
}

/**
 * A browser without a browser, over `inject`: it keeps cookies, reads each form's CSRF token from the page it came
 * from, and never follows redirects by itself (tests say where they expect to be sent).
 */
export class PageClient {
  private readonly cookies = new Map<string, string>();
  private lastCsrf = '';

  constructor(private readonly h: TypedHarness) {}

  async get(url: string, headers: Record<string, string> = {}): Promise<PageResponse> {
    return this.send('GET', url, undefined, headers);
  }

  /** Posts a form as a browser would, with the CSRF token of the last page fetched unless `_csrf` is given. */
  async post(url: string, fields: Record<string, string>): Promise<PageResponse> {
    const body = new URLSearchParams({ _csrf: this.lastCsrf, ...fields }).toString();
    return this.send('POST', url, body, { 'content-type': 'application/x-www-form-urlencoded' });
  }

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  setCookie(name: string, value: string): void {
    this.cookies.set(name, value);
  }

  private async send(method: string, url: string, payload: string | undefined, headers: Record<string, string>) {
    const res = await this.h.app.inject({
      method: method as 'GET' | 'POST',
      url,
      payload,
      headers: { ...headers, cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    for (const c of res.cookies as { name: string; value: string; expires?: Date; maxAge?: number }[]) {
      // Cleared cookies expire at the epoch (the server's clock may be a test's, so no other date means cleared).
      const cleared = c.value === '' || (c.expires && c.expires.getTime() <= 0) || c.maxAge === 0;
      if (cleared) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    const html = res.body;
    const csrf = /name="_csrf" value="([^"]+)"/.exec(html);
    if (csrf?.[1]) this.lastCsrf = csrf[1];
    return {
      status: res.statusCode,
      headers: res.headers,
      html,
      raw: res.rawPayload,
      location: typeof res.headers.location === 'string' ? res.headers.location : undefined,
    };
  }
}

export interface InvitedPerson {
  client: PageClient;
  email: string;
  password: string;
  url: string;
}

export const PASSWORD = 'correct horse battery staple';
let counter = 0;
export const uniqueEmail = (who: string) => `${who}.${Date.now().toString(36)}${(counter++).toString(36)}@example.org`;

/** Invites a person with `token`, accepts the link in a fresh client and returns it signed in. */
export async function inviteAndAccept(
  h: TypedHarness,
  token: string,
  body: Record<string, unknown>,
): Promise<InvitedPerson> {
  const email = typeof body.email === 'string' ? body.email : uniqueEmail(String(body.role));
  const res = await h.call<{ url: string }>('POST', '/v1/invitations', { token, body: { email, ...body } });
  if (res.status !== 201) throw new Error(`invitation refused: ${res.status} ${res.text}`);
  const path = new URL(res.body.url).pathname;
  const client = new PageClient(h);
  const page = await client.get(path);
  if (page.status !== 200) throw new Error(`sign-up page: ${page.status}`);
  const accepted = await client.post(path, { password: PASSWORD, confirmation: PASSWORD });
  if (accepted.status !== 303) throw new Error(`accepting the invitation: ${accepted.status} ${accepted.html}`);
  return { client, email, password: PASSWORD, url: res.body.url };
}

/** A holder of the co-op, signed in to the pages. */
export async function signedInHolder(
  h: TypedHarness,
  coop: CoopFixture,
  overrides: Record<string, unknown> = {},
): Promise<HolderFixture & InvitedPerson> {
  const holder = await createHolder(h, coop, overrides);
  const person = await inviteAndAccept(h, coop.treasurerToken, {
    role: 'holder',
    name: 'Dafydd Tŷ-Gwyn',
    memberId: holder.memberId,
  });
  return { ...holder, ...person };
}

/** The visible text of an HTML page, tags stripped and whitespace folded (for asserting what a person reads). */
export function textOf(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/\s+/g, ' ')
    .trim();
}
