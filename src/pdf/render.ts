import type { HolderStatement } from '../domain/statements/holder-statement';
import type { Wording } from '../domain/statements/wording';
import { renderHolderStatementPdf } from './holder-statement-pdf';
import { type LaStatement, renderLaStatementPdf } from './la-statement-pdf';
import { type PoolStatement, renderPoolStatementPdf } from './pool-statement-pdf';

/** A statement to draw as a PDF: plain data, so it can be handed to a render thread as it is. */
export type PdfTask =
  | { kind: 'holder'; statement: HolderStatement; wording: Wording }
  | { kind: 'pool'; statement: PoolStatement; wording: Wording; language: 'en' | 'cy' }
  | { kind: 'local_authority'; statement: LaStatement; wording: Wording };

export function renderPdf(task: PdfTask): Promise<Buffer> {
  switch (task.kind) {
    case 'holder':
      return renderHolderStatementPdf(task.statement, task.wording);
    case 'pool':
      return renderPoolStatementPdf(task.statement, task.wording, task.language);
    case 'local_authority':
      return renderLaStatementPdf(task.statement, task.wording);
  }
}
