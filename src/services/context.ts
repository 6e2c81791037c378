import type { Principal } from '../auth/principal';
import type { Database } from '../db/database';
import { londonDateOf } from '../domain/dates';
import type { TokenPolicy } from '../domain/token-lifetime';
import type { Role } from '../domain/vocabulary';
import type { PdfRenderer } from '../pdf/pdf-renderer';
import type { Mailer } from '../mail/mailer';
import type { ReconciliationWorkers } from '../workers/reconciliation-workers';

/**
 * What every use case receives: the database, the PDF renderer, the caller, the installation's settings, and the
 * moment it is decided at. The clock is read once, by the front door, so one decision never sees two dates and a
 * test can fix the day.
 */
export interface UseCaseContext {
  database: Database;
  pdf: PdfRenderer;
  /** Sends email (invitations); null when no SMTP server is configured. */
  mailer: Mailer | null;
  principal: Principal;
  settings: ServiceSettings;
  now: Date;
  /** The London date of `now`: what "today" means for value dates, awards in force and balances. */
  today: string;
}

/** Configuration the use cases apply (from the environment, see src/config.ts). */
export interface ServiceSettings {
  tokens: TokenPolicy;
  /** Where people reach the pages: sign-up links in invitations start with it. */
  publicUrl: string;
  /** The roles that must sign in with a second factor (REQUIRE_TOTP_FOR). */
  secondFactorRequiredFor: readonly Role[];
}

/** What a front door holds to call the use cases: the same for every request, built once at start-up. */
export interface UseCaseDependencies {
  database: Database;
  pdf: PdfRenderer;
  mailer: Mailer | null;
  reconciliationWorkers: ReconciliationWorkers;
  settings: ServiceSettings;
  /** Read once per request; tests pass a fixed one. */
  clock: () => Date;
}

/** The moment a request is decided at: the clock read once, and the London date of it. */
export function momentOf(deps: Pick<UseCaseDependencies, 'clock'>): { now: Date; today: string } {
  const now = deps.clock();
  return { now, today: londonDateOf(now) };
}

export function useCaseContextOf(deps: UseCaseDependencies, principal: Principal): UseCaseContext {
  return {
    database: deps.database,
    pdf: deps.pdf,
    mailer: deps.mailer,
    principal,
    settings: deps.settings,
    ...momentOf(deps),
  };
}
