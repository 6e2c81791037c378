import { describe, expect, it } from 'vitest';
import { SPENDING_CATEGORIES } from '../../src/domain/categories';
import { asciiFileName, statementFileName } from '../../src/domain/statements/file-name';
import { categoryName, pounds, signedPounds } from '../../src/domain/statements/wording';
import { contentDisposition } from '../../src/domain/statements/file-name';
import { WORDING } from '../../src/services/statements/wording';

/** Every key path of a wording file, so the two languages can be compared. */
const keys = (value: unknown, prefix = ''): string[] =>
  typeof value === 'object' && value !== null
    ? Object.entries(value).flatMap(([k, v]) => keys(v, `${prefix}${k}.`))
    : [prefix];

describe('statement wording', () => {
  it('says the same things in English and Welsh', () => {
    expect(keys(WORDING.cy).sort()).toEqual(keys(WORDING.en).sort());
  });

  it('names every spending category in both languages, never by its code', () => {
    for (const language of ['en', 'cy'] as const)
      for (const category of SPENDING_CATEGORIES) {
        const name = categoryName(WORDING[language], category);
        expect(name, `${category} in ${language}`).toMatch(/^\p{Lu}/u);
        expect(name).not.toContain('_');
      }
    expect(categoryName(WORDING.en, 'payroll_services')).toBe('Payroll services');
    expect(categoryName(WORDING.cy, 'personal_assistance')).toBe('Cymorth personol');
  });

  it('writes money for people: thousands grouped, and a movement signed with a minus sign', () => {
    expect(pounds('1234567.89')).toBe('£1,234,567.89');
    expect(signedPounds('424.80', null)).toBe('+£424.80');
    expect(signedPounds(null, '1240.00')).toBe('\u2212£1,240.00');
    expect(signedPounds(null, null)).toBe('');
  });
});

describe('statement file names', () => {
  const request = { from: '2026-01-01', to: '2026-03-31', format: 'pdf' };

  it('say what, whose, when and in which language', () => {
    expect(statementFileName(['holder-statement', 'DP-1000'], request, 'cy')).toBe(
      'holder-statement-DP-1000-2026-01-01-2026-03-31-cy.pdf',
    );
    expect(statementFileName(['la-statement', 'WXM', 'Cydweithfa "Tŷ" Gwyn / Wrecsam'], request, 'en')).toBe(
      'la-statement-WXM-Cydweithfa-Tŷ-Gwyn-Wrecsam-2026-01-01-2026-03-31-en.pdf',
    );
    expect(asciiFileName('Cydweithfa-Tŷ-Gwyn-Ŵyn-Ωmega')).toBe('Cydweithfa-Ty-Gwyn-Wyn-_mega');
  });

  it('are sent as an ASCII filename, and as filename* when they have other letters (RFC 6266)', () => {
    expect(contentDisposition('holder-statement-DP-1000-2026-01-01-2026-03-31-cy.pdf')).toBe(
      'attachment; filename="holder-statement-DP-1000-2026-01-01-2026-03-31-cy.pdf"',
    );
    expect(contentDisposition("la-statement-Tŷ-Gwyn's-(2026).csv")).toBe(
      `attachment; filename="la-statement-Ty-Gwyn's-(2026).csv"; filename*=UTF-8''la-statement-T%C5%B7-Gwyn%27s-%282026%29.csv`,
    );
  });
});
