import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Language, Wording } from '../../domain/statements/wording';

/** Statement wording from templates/statements/<language>.json, read once at start-up. */
function loadWording(language: Language): Wording {
  const path = fileURLToPath(new URL(`../../../templates/statements/${language}.json`, import.meta.url));
  return JSON.parse(readFileSync(path, 'utf8')) as Wording;
}

export const WORDING: Record<Language, Wording> = { en: loadWording('en'), cy: loadWording('cy') };
