import type { Principal } from '../auth/principal';
import type { Database } from '../db/database';
import type { PdfRenderer } from '../pdf/pdf-renderer';

/** What every use case receives: the database, the PDF renderer and the caller. */
export interface UseCaseContext {
  database: Database;
  pdf: PdfRenderer;
  principal: Principal;
}
