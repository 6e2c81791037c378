/**
 * What a chosen password must be, after NCSC guidance: long rather than complex (no rules about symbols or
 * capitals, no forced expiry), not one of the passwords attackers try first, and not the person's own email or name.
 * The longest is bounded so hashing cannot be made to take long.
 */
export const PASSWORD_MIN_CHARS = 10;
export const PASSWORD_MAX_CHARS = 256;

export type PasswordProblem = 'too-short' | 'too-long' | 'too-common' | 'contains-name' | 'mismatch';

/**
 * Passwords (and patterns) at the top of every breached-password list, and words a Welsh co-op's users would try
 * first. A password that is one of these, or one of these with digits or symbols added, is refused.
 */
const COMMON_WORDS = [
  'password',
  'passw0rd',
  'cyfrinair',
  'qwerty',
  'qwertyuiop',
  'asdfghjkl',
  'letmein',
  'welcome',
  'croeso',
  'iloveyou',
  'abc123',
  'admin',
  'football',
  'monkey',
  'dragon',
  'sunshine',
  'princess',
  'baseball',
  'superman',
  'trustno1',
  'cymru',
  'wales',
  'cardiff',
  'caerdydd',
  'cronfa',
];

export function passwordProblem(
  password: string,
  confirmation: string | undefined,
  person: { email: string | null; name: string },
): PasswordProblem | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN_CHARS) return 'too-short';
  if (length > PASSWORD_MAX_CHARS) return 'too-long';
  const lower = password.toLowerCase();
  const letters = lower.replace(/[^\p{L}]/gu, '');
  if (/^(.)\1*$/u.test(lower) || /^\d+$/.test(lower) || COMMON_WORDS.includes(letters) || isSequence(lower)) {
    return 'too-common';
  }
  // Made of nothing but the person's names and email: "bethan.morgan", "Morgan2024!".
  const local = person.email?.split('@')[0]?.toLowerCase() ?? '';
  const parts = [local, ...local.split(/[^\p{L}]+/u), ...person.name.toLowerCase().split(/[^\p{L}]+/u)]
    .map((part) => part.replace(/[^\p{L}]/gu, ''))
    .filter((part) => part.length >= 3)
    .sort((a, b) => b.length - a.length);
  const rest = parts.reduce((text, part) => text.replaceAll(part, ''), letters);
  if (parts.length > 0 && rest.length < 3) return 'contains-name';
  if (confirmation !== undefined && confirmation !== password) return 'mismatch';
  return null;
}

/** "1234567890", "abcdefghij": runs of consecutive characters. */
function isSequence(text: string): boolean {
  const codes = [...text].map((c) => c.codePointAt(0) ?? 0);
  return codes.every((code, i) => i === 0 || code - (codes[i - 1] ?? 0) === 1);
}
