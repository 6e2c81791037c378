import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { LANGUAGES, type Language } from '../domain/vocabulary';

/**
 * The pages' words, in English and Welsh, from templates/web/{en,cy}.json: one file per language with the same keys
 * (a unit test checks they match), so a page never shows a key or falls back to the other language.
 */
type Messages = { [key: string]: string | Messages };

const load = (language: Language): Messages =>
  JSON.parse(readFileSync(fileURLToPath(new URL(`../../templates/web/${language}.json`, import.meta.url)), 'utf8'));

const MESSAGES: Record<Language, Messages> = { en: load('en'), cy: load('cy') };

/** The message at a dotted key, with `{name}` placeholders filled; a missing key is a bug, so it throws. */
export function translate(language: Language, key: string, values: Record<string, string | number> = {}): string {
  let node: string | Messages | undefined = MESSAGES[language];
  for (const part of key.split('.')) node = typeof node === 'object' ? node[part] : undefined;
  if (typeof node !== 'string') throw new Error(`no ${language} message for ${key}`);
  return node.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

export const isLanguage = (value: unknown): value is Language =>
  typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);

export const otherLanguage = (language: Language): Language => (language === 'cy' ? 'en' : 'cy');

/** Every key of a language's messages, dotted (for the test that both languages say everything). */
export function messageKeys(language: Language): string[] {
  const walk = (node: Messages, prefix: string): string[] =>
    Object.entries(node).flatMap(([key, value]) =>
      typeof value === 'string' ? [prefix + key] : walk(value, `${prefix}${key}.`),
    );
  return walk(MESSAGES[language], '');
}
