import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The layer rule in eslint.config.js, tried on files that break it: each must fail lint with the layer's message,
 * and the same file importing what its layer allows must pass. Lints text under paths in each layer, so nothing is
 * written to the tree.
 */
const eslint = new ESLint({ cwd: process.cwd() });

async function restrictedImports(filePath: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

const use = (specifier: string) => `import * as imported from '${specifier}';\nexport const used = imported;\n`;

describe('the layer rule refuses an import that runs back up', () => {
  it.each([
    ['a domain file two folders down importing storage', 'src/domain/statements/x.ts', '../../db/database', /pure/],
    ['a domain file importing a use case', 'src/domain/x.ts', '../services/pools', /pure/],
    ['a domain file importing HTTP', 'src/domain/bank-files/x.ts', '../../http/problem-types', /pure/],
    ['a domain file importing the database driver', 'src/domain/x.ts', 'drizzle-orm', /pure/],
    ['a domain file importing fastify', 'src/domain/x.ts', 'fastify', /pure/],
    ['a domain file importing settings', 'src/domain/x.ts', '../config', /pure/],
    ['storage importing a use case', 'src/db/x.ts', '../services/pools', /Storage/],
    ['the schema importing HTTP', 'db/schema/x.ts', '../../src/http/problem-types', /Storage/],
    ['a use case importing HTTP', 'src/services/reconciliation/x.ts', '../../http/problem-types', /HTTP/],
    ['a use case importing fastify', 'src/services/x.ts', 'fastify', /HTTP/],
    ['a route reading the database itself', 'src/http/routes/x.ts', '../../db/database', /storage is theirs/],
    ['a route importing the driver', 'src/http/routes/x.ts', 'drizzle-orm', /storage is theirs/],
    ['a plugin importing a route', 'src/http/plugins/x.ts', '../routes/pools', /Plugins serve every route/],
    ['a plugin importing storage', 'src/http/plugins/x.ts', '../../db/errors', /storage is theirs/],
    ['a worker thread reading the database', 'src/workers/x.ts', '../db/database', /never touches the database/],
    ['a worker thread importing a use case', 'src/workers/x.ts', '../services/pools', /use cases call them/],
    ['PDF drawing importing a use case', 'src/pdf/x.ts', '../services/statements/holder-statement', /PDF/],
    ['access rules importing storage', 'src/auth/x.ts', '../db/database', /Access rules/],
    ['settings importing HTTP', 'src/config.ts', './http/plugins/rate-limits', /Settings/],
    ['a page reading the database itself', 'src/web/pages/x.ts', '../../db/database', /Pages/],
    ['a page importing a REST route', 'src/web/pages/x.ts', '../../http/routes/statements', /Pages/],
    ['a page importing the driver', 'src/web/x.ts', 'drizzle-orm', /Pages call use cases/],
    ['a use case importing a page', 'src/services/people/x.ts', '../../web/render', /HTTP/],
    ['a REST route importing a page', 'src/http/routes/x.ts', '../../web/plugin', /storage is theirs|HTTP/],
  ])('%s', async (_case, filePath, specifier, message) => {
    const messages = await restrictedImports(filePath, use(specifier));
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(message);
  });
});

describe('the layer rule lets each layer import what is below it', () => {
  it.each([
    ['the domain importing the domain', 'src/domain/statements/x.ts', '../money'],
    ['storage importing the domain', 'src/db/x.ts', '../domain/errors'],
    ['a use case importing storage, the domain and workers', 'src/services/x.ts', '../db/database'],
    ['a use case importing a worker pool', 'src/services/x.ts', '../workers/reconciliation-workers'],
    ['a route importing a use case', 'src/http/routes/x.ts', '../../services/pools'],
    ['a plugin importing the problem types', 'src/http/plugins/x.ts', '../problem-types'],
    ['a worker thread minting ids', 'src/workers/x.ts', '../db/ids'],
    ['the composition root importing anything', 'src/app.ts', './db/database'],
    ['a page importing a use case', 'src/web/pages/x.ts', '../../services/people/accounts'],
    ['a page importing access rules', 'src/web/x.ts', '../auth/token-secret'],
  ])('%s', async (_case, filePath, specifier) => {
    expect(await restrictedImports(filePath, use(specifier))).toEqual([]);
  });
});
