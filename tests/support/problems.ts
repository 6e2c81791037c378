import { z } from 'zod';
import { PROBLEM_BASE, type ProblemCode } from '../../src/http/problem-types';

/** The `type` of a problem the service answers with, from the service's own base: `problemType('insufficient-funds')`. */
export function problemType(code: ProblemCode): string {
  return `${PROBLEM_BASE}${code}`;
}

/** A field a refusal names, as `errors` lists it: its path and a message, nothing more. */
export const FieldError = z.strictObject({ path: z.string(), message: z.string() });

/**
 * An RFC 9457 problem body, as the service sends it: the four members every problem has, `errors` on a refusal of
 * fields, and whatever else a problem adds (`shortfalls`, `limit`, …) kept as it came (`res.json(Problem)`).
 */
export const Problem = z.looseObject({
  type: z.string(),
  title: z.string(),
  status: z.number(),
  detail: z.string(),
  errors: z.array(FieldError).optional(),
});
export type Problem = z.output<typeof Problem>;

/** Matches the `type` of any problem the service answers with (its base, then a code). */
export const ANY_PROBLEM_TYPE = new RegExp(`^${PROBLEM_BASE.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}[a-z-]+$`);

/** An account a charge would overdraw: whose, which, what it holds and how much more the charge needs. */
export const Shortfall = z.strictObject({
  memberId: z.string(),
  account: z.enum(['funds', 'pool share']),
  available: z.string(),
  shortBy: z.string(),
});

/** The `insufficient-funds` problem: every short account, listed (`res.json(InsufficientFunds)`). */
export const InsufficientFunds = Problem.extend({ shortfalls: z.array(Shortfall) });
