import type { HolderStatement } from '../domain/statements/holder-statement';
import { type Wording, categoryName, fill, pounds, shortDate, signedPounds } from '../domain/statements/wording';
import { type Column, beginStatement, finishStatement, heading, paragraph, table } from './document';

/** The holder statement as an accessible bilingual PDF (the statement's language), from the same model as JSON. */
export async function renderHolderStatementPdf(statement: HolderStatement, wording: Wording): Promise<Buffer> {
  const w = wording.pdf;
  const lang = statement.language;
  const title = `${wording.holderTitle}: ${statement.member.name}`;
  const { doc, root } = beginStatement(title, lang, statement.period, w.period);
  paragraph(doc, root, `${w.coop}: ${statement.coop.name}`);
  if (statement.member.laReference) {
    paragraph(
      doc,
      root,
      `${w.laReference}: ${statement.member.laReference}${statement.localAuthority ? ` (${statement.localAuthority.name})` : ''}`,
    );
  }

  heading(doc, root, 'H2', w.summary);
  table(
    doc,
    root,
    [
      { header: w.description, wrap: true },
      { header: w.total, align: 'right' },
    ],
    summaryRows(statement, wording),
  );

  heading(doc, root, 'H2', w.movements);
  // The money the holder has and each pool share side by side: how much moved in or out, then what is there now.
  const accounts = [
    { name: statement.accounts.funds, figures: (b: HolderStatement['opening']) => b.funds },
    ...statement.accounts.pools.map((pool, i) => ({
      name: pool.name,
      figures: (b: typeof statement.opening) => b.pools[i]!.share,
    })),
  ];
  const columns: Column[] = [
    { header: w.date },
    { header: w.description, wrap: true },
    ...accounts.flatMap((a): Column[] => [
      { header: w.inOrOut, alt: fill(w.inOrOutOf, { account: a.name }), align: 'right' },
      { header: a.name, align: 'right' },
    ]),
  ];
  const ends = (date: string, label: string, balances: HolderStatement['opening']) => [
    shortDate(date),
    label,
    ...accounts.flatMap((a) => ['', pounds(a.figures(balances))]),
  ];
  table(doc, root, columns, [
    ends(statement.period.from, wording.openingBalance, statement.opening),
    ...statement.movements.map((m) => [
      shortDate(m.date),
      m.categories.length === 0
        ? m.description
        : `${m.description} (${m.categories.map((c) => categoryName(wording, c)).join(', ')})`,
      signedPounds(m.funds.in, m.funds.out),
      pounds(m.funds.balance),
      ...m.pools.flatMap((p) => [signedPounds(p.in, p.out), pounds(p.share)]),
    ]),
    ends(statement.period.to, wording.closingBalance, statement.closing),
  ]);

  heading(doc, root, 'H2', w.sharedCosts);
  if (statement.sharedCosts.length === 0) paragraph(doc, root, w.none);
  for (const cost of statement.sharedCosts)
    paragraph(doc, root, `${shortDate(cost.date)} ${cost.pool}: ${cost.description}. ${cost.text}`);

  heading(doc, root, 'H2', w.purchases);
  table(
    doc,
    root,
    [
      { header: w.date },
      { header: w.provider, wrap: true },
      { header: w.charged, align: 'right' },
      { header: w.aloneCost, align: 'right' },
      { header: w.saving, align: 'right' },
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

/** Balances at both ends, what is in each part at the end, the award, and the surplus threshold in weeks and money. */
function summaryRows(statement: HolderStatement, wording: Wording): string[][] {
  const w = wording.pdf;
  const rows = [
    [wording.openingBalance, pounds(statement.opening.total)],
    [wording.closingBalance, pounds(statement.closing.total)],
    [statement.accounts.funds, pounds(statement.closing.funds)],
    ...statement.closing.pools.map((p, i) => [statement.accounts.pools[i]!.name, pounds(p.share)]),
  ];
  const award = statement.award;
  if (award) {
    const paid = fill(w.award, {
      amount: pounds(award.amount),
      frequency: wording.frequencies[award.frequency] ?? award.frequency,
    });
    rows.push([award.frequency === 'weekly' ? w.weeklyAward : `${w.weeklyAward} (${paid})`, pounds(award.weekly)]);
  }
  if (statement.closingWeeksOfAward) rows.push([w.weeksOfAward, statement.closingWeeksOfAward]);
  if (statement.surplusThresholdWeeks !== null && statement.surplusThresholdAmount !== null)
    rows.push([
      fill(w.threshold, { weeks: statement.surplusThresholdWeeks }),
      pounds(statement.surplusThresholdAmount),
    ]);
  if (statement.surplusAboveThreshold !== null) rows.push([w.surplusAbove, pounds(statement.surplusAboveThreshold)]);
  return rows;
}
