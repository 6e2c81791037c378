import type postgres from 'postgres';

/**
 * Queries with at most this many parameters are prepared. Bulk inserts carry thousands, vary in size, and would each
 * stay prepared on the connection; their planning is a small part of their cost anyway.
 */
const MAX_PREPARED_PARAMETERS = 256;

/**
 * drizzle sends every query through postgres.js's `unsafe`, which does not prepare statements, so PostgreSQL parses
 * and plans each query again every time: for a statement's figures that is 2–3 ms of planning to under 1 ms of work.
 * This client prepares them (one named statement per query text and connection, as postgres.js does for its own
 * tagged queries), in transactions and savepoints too.
 */
export function preparingStatements<T extends postgres.Sql>(sql: T): T {
  return new Proxy(sql, {
    get(target, property, receiver) {
      if (property === 'unsafe') {
        return (
          query: string,
          parameters: postgres.ParameterOrJSON<never>[] = [],
          options: postgres.UnsafeQueryOptions = {},
        ) => target.unsafe(query, parameters, { prepare: parameters.length <= MAX_PREPARED_PARAMETERS, ...options });
      }
      if (property === 'begin' || property === 'savepoint') {
        const open = Reflect.get(target, property, receiver) as (...args: unknown[]) => unknown;
        return (...args: unknown[]) => {
          const work = args.pop() as (scoped: postgres.Sql) => unknown;
          return open.call(target, ...args, (scoped: postgres.Sql) => work(preparingStatements(scoped)));
        };
      }
      return Reflect.get(target, property, receiver);
    },
  });
}
