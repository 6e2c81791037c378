import type { Principal } from '../auth/principal';
import type { Database } from '../db/database';

/** What every use case receives: the database and the caller. */
export interface UseCaseContext {
  database: Database;
  principal: Principal;
}
