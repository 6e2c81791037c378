import type { buildLaStatement } from '../domain/statements/la-statement';
import { type Wording, fill, longDate, pounds } from '../domain/statements/wording';
import { beginStatement, finishStatement, paragraph, table } from './document';

export type LaStatement = Omit<ReturnType<typeof buildLaStatement>, 'csvRows'>;

/** The LA monitoring statement as an accessible PDF: one table row per holder and a totals row. */
export async function renderLaStatementPdf(statement: LaStatement, wording: Wording): Promise<Buffer> {
  const w = wording.pdf;
  const lang = statement.language;
  const title = `${w.laTitle}: ${statement.localAuthority.name}`;
  const { doc, root } = beginStatement(title, lang, statement.period, w.period);
  paragraph(doc, root, `${w.coop}: ${statement.coop.name}`);
  paragraph(
    doc,
    root,
    `${w.bankReconciled}: ${statement.reconciledThrough ? fill(w.reconciledThrough, { date: longDate(statement.reconciledThrough, lang) }) : w.notReconciled}`,
  );
  paragraph(doc, root, fill(w.threshold, { weeks: statement.localAuthority.surplusThresholdWeeks }));
  const t = statement.totals;
  table(
    doc,
    root,
    [
      { header: w.laReference, width: 80 },
      { header: w.holder, width: 90 },
      { header: w.opening, width: 50, align: 'right' },
      { header: w.dpReceived, width: 50, align: 'right' },
      { header: w.spent, width: 50, align: 'right' },
      { header: w.returnedToLa, width: 45, align: 'right' },
      { header: w.closing, width: 50, align: 'right' },
      { header: w.weeks, width: 35, align: 'right' },
      { header: w.surplus, width: 45, align: 'right' },
    ],
    [
      ...statement.holders.map((r) => [
        r.laReference,
        r.name,
        pounds(r.opening),
        pounds(r.dpReceived),
        pounds(r.spendTotal),
        pounds(r.returnedToLa),
        pounds(r.closing),
        r.closingWeeksOfAward ?? '',
        r.surplusAboveThreshold ? pounds(r.surplusAboveThreshold) : '',
      ]),
      [
        w.total,
        String(t.holders),
        pounds(t.opening),
        pounds(t.dpReceived),
        pounds(t.spendTotal),
        pounds(t.returnedToLa),
        pounds(t.closing),
        '',
        pounds(t.surplusAboveThreshold),
      ],
    ],
  );
  return finishStatement(doc, root, w.page);
}
