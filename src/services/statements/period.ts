import { invalidInput } from '../../domain/errors';
import type { Language } from '../../domain/statements/wording';
import type { IssuedDocument } from './issued';

/** What a caller asks a statement for. */
export interface StatementRequest {
  from: string;
  to: string;
  format: 'json' | 'csv' | 'pdf';
  language?: Language | undefined;
}

/** `record: false` (a HEAD request) builds the statement and its hash but issues nothing. */
export interface IssueOptions {
  record: boolean;
}

/** An issued statement and the name of the file it is sent as. */
export interface StatementDownload extends IssuedDocument {
  fileName: string;
}

/** The longest period one statement may cover: a little over the six years records are kept. */
export const STATEMENT_DAYS_MAX = 2300;

export function checkPeriod(from: string, to: string): void {
  if (to < from)
    throw invalidInput({ field: 'to', message: 'must not be before from' }, 'The period ends before it starts.');
  const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;
  if (days > STATEMENT_DAYS_MAX) {
    throw invalidInput(
      { field: 'from', message: 'period too long' },
      `A statement covers at most ${STATEMENT_DAYS_MAX} days.`,
    );
  }
}
