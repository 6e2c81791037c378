import nodemailer from 'nodemailer';

/** One email: plain text, to one person (Cronfa sends nothing else: no tracking, no remote images). */
export interface Email {
  to: string;
  subject: string;
  text: string;
  language: 'en' | 'cy';
}

export interface Mailer {
  /** Sends, or throws saying why not (the caller decides what the person is told). */
  send(email: Email): Promise<void>;
  close(): void;
}

/** How long an SMTP server may take before the sender gives up: an invitation is answered either way. */
const SMTP_TIMEOUT_MS = 10_000;

/** A mailer for an SMTP URL (`smtp://user:pass@host:587`, `smtps://…`), or null when none is configured. */
export function createMailer(smtpUrl: string | null, from: string): Mailer | null {
  if (!smtpUrl) return null;
  const url = new URL(smtpUrl);
  const transport = nodemailer.createTransport({
    host: url.hostname,
    port: url.port ? Number(url.port) : url.protocol === 'smtps:' ? 465 : 587,
    secure: url.protocol === 'smtps:',
    ...(url.username
      ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } }
      : {}),
    connectionTimeout: SMTP_TIMEOUT_MS,
    greetingTimeout: SMTP_TIMEOUT_MS,
    socketTimeout: SMTP_TIMEOUT_MS,
  });
  return {
    async send(email) {
      await transport.sendMail({
        from,
        to: email.to,
        subject: email.subject,
        text: email.text,
        headers: { 'Content-Language': email.language },
      });
    },
    close: () => transport.close(),
  };
}
