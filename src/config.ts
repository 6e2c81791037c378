import { z } from 'zod';
import type { TokenPolicy } from './domain/token-lifetime';

/** Configuration comes from the environment only; an invalid value stops start-up naming the variable. */
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** How long a new token of a role lasts, in days: at most ten years. */
const TokenDays = z.coerce.number().int().min(1).max(3650);

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL, or unset for the embedded database')
    .optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(15_000),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).max(1_000_000).default(1200),
  AUTH_FAILURES_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(20),
  PDF_THREADS: z.coerce.number().int().min(0).max(64).default(1),
  TRUST_PROXY: z
    .string()
    .regex(
      /^(false|true|\d{1,2}|[0-9A-Fa-f.:/]+(,\s*[0-9A-Fa-f.:/]+)*)$/,
      'must be false, true, a number of proxy hops, or a comma-separated list of proxy addresses or CIDR ranges',
    )
    .default('false'),
  TOKEN_DAYS_ADMIN: TokenDays.default(90),
  TOKEN_DAYS_TREASURER: TokenDays.default(365),
  TOKEN_DAYS_HOLDER: TokenDays.default(365),
  TOKEN_DAYS_LA_OFFICER: TokenDays.default(365),
  PUBLIC_URL: z
    .url({ protocol: /^https?$/, normalize: true })
    .optional()
    .transform((url) => url?.replace(/\/+$/, '')),
  SMTP_URL: z.url({ protocol: /^smtps?$/ }).optional(),
  MAIL_FROM: z.string().min(3).default('Cronfa <cronfa@localhost>'),
  REQUIRE_TOTP_FOR: z
    .string()
    .regex(
      /^\s*((treasurer|la_officer|admin)\s*(,\s*|$))*$/,
      'a comma-separated list of treasurer, la_officer and admin',
    )
    .default(''),
  IDEMPOTENCY_KEY_DAYS: z.coerce.number().int().min(30, 'keys are kept at least 30 days').max(3650).default(30),
});

export interface Config {
  port: number;
  host: string;
  database: DatabaseConfig;
  logLevel: (typeof LOG_LEVELS)[number];
  requestTimeoutMs: number;
  rateLimits: RateLimits;
  /** Threads drawing statement PDFs beside the one serving requests; 0 draws them on it. */
  pdfThreads: number;
  /**
   * Which proxies in front of the service to believe about the client's address (X-Forwarded-For): none (false),
   * all (true), this many hops, or these addresses. Limits per address need the client's real address.
   */
  trustProxy: boolean | number | string[];
  tokens: TokenPolicy;
  /** How long a money write's Idempotency-Key is remembered (at least 30 days), then pruned. */
  idempotencyKeyDays: number;
  /** Where people reach the pages (links in emails; https makes cookies Secure); by default http://HOST:PORT. */
  publicUrl: string;
  /** How invitations are emailed (smtp:// or smtps://); without it, the link is only shown to the inviter. */
  smtpUrl: string | null;
  mailFrom: string;
  /** The roles that must add a second factor (TOTP) and give a code at every sign-in. */
  secondFactorRequiredFor: ('treasurer' | 'la_officer' | 'admin')[];
}

/** Limits on how fast one caller may send requests (see src/http/plugins/rate-limits.ts). */
export interface RateLimits {
  /** Requests per minute for one token (or, without a token, one IP address); 0 turns the limit off. */
  perMinute: number;
  /** Failed authentications per minute from one IP address before it is refused for the rest of the minute. */
  authFailuresPerMinute: number;
}

export type DatabaseConfig =
  | { kind: 'postgres'; url: string; poolSize: number }
  | { kind: 'embedded'; dataDir: string };

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    logLevel: e.LOG_LEVEL,
    requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
    rateLimits: { perMinute: e.RATE_LIMIT_PER_MINUTE, authFailuresPerMinute: e.AUTH_FAILURES_PER_MINUTE },
    pdfThreads: e.PDF_THREADS,
    trustProxy: trustProxyOf(e.TRUST_PROXY),
    tokens: {
      lifetimeDays: {
        admin: e.TOKEN_DAYS_ADMIN,
        treasurer: e.TOKEN_DAYS_TREASURER,
        holder: e.TOKEN_DAYS_HOLDER,
        la_officer: e.TOKEN_DAYS_LA_OFFICER,
      },
    },
    idempotencyKeyDays: e.IDEMPOTENCY_KEY_DAYS,
    publicUrl: e.PUBLIC_URL ?? `http://${e.HOST.includes(':') ? `[${e.HOST}]` : e.HOST}:${e.PORT}`,
    smtpUrl: e.SMTP_URL ?? null,
    mailFrom: e.MAIL_FROM,
    secondFactorRequiredFor: e.REQUIRE_TOTP_FOR.split(',')
      .map((role) => role.trim())
      .filter((role): role is 'treasurer' | 'la_officer' | 'admin' => role.length > 0),
    database: e.DATABASE_URL
      ? { kind: 'postgres', url: e.DATABASE_URL, poolSize: e.DB_POOL_SIZE }
      : { kind: 'embedded', dataDir: e.DATA_DIR },
  };
}

function trustProxyOf(value: string): boolean | number | string[] {
  if (value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  return value.split(',').map((address) => address.trim());
}
