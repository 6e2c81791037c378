import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'db/migrations/', 'coverage/', '.tmp/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  // Formatting is Prettier's (npm run format); lint checks it with `prettier --check`.
  prettier,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Money is never a JS number: forbid the usual ways a float sneaks in.
      'no-restricted-globals': [
        'error',
        { name: 'parseFloat', message: 'Money is decimal.js; never parse to a float.' },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Number', property: 'parseFloat', message: 'Money is decimal.js.' },
      ],
    },
  },
  {
    files: ['src/domain/**/*.ts'],
    rules: {
      // The domain is pure: no HTTP, database or PDF imports.
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            'fastify*',
            'drizzle-orm*',
            'postgres',
            '@electric-sql/*',
            'pdfkit',
            'node:fs',
            '../db/*',
            '../services/*',
            '../routes/*',
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
  {
    files: ['tests/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
