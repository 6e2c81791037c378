import { type AddressInfo, createServer } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCoop, createHolder } from '../support/fixtures';
import { type TypedHarness, createHarness } from '../support/harness';
import { PASSWORD, PageClient, uniqueEmail } from '../support/web';

interface Received {
  to: string[];
  raw: string;
}

/** A local SMTP server that keeps what it receives, and says when each message arrives. */
function startSmtp(): Promise<{ port: number; next: () => Promise<Received>; close: () => Promise<void> }> {
  const waiting: ((m: Received) => void)[] = [];
  const arrived: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const message = {
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        };
        const waiter = waiting.shift();
        if (waiter) waiter(message);
        else arrived.push(message);
        callback();
      });
    },
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.server.address() as AddressInfo;
      resolve({
        port,
        next: () => {
          const first = arrived.shift();
          return first ? Promise.resolve(first) : new Promise((r) => waiting.push(r));
        },
        close: () => new Promise((r) => server.close(() => r())),
      });
    });
  });
}

/** A port nothing listens on: an SMTP server that is down. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
  const { port } = probe.address() as AddressInfo;
  await new Promise((r) => probe.close(r));
  return port;
}

/** The text of a plain-text message body (quoted-printable soft breaks joined, =XX decoded as UTF-8). */
function bodyOf(raw: string): string {
  const body = raw.slice(raw.indexOf('\r\n\r\n') + 4).replace(/=\r\n/g, '');
  return Buffer.from(
    body.replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
    'latin1',
  ).toString('utf8');
}

describe('invitations by email', () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let h: TypedHarness;
  beforeAll(async () => {
    smtp = await startSmtp();
    h = await createHarness({ smtpUrl: `smtp://127.0.0.1:${smtp.port}` });
  });
  afterAll(async () => {
    await h?.close();
    await smtp?.close();
  });

  it('arrives in the person’s language with a link that works', async () => {
    const coop = await createCoop(h);
    const holder = await createHolder(h, coop);
    const email = uniqueEmail('welsh');
    const res = await h.call<{ url: string; emailed: boolean }>('POST', '/v1/invitations', {
      token: coop.treasurerToken,
      body: { role: 'holder', name: 'Nia Rhys', email, preferredLanguage: 'cy', memberId: holder.memberId },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.body.emailed).toBe(true);
    const message = await smtp.next();
    expect(message.to).toEqual([email]);
    expect(message.raw).toMatch(/^Content-Language: cy/m);
    const text = bodyOf(message.raw);
    expect(text).toContain('Helo Nia Rhys');
    expect(text).toContain(res.body.url);
    const path = new URL(res.body.url).pathname;
    const client = new PageClient(h);
    const page = await client.get(path);
    expect(page.html).toContain('<html lang="cy"');
    expect(page.html).toContain('Cadarnhau’r cyfrinair');
    expect((await client.post(path, { password: PASSWORD, confirmation: PASSWORD })).status).toBe(303);
  });

  it('when the mail server is down, the invitation stands, the inviter is told, and the link is still shown', async () => {
    const down = await createHarness({ smtpUrl: `smtp://127.0.0.1:${await closedPort()}` });
    try {
      const coop = await createCoop(down);
      const holder = await createHolder(down, coop);
      const res = await down.call<{ url: string; emailed: boolean }>('POST', '/v1/invitations', {
        token: coop.treasurerToken,
        body: { role: 'holder', name: 'H', email: uniqueEmail('down'), memberId: holder.memberId },
      });
      expect(res.status, res.text).toBe(201);
      expect(res.body.emailed).toBe(false);
      expect((await new PageClient(down).get(new URL(res.body.url).pathname)).status).toBe(200);
    } finally {
      await down.close();
    }
  });
});
