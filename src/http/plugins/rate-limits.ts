import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { RateLimits } from '../../config';

const WINDOW_MS = 60_000;

/** The most addresses whose failures are remembered at once: a flood from spoofed addresses cannot grow it further. */
const ADDRESSES_REMEMBERED_MAX = 100_000;

/**
 * Per-token limits, answered 429 problem+json with Retry-After. They count after authentication (and before the
 * body is read), keyed by the token's id, so a client sending a different junk header each time cannot dodge them
 * and a valid token is never limited for what other clients at its address did. Requests to public routes count by
 * address; requests without a valid token never get this far (AuthFailures below counts them by address).
 */
export async function registerRateLimits(app: FastifyInstance, limits: RateLimits): Promise<void> {
  if (limits.perMinute <= 0) return;
  await app.register(rateLimit, {
    global: true,
    hook: 'preParsing',
    max: limits.perMinute,
    timeWindow: WINDOW_MS,
    keyGenerator: (request: FastifyRequest) =>
      request.principal ? `token:${request.principal.tokenId}` : `ip:${request.ip}`,
    errorResponseBuilder: (_request, context) => ({
      statusCode: 429,
      message: `Too many requests: at most ${context.max} a minute. Retry after ${context.after}.`,
    }),
  });
}

/**
 * Counts requests without a valid token (unknown, revoked, malformed or none) per IP address in fixed one-minute
 * windows: guessing tokens is slowed to a handful a minute, whatever tokens are tried. In memory, per process;
 * pruned as windows end, and bounded.
 */
export class AuthFailures {
  private readonly windows = new Map<string, { count: number; resetsAt: number }>();

  constructor(private readonly perMinute: number) {}

  /** Seconds until the address may try again, or 0 if it may try now. */
  retryAfterSeconds(ip: string, now = Date.now()): number {
    const window = this.windows.get(ip);
    if (!window || window.resetsAt <= now || window.count < this.perMinute) return 0;
    return Math.ceil((window.resetsAt - now) / 1000);
  }

  record(ip: string, now = Date.now()): void {
    if (this.windows.size > 10_000) {
      for (const [key, w] of this.windows) if (w.resetsAt <= now) this.windows.delete(key);
      // Oldest first (a Map keeps insertion order).
      for (const key of this.windows.keys()) {
        if (this.windows.size < ADDRESSES_REMEMBERED_MAX) break;
        this.windows.delete(key);
      }
    }
    const window = this.windows.get(ip);
    if (!window || window.resetsAt <= now) this.windows.set(ip, { count: 1, resetsAt: now + WINDOW_MS });
    else window.count += 1;
  }
}
