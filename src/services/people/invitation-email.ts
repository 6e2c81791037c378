import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { longDate } from '../../domain/statements/wording';
import type { Language } from '../../domain/vocabulary';
import { londonDateOf } from '../../domain/dates';
import type { Email } from '../../mail/mailer';

type MailWording = { invitationSubject: string; invitationBody: string };

const load = (language: Language): MailWording =>
  JSON.parse(readFileSync(fileURLToPath(new URL(`../../../templates/mail/${language}.json`, import.meta.url)), 'utf8'));

const WORDING: Record<Language, MailWording> = { en: load('en'), cy: load('cy') };

/** The invitation email, in the invited person's language (templates/mail). */
export function invitationEmail(
  person: { name: string; email: string; language: Language },
  url: string,
  expiresAt: Date,
): Email {
  const wording = WORDING[person.language];
  const values: Record<string, string> = {
    name: person.name,
    url,
    expires: longDate(londonDateOf(expiresAt), person.language),
  };
  return {
    to: person.email,
    subject: wording.invitationSubject,
    text: wording.invitationBody.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole),
    language: person.language,
  };
}
