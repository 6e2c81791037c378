import { v7 as uuidv7 } from 'uuid';

/** Time-ordered UUIDs (v7): ids sort in creation order, which keyset pagination relies on. */
export function newId(): string {
  return uuidv7();
}
