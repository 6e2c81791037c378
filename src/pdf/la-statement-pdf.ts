import type { LaStatement } from '../domain/statements/la-statement';
import { type Wording, fill, longDate, pounds, shortDate } from '../domain/statements/wording';
import {
  type Column,
  beginStatement,
  drawTable,
  finishStatement,
  heading,
  paragraph,
  planTable,
  table,
} from './document';

/**
 * The LA monitoring statement as an accessible PDF: one table row per holder and a totals row. Across every co-op,
 * each row names its co-op, and a table of the co-ops says how far each one's bank is reconciled.
 */
export async function renderLaStatementPdf(statement: LaStatement, wording: Wording): Promise<Buffer> {
  const w = wording.pdf;
  const lang = statement.language;
  const title = `${w.laTitle}: ${statement.localAuthority.name}`;
  const allCoops = statement.coop === null;
  const t = statement.totals;
  const columns: Column[] = [
    { header: w.laReference },
    { header: w.holder, wrap: true },
    ...(allCoops ? [{ header: w.coop, wrap: true }] : []),
    { header: w.opening, align: 'right' },
    { header: w.dpReceived, align: 'right' },
    { header: w.spent, align: 'right' },
    { header: w.returnedToLa, align: 'right' },
    { header: w.closing, align: 'right' },
    { header: w.weeks, align: 'right' },
    { header: w.surplus, align: 'right' },
  ];
  const figures = (r: {
    opening: string;
    dpReceived: string;
    spendTotal: string;
    returnedToLa: string;
    closing: string;
  }) => [pounds(r.opening), pounds(r.dpReceived), pounds(r.spendTotal), pounds(r.returnedToLa), pounds(r.closing)];
  // The holders' table is the statement: planned first, so that a statement whose table needs landscape starts so.
  const holders = planTable(columns, [
    ...statement.holders.map((r) => [
      r.laReference,
      r.name,
      ...(allCoops ? [r.coopName] : []),
      ...figures(r),
      r.closingWeeksOfAward ?? '',
      r.surplusAboveThreshold ? pounds(r.surplusAboveThreshold) : '',
    ]),
    [w.total, String(t.holders), ...(allCoops ? [''] : []), ...figures(t), '', pounds(t.surplusAboveThreshold)],
  ]);
  const { doc, root } = beginStatement(title, lang, statement.period, w.period, holders.layout);
  const reconciled = (through: string | null) =>
    through ? fill(w.reconciledThrough, { date: longDate(through, lang) }) : w.notReconciled;
  if (statement.coop) {
    paragraph(doc, root, `${w.coop}: ${statement.coop.name}`);
    paragraph(doc, root, `${w.bankReconciled}: ${reconciled(statement.reconciledThrough)}`);
  }
  paragraph(doc, root, fill(w.threshold, { weeks: statement.localAuthority.surplusThresholdWeeks }));
  if (allCoops) {
    heading(doc, root, 'H2', w.coops);
    table(
      doc,
      root,
      [{ header: w.coop, wrap: true }, { header: w.holders, align: 'right' }, { header: w.reconciledColumn }],
      statement.coops.map((c) => [
        c.name,
        String(c.holders),
        c.reconciledThrough ? shortDate(c.reconciledThrough) : w.notReconciled,
      ]),
    );
    heading(doc, root, 'H2', w.holders);
  }
  drawTable(doc, root, holders);
  return finishStatement(doc, root, w.page);
}
