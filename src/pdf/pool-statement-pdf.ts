import type { buildPoolStatement } from '../domain/statements/pool-statement';
import { type Wording, fill, pounds, shortDate } from '../domain/statements/wording';
import { beginStatement, finishStatement, heading, paragraph, table } from './document';

export type PoolStatement = Omit<ReturnType<typeof buildPoolStatement>, 'csvRows'>;

/** The pool statement as an accessible PDF for treasurers. */
export async function renderPoolStatementPdf(
  statement: PoolStatement,
  wording: Wording,
  language: 'en' | 'cy',
): Promise<Buffer> {
  const w = wording.pdf;
  const title = `${w.poolTitle}: ${statement.pool.name}`;
  const { doc, root } = beginStatement(title, language, statement.period, w.period);
  const t = statement.totals;
  table(
    doc,
    root,
    [
      { header: w.laReference, width: 80 },
      { header: w.member, width: 85 },
      { header: w.opening, width: 52, align: 'right' },
      { header: w.contributions, width: 62, align: 'right' },
      { header: w.returned, width: 56, align: 'right' },
      { header: w.sharedCostsShort, width: 54, align: 'right' },
      { header: w.purchases, width: 54, align: 'right' },
      { header: w.closing, width: 52, align: 'right' },
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
  heading(doc, root, 'H2', w.sharedCosts);
  if (statement.costsByCategory.length === 0) paragraph(doc, root, w.none);
  for (const category of statement.costsByCategory) {
    for (const cost of category.costs) {
      const method = fill(wording.methods[cost.method] ?? cost.method, { count: cost.memberCount });
      paragraph(
        doc,
        root,
        `${shortDate(cost.date)} ${category.category}: ${cost.description}, ${pounds(cost.total)}, ${method}`,
      );
    }
  }
  heading(doc, root, 'H2', w.purchases);
  table(
    doc,
    root,
    [
      { header: w.provider, width: 200 },
      { header: w.charged, width: 100, align: 'right' },
      { header: w.aloneCost, width: 100, align: 'right' },
      { header: w.saving, width: 95, align: 'right' },
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
        { header: w.date, width: 80 },
        { header: w.provider, width: 215 },
        { header: w.total, width: 100, align: 'right' },
        { header: w.balance, width: 100, align: 'right' },
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
