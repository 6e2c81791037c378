import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

/**
 * The layers, top to bottom. Each may import only from the layers its row allows (and from npm packages its row
 * does not name): HTTP (src/http) → use cases (src/services) → the pure domain (src/domain), with storage
 * (src/db, db/schema), PDF drawing (src/pdf) and worker threads (src/workers) beside the use cases, below them. The
 * composition root (src/app.ts, src/server.ts) wires them and may import anything; src/config.ts describes settings
 * and imports only the domain. tests/unit/layer-rules.test.ts proves each row refuses what it should.
 */
const FOLDERS = {
  http: 'http',
  services: 'services',
  db: 'db',
  pdf: 'pdf',
  workers: 'workers',
  auth: 'auth',
  root: '(app|server)',
  config: 'config',
  web: 'web',
  mail: 'mail',
};
const folderPattern = (names, why) => ({
  // A relative or package path that goes through one of these folders, however many `../` lead to it.
  regex: `(^|/)${'('}${names.map((n) => FOLDERS[n]).join('|')}${')'}(/|$)`,
  message: why,
});
const packages = (names, why) => ({ group: names, message: why });

const STORAGE_PACKAGES = ['drizzle-orm', 'drizzle-orm/*', 'postgres', '@electric-sql/*'];
const HTTP_PACKAGES = ['fastify', 'fastify/*', '@fastify/*', 'fastify-*'];

const LAYERS = [
  {
    name: 'domain',
    files: ['src/domain/**/*.ts'],
    patterns: [
      folderPattern(
        ['http', 'services', 'db', 'pdf', 'workers', 'auth', 'root', 'config', 'web'],
        'The domain is pure: it imports only the domain.',
      ),
      packages([...STORAGE_PACKAGES, ...HTTP_PACKAGES, 'pdfkit', 'node:fs', 'piscina'], 'The domain is pure.'),
    ],
  },
  {
    name: 'storage',
    files: ['src/db/**/*.ts', 'db/schema/**/*.ts'],
    patterns: [
      folderPattern(
        ['http', 'services', 'pdf', 'workers', 'auth', 'root', 'web'],
        'Storage knows the domain, nothing above it.',
      ),
      packages([...HTTP_PACKAGES, 'pdfkit'], 'Storage does not speak HTTP or draw PDFs.'),
    ],
  },
  {
    name: 'auth',
    files: ['src/auth/**/*.ts'],
    patterns: [
      folderPattern(
        ['http', 'services', 'db', 'pdf', 'workers', 'root', 'web'],
        'Access rules are pure: they import only the domain.',
      ),
      packages([...STORAGE_PACKAGES, ...HTTP_PACKAGES], 'Access rules are pure.'),
    ],
  },
  {
    name: 'pdf',
    files: ['src/pdf/**/*.ts'],
    patterns: [
      folderPattern(
        ['http', 'services', 'db', 'workers', 'auth', 'root', 'web'],
        'PDF drawing renders domain statements only.',
      ),
      packages([...STORAGE_PACKAGES, ...HTTP_PACKAGES], 'PDF drawing renders domain statements only.'),
    ],
  },
  {
    name: 'workers',
    files: ['src/workers/**/*.ts'],
    patterns: [
      folderPattern(
        ['http', 'services', 'pdf', 'auth', 'root', 'web'],
        'Worker threads run domain work; use cases call them.',
      ),
      {
        regex: '(^|/)db/(?!ids$)',
        message: 'A worker thread never touches the database (it may only mint ids).',
      },
      packages([...STORAGE_PACKAGES, ...HTTP_PACKAGES], 'A worker thread never touches the database.'),
    ],
  },
  {
    name: 'use cases',
    files: ['src/services/**/*.ts'],
    patterns: [
      folderPattern(['http', 'root', 'web'], 'A use case knows nothing of HTTP: raise a DomainError naming the field.'),
      packages([...HTTP_PACKAGES], 'A use case knows nothing of HTTP.'),
    ],
  },
  {
    name: 'HTTP plugins',
    files: ['src/http/plugins/**/*.ts'],
    patterns: [
      folderPattern(['db', 'pdf', 'workers', 'root', 'web'], 'HTTP calls use cases; storage is theirs.'),
      { regex: '(^|/)routes(/|$)', message: 'Plugins serve every route; they do not import one.' },
      packages([...STORAGE_PACKAGES, 'pdfkit'], 'HTTP calls use cases; storage is theirs.'),
    ],
  },
  {
    name: 'HTTP',
    files: ['src/http/**/*.ts'],
    ignores: ['src/http/plugins/**/*.ts'],
    patterns: [
      folderPattern(['db', 'pdf', 'workers', 'root', 'web'], 'HTTP calls use cases; storage is theirs.'),
      packages([...STORAGE_PACKAGES, 'pdfkit'], 'HTTP calls use cases; storage is theirs.'),
    ],
  },
  {
    name: 'mail',
    files: ['src/mail/**/*.ts'],
    patterns: [
      folderPattern(
        ['http', 'services', 'db', 'pdf', 'workers', 'auth', 'root', 'web'],
        'Sending mail knows only the message it is given.',
      ),
      packages([...STORAGE_PACKAGES, ...HTTP_PACKAGES], 'Sending mail knows only the message it is given.'),
    ],
  },
  {
    name: 'pages',
    files: ['src/web/**/*.ts'],
    patterns: [
      folderPattern(
        ['http', 'db', 'pdf', 'workers', 'root', 'mail'],
        'Pages are a front door beside HTTP: they call use cases, never storage or the REST routes.',
      ),
      packages([...STORAGE_PACKAGES, 'pdfkit'], 'Pages call use cases; storage is theirs.'),
    ],
  },
  {
    name: 'settings',
    files: ['src/config.ts'],
    patterns: [
      folderPattern(
        ['http', 'services', 'db', 'pdf', 'workers', 'auth', 'root', 'web'],
        'Settings describe; they import only the domain.',
      ),
    ],
  },
];

export const layerRules = LAYERS.map(({ name, files, ignores, patterns }) => ({
  name: `layer: ${name}`,
  files,
  ...(ignores ? { ignores } : {}),
  rules: { 'no-restricted-imports': ['error', { patterns }] },
}));

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
  ...layerRules,
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
  {
    files: ['tests/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
