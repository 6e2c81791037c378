/**
 * A holder's money at the end of each month of a statement, from the statement itself (its opening total and the
 * running total after each movement), so the chart and its table show exactly the statement's figures.
 */
export function monthEndTotals(
  statement: { opening: { total: string }; movements: readonly { date: string; total: string }[] },
  monthEnds: readonly string[],
): { monthEnd: string; total: string }[] {
  let index = 0;
  let total = statement.opening.total;
  return monthEnds.map((monthEnd) => {
    while (index < statement.movements.length && (statement.movements[index]?.date ?? '') <= monthEnd) {
      total = statement.movements[index]?.total ?? total;
      index += 1;
    }
    return { monthEnd, total };
  });
}

/** The last day of each of the `count` months ending with the month of `today` (the last entry is `today` itself). */
export function recentMonthEnds(today: string, count: number): string[] {
  const [year = 0, month = 1] = today.split('-').map(Number);
  const ends: string[] = [];
  for (let back = count - 1; back >= 1; back -= 1) {
    const end = new Date(Date.UTC(year, month - back, 0));
    ends.push(end.toISOString().slice(0, 10));
  }
  ends.push(today);
  return ends;
}

/** The first day of the month `count - 1` months before the month of `today`. */
export function firstDayMonthsBack(today: string, count: number): string {
  const [year = 0, month = 1] = today.split('-').map(Number);
  return new Date(Date.UTC(year, month - count, 1)).toISOString().slice(0, 10);
}
