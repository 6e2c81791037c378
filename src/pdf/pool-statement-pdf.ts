import type { PoolStatement } from '../domain/statements/pool-statement';
import { type Wording, fill, pounds, shortDate } from '../domain/statements/wording';
import { beginStatement, drawTable, finishStatement, heading, paragraph, planTable, table } from './document';

/** The pool statement as an accessible PDF for treasurers. */
export async function renderPoolStatementPdf(statement: PoolStatement, wording: Wording): Promise<Buffer> {
  const w = wording.pdf;
  const language = statement.language;
  const title = `${w.poolTitle}: ${statement.pool.name}`;
  const t = statement.totals;
  // The shares' table comes first: planned before the document, so that if it needs landscape the statement starts so.
  const shares = planTable(
    [
      { header: w.laReference },
      { header: w.member, wrap: true },
      { header: w.opening, align: 'right' },
      { header: w.contributions, align: 'right' },
      { header: w.returned, align: 'right' },
      { header: w.sharedCostsShort, align: 'right' },
      { header: w.purchases, align: 'right' },
      { header: w.closing, align: 'right' },
    ],
    [
      ...statement.shares.map((s) => [
        s.laReference,
        s.name,
        pounds(s.opening),
        pounds(s.contributions),
        pounds(s.returnedOnLeaving),
        pounds(s.sharedCosts),
        pounds(s.purchases),
        pounds(s.closing),
      ]),
      [
        w.total,
        '',
        pounds(t.opening),
        pounds(t.contributions),
        pounds(t.returnedOnLeaving),
        pounds(t.sharedCosts),
        pounds(t.purchases),
        pounds(t.closing),
      ],
    ],
  );
  const { doc, root } = beginStatement(title, language, statement.period, w.period, shares.layout);
  paragraph(doc, root, `${w.coop}: ${statement.coop.name}`);
  drawTable(doc, root, shares);
  heading(doc, root, 'H2', w.sharedCosts);
  if (statement.costsByCategory.length === 0) paragraph(doc, root, w.none);
  for (const category of statement.costsByCategory) {
    for (const cost of category.costs) {
      const method = fill(wording.methods[cost.method] ?? cost.method, { count: cost.memberCount });
      paragraph(
        doc,
        root,
        `${shortDate(cost.date)} ${category.name}: ${cost.description}, ${pounds(cost.total)}, ${method}`,
      );
    }
  }
  heading(doc, root, 'H2', w.purchases);
  table(
    doc,
    root,
    [
      { header: w.provider, wrap: true },
      { header: w.charged, align: 'right' },
      { header: w.aloneCost, align: 'right' },
      { header: w.saving, align: 'right' },
    ],
    statement.purchasesByProvider.map((p) => [
      `${p.provider} (${p.invoices})`,
      pounds(p.total),
      pounds(p.individualRateTotal),
      pounds(p.saving),
    ]),
  );
  heading(doc, root, 'H2', w.unpaid);
  if (statement.unpaidInvoices.length === 0) paragraph(doc, root, w.none);
  else {
    table(
      doc,
      root,
      [
        { header: w.date },
        { header: w.provider, wrap: true },
        { header: w.total, align: 'right' },
        { header: w.balance, align: 'right' },
      ],
      statement.unpaidInvoices.map((u) => [
        shortDate(u.invoiceDate),
        `${u.providerName} (${w.invoice} ${u.invoiceReference})`,
        pounds(u.total),
        pounds(u.outstanding),
      ]),
    );
  }
  return finishStatement(doc, root, w.page);
}
