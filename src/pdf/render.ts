import { renderCsv } from '../domain/csv';
import type { HolderStatement } from '../domain/statements/holder-statement';
import { type LaStatementFigures, type LaStatementInput, buildLaStatement } from '../domain/statements/la-statement';
import {
  POOL_STATEMENT_CSV_COLUMNS,
  type PoolStatementFigures,
  type PoolStatementInput,
  buildPoolStatement,
} from '../domain/statements/pool-statement';
import type { Wording } from '../domain/statements/wording';
import { renderHolderStatementPdf } from './holder-statement-pdf';
import { renderLaStatementPdf } from './la-statement-pdf';
import { renderPoolStatementPdf } from './pool-statement-pdf';

export type StatementFormat = 'json' | 'csv' | 'pdf';

/**
 * A statement to turn into bytes: plain data, so it can be handed to a render thread as it is. Pool and LA statements
 * (one row per member: thousands, for a big co-op or LA) are built here from their figures, which come as the JSON
 * text the database wrote, so the serving thread neither parses nor copies them row by row. A holder statement is
 * one person's and is built on the serving thread; only its PDF is drawn here.
 */
export type StatementTask =
  | { kind: 'holder'; format: 'pdf'; statement: HolderStatement; wording: Wording }
  | {
      kind: 'pool';
      format: StatementFormat;
      statement: Omit<PoolStatementInput, 'figures'>;
      /** `PoolStatementFigures` as JSON text. */
      figures: string;
    }
  | {
      kind: 'local_authority';
      format: StatementFormat;
      statement: Omit<LaStatementInput, 'figures'>;
      /** `LaStatementFigures` as JSON text. */
      figures: string;
      wording: Wording;
    };

/** The statement's exact bytes: the same on any thread, since they depend on the task alone. */
export async function renderStatement(task: StatementTask): Promise<Buffer> {
  switch (task.kind) {
    case 'holder':
      return renderHolderStatementPdf(task.statement, task.wording);
    case 'pool': {
      const figures = JSON.parse(task.figures) as PoolStatementFigures;
      const { csvRows, ...statement } = buildPoolStatement({ ...task.statement, figures });
      if (task.format === 'pdf') return renderPoolStatementPdf(statement, task.statement.wording);
      return text(task.format, statement, () => renderCsv(POOL_STATEMENT_CSV_COLUMNS, csvRows));
    }
    case 'local_authority': {
      const figures = JSON.parse(task.figures) as LaStatementFigures;
      const { csvColumns, csvRows, ...statement } = buildLaStatement({ ...task.statement, figures });
      if (task.format === 'pdf') return renderLaStatementPdf(statement, task.wording);
      return text(task.format, statement, () => renderCsv(csvColumns, csvRows));
    }
  }
}

function text(format: 'json' | 'csv', statement: unknown, csv: () => string): Buffer {
  return Buffer.from(format === 'csv' ? csv() : JSON.stringify(statement), 'utf8');
}
