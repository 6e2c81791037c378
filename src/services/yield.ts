/**
 * Lets other requests' callbacks run before the next chunk of a long write. Awaiting a query is not always enough:
 * the embedded database can answer within the same turn of the event loop, so a loop of queries would never let
 * a waiting request in.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
