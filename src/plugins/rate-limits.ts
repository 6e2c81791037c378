import { createHash } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';

export interface RateLimits {
  /** Requests per minute for one token (or, without a token, one IP address); 0 turns the limit off. */
  perMinute: number;
  /** Failed authentications per minute from one IP address before it is refused for the rest of the minute. */
  authFailuresPerMinute: number;
}

const WINDOW_MS = 60_000;

/**
 * Per-token limits (per IP for requests without a token), answered 429 problem+json with Retry-After. Runs before
 * authentication, so a flood costs no database lookups. Keys are hashes: no token is kept in memory.
 */
export async function registerRateLimits(app: FastifyInstance, limits: RateLimits): Promise<void> {
  if (limits.perMinute <= 0) return;
  await app.register(rateLimit, {
    global: true,
    max: limits.perMinute,
    timeWindow: WINDOW_MS,
    keyGenerator: (request: FastifyRequest) => {
      const header = request.headers.authorization;
      return header ? `token:${createHash('sha256').update(header).digest('hex').slice(0, 32)}` : `ip:${request.ip}`;
    },
    errorResponseBuilder: (_request, context) => ({
      statusCode: 429,
      message: `Too many requests: at most ${context.max} a minute. Retry after ${context.after}.`,
    }),
  });
}

/**
 * Counts failed authentications per IP address in fixed one-minute windows: guessing tokens is slowed to a handful
 * a minute, whatever tokens are tried. In memory, per process; pruned as windows end.
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
    if (this.windows.size > 10_000)
      for (const [key, w] of this.windows) if (w.resetsAt <= now) this.windows.delete(key);
    const window = this.windows.get(ip);
    if (!window || window.resetsAt <= now) this.windows.set(ip, { count: 1, resetsAt: now + WINDOW_MS });
    else window.count += 1;
  }
}
