import type { Principal } from '../auth/principal';
import type { Database } from '../db/database';
import type { TokenPolicy } from '../domain/token-lifetime';
import type { PdfRenderer } from '../pdf/pdf-renderer';

/** What every use case receives: the database, the PDF renderer, the caller and the installation's settings. */
export interface UseCaseContext {
  database: Database;
  pdf: PdfRenderer;
  principal: Principal;
  settings: ServiceSettings;
}

/** Configuration the use cases apply (from the environment, see src/config.ts). */
export interface ServiceSettings {
  tokens: TokenPolicy;
}
