import type { HolderStatement } from '../domain/statements/holder-statement';
import { type Wording, fill, pounds, shortDate } from '../domain/statements/wording';
import { beginStatement, finishStatement, heading, paragraph, table } from './document';

/** The holder statement as an accessible bilingual PDF (the statement's language), from the same model as JSON. */
export async function renderHolderStatementPdf(statement: HolderStatement, wording: Wording): Promise<Buffer> {
  const w = wording.pdf;
  const lang = statement.language;
  const title = `${wording.holderTitle}: ${statement.member.name}`;
  const { doc, root } = beginStatement(title, lang, statement.period, w.period);
  if (statement.member.laReference) {
    paragraph(
      doc,
      root,
      `${w.laReference}: ${statement.member.laReference}${statement.localAuthority ? ` (${statement.localAuthority.name})` : ''}`,
    );
  }

  heading(doc, root, 'H2', w.summary);
  const summaryRows = [
    [wording.openingBalance, pounds(statement.opening.total)],
    [wording.closingBalance, pounds(statement.closing.total)],
    [wording.funds, pounds(statement.closing.funds)],
    ...statement.closing.pools.map((p) => [fill(wording.poolShare, { pool: p.name }), pounds(p.share)]),
  ];
  if (statement.closingWeeksOfAward) summaryRows.push([w.weeksOfAward, statement.closingWeeksOfAward]);
  if (statement.surplusAboveThreshold !== null && statement.surplusThresholdWeeks !== null) {
    summaryRows.push([
      fill(w.surplus, { weeks: statement.surplusThresholdWeeks }),
      pounds(statement.surplusAboveThreshold),
    ]);
  }
  table(
    doc,
    root,
    [
      { header: w.description, width: 330 },
      { header: w.total, width: 165, align: 'right' },
    ],
    summaryRows,
  );

  heading(doc, root, 'H2', w.movements);
  table(
    doc,
    root,
    [
      { header: w.date, width: 70 },
      { header: w.description, width: 190 },
      { header: w.in, width: 75, align: 'right' },
      { header: w.out, width: 75, align: 'right' },
      { header: w.balance, width: 85, align: 'right' },
    ],
    statement.movements.map((m) => [
      shortDate(m.date),
      `${m.description} (${m.account})`,
      m.in ? pounds(m.in) : '',
      m.out ? pounds(m.out) : '',
      pounds(m.balance),
    ]),
  );

  heading(doc, root, 'H2', w.sharedCosts);
  if (statement.sharedCosts.length === 0) paragraph(doc, root, w.none);
  for (const cost of statement.sharedCosts)
    paragraph(doc, root, `${shortDate(cost.date)} ${cost.pool}: ${cost.description}. ${cost.text}`);

  heading(doc, root, 'H2', w.purchases);
  table(
    doc,
    root,
    [
      { header: w.date, width: 70 },
      { header: w.provider, width: 165 },
      { header: w.charged, width: 85, align: 'right' },
      { header: w.aloneCost, width: 95, align: 'right' },
      { header: w.saving, width: 80, align: 'right' },
    ],
    statement.purchases.map((p) => [
      shortDate(p.date),
      `${p.provider} (${w.invoice} ${p.invoiceReference})`,
      pounds(p.amount),
      pounds(p.individualAmount),
      pounds(p.saving),
    ]),
  );
  return finishStatement(doc, root, w.page);
}
