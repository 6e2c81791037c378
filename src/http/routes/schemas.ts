import { z } from 'zod';
import { LA_REFERENCE_PATTERN } from '../../domain/account-codes';
import { isCalendarDate } from '../../domain/dates';
import { Decimal, MONEY_PATTERN, type Money, parseMoney } from '../../domain/money';
import { decodeCursor } from '../../services/pagination';

/** Shared request and response schemas; every route takes its limits from here. */

export const TEXT_SHORT_MAX = 200;
export const TEXT_LONG_MAX = 1000;
export const PAGE_LIMIT_MAX = 500;
export const PAGE_LIMIT_DEFAULT = 50;

/**
 * Printable text: no control characters, and no invisible format characters (bidirectional overrides that make a
 * name read differently from what it is, zero-width spaces, soft hyphens, byte-order marks) except the zero-width
 * joiner and non-joiner, which some scripts need to write a word correctly. What the user typed is kept as typed.
 */
const printable = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[^\p{Cc}]*$/u, 'must not contain control characters')
    .regex(
      /^(?:[^\p{Cf}\u2028\u2029]|[\u200C\u200D])*$/u,
      'must not contain invisible formatting characters (such as a right-to-left override)',
    );

export const ShortText = printable(TEXT_SHORT_MAX);
export const LongText = printable(TEXT_LONG_MAX);

export const Id = z.uuid();

export const CalendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine(isCalendarDate, 'must be a real calendar date')
  .meta({ format: 'date', example: '2026-04-01' });

/** A money amount in a request: a string with at most two decimals, never a JSON number. */
export const MoneyText = z
  .string()
  .regex(MONEY_PATTERN, 'must be a string amount with at most two decimals, e.g. "12.50"')
  .meta({ example: '120.00' });

export const PositiveMoney = MoneyText.transform((text): Money => parseMoney(text)).refine(
  (m) => m.gt(0),
  'must be greater than zero',
);

/** A money amount in a response: always exactly two decimals. */
export const MoneyOut = z
  .string()
  .regex(/^-?\d+\.\d{2}$/)
  .meta({ example: '1234.50' });

export const LaReference = z.string().regex(LA_REFERENCE_PATTERN, 'letters, digits and . _ / - only, at most 40');

export const Cursor = z
  .string()
  .max(100)
  .refine((c) => decodeCursor(c) !== null, 'not a cursor returned by this API');

export const PageQuery = z.strictObject({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(PAGE_LIMIT_MAX)
    .default(PAGE_LIMIT_DEFAULT)
    .meta({ description: `Items per page, 1 to ${PAGE_LIMIT_MAX}.` }),
  cursor: Cursor.optional().meta({ description: "The previous page's `nextCursor`, for the page after it." }),
});

export function pageRequest(query: { limit: number; cursor?: string | undefined }) {
  return { limit: query.limit, afterId: query.cursor ? (decodeCursor(query.cursor) ?? undefined) : undefined };
}

export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const CoopParams = z.strictObject({ coopId: Id });
export const MemberParams = z.strictObject({ coopId: Id, memberId: Id });
export const PoolParams = z.strictObject({ coopId: Id, poolId: Id });
export const PoolMemberParams = z.strictObject({ coopId: Id, poolId: Id, memberId: Id });

export const AsOfQuery = z.strictObject({
  asOf: CalendarDate.optional().meta({ description: 'The balance at the end of this day (default today).' }),
});

export const IdempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(255)
    .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces')
    .optional()
    .meta({
      description:
        'Any unique string (a UUID is a good choice). Retrying with the same key and the same request answers the first ' +
        'answer again with `Idempotency-Replayed: true` and posts nothing; the same key with another request is a 422.',
      example: 'wxm-2026-11-02-dp1000',
    }),
});

/** A non-negative quantity (units, hours, weights) with at most two decimals, as a string like money. */
export const Quantity = z
  .string()
  .regex(/^\d{1,9}(\.\d{1,2})?$/, 'must be a string number with at most two decimals, e.g. "10.5"')
  .transform((text) => new Decimal(text));
export const PositiveQuantity = Quantity.refine((d) => d.gt(0), 'must be greater than zero');

const MEMBERS_MAX = 500;
export const byMember = <T extends z.ZodType>(value: T) =>
  z
    .record(Id, value)
    .refine(
      (r) => Object.keys(r).length > 0 && Object.keys(r).length <= MEMBERS_MAX,
      `between 1 and ${MEMBERS_MAX} members`,
    );

export const Allocation = z.discriminatedUnion('method', [
  z.strictObject({ method: z.literal('equal') }),
  z.strictObject({ method: z.literal('weights'), weights: byMember(Quantity) }),
  z.strictObject({ method: z.literal('usage'), units: byMember(Quantity) }),
  z.strictObject({ method: z.literal('contributions'), from: CalendarDate, to: CalendarDate }),
]);
