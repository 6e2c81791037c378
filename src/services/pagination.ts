import { type Column, asc, gt } from 'drizzle-orm';

/** Keyset pagination over time-ordered ids: the cursor is the last id of the previous page, opaque to clients. */
export interface PageRequest {
  limit: number;
  afterId?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * One page of a list ordered by its id column, the one way every list pages: rows after the cursor (`after`, for
 * the query's `where`), in id order, one more than the page holds (`limit`), so that row's presence says there is a
 * next page; `page` then drops it and gives the cursor of the page's last row.
 *
 *   const keys = keyset(pools.id, page);
 *   const rows = await db.select().from(pools).where(and(eq(pools.coopId, coopId), keys.after))
 *     .orderBy(keys.orderBy).limit(keys.limit);
 *   return keys.page(rows, poolView);
 */
export function keyset(key: Column, request: PageRequest) {
  return {
    after: request.afterId ? gt(key, request.afterId) : undefined,
    orderBy: asc(key),
    limit: request.limit + 1,
    /** The rows the page shows, without the look-ahead row (to load what the page needs for them). */
    shown: <Row>(rows: readonly Row[]): Row[] => rows.slice(0, request.limit),
    page: <Row extends { id: string }, T>(rows: readonly Row[], map: (row: Row) => T): Page<T> => {
      const shown = rows.slice(0, request.limit);
      const last = shown[shown.length - 1];
      return {
        items: shown.map(map),
        nextCursor: rows.length > request.limit && last ? encodeCursor(last.id) : null,
      };
    },
  };
}

export function encodeCursor(id: string): string {
  return Buffer.from(id, 'utf8').toString('base64url');
}

/** Returns the id inside a cursor, or null if it is not one of ours. */
export function decodeCursor(cursor: string): string | null {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id) ? id : null;
}
