import type { FastifyInstance } from 'fastify';

/**
 * Headers every answer carries beside helmet's. Everything under /v1 is a tenant's data (balances, statements,
 * entries, accounts, tokens): no browser, proxy or shared cache may keep it.
 */
export function registerResponseHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply) => {
    if (request.url.startsWith('/v1/') && !reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
  });
}

/**
 * The Content-Security-Policy of the API itself: its answers are data, never a page, so nothing may load from them
 * and no page may frame them. The interactive docs (/docs) send their own, stricter than their default (below).
 */
export const API_CONTENT_SECURITY_POLICY = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'none'"],
    baseUri: ["'none'"],
    formAction: ["'none'"],
    frameAncestors: ["'none'"],
  },
};

/**
 * The docs page's policy, from the one @fastify/swagger-ui computes for its own inline script and style (hashes),
 * without what would reach outside Cronfa: the online validator's badge, fonts from anywhere, and upgrading requests
 * to https (which would break the docs when served over plain http on a developer's machine).
 */
export function docsContentSecurityPolicy(header: string): string {
  return header
    .replace(/ validator\.swagger\.io/g, '')
    .replace(/ https:/g, '')
    .replace(/ ?upgrade-insecure-requests;?/g, '')
    .trim();
}
