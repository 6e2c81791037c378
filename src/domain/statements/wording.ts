/** Statement wording in English and Welsh, loaded from templates/ and filled in with named values. */
export type Language = 'en' | 'cy';

export interface Wording {
  holderTitle: string;
  openingBalance: string;
  closingBalance: string;
  funds: string;
  poolShare: string;
  kinds: Record<string, string>;
  /** How each kind of movement is described, from the entry's own details (never its stored English memo). */
  movements: Record<string, string>;
  methods: Record<string, string>;
  sharedCostLine: string;
  /** Spending categories by their code (`payroll_services` → "Payroll services"). */
  categories: Record<string, string>;
  /** How often an award is paid ("every four weeks"). */
  frequencies: Record<string, string>;
  /** Labels of the printed (PDF) statement. */
  pdf: Record<PdfLabel, string>;
}

/** "1234.50" → "£1,234.50", "-3.07" → "-£3.07": money for people to read, from its exact string form. */
export function pounds(amount: string): string {
  const negative = amount.startsWith('-');
  const [whole = '0', pence = '00'] = amount.replace('-', '').split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}£${grouped}.${pence}`;
}

/** A figure's movement for a table column: "+£424.80" in, "−£240.00" out (a minus sign, which screen readers read). */
export function signedPounds(inAmount: string | null, outAmount: string | null): string {
  if (inAmount !== null) return `+${pounds(inAmount)}`;
  if (outAmount !== null) return `\u2212${pounds(outAmount)}`;
  return '';
}

/** A spending category in the statement's language; a code without wording is shown as it is. */
export function categoryName(wording: Wording, code: string): string {
  return wording.categories[code] ?? code;
}

const DATE_FORMATS: Record<Language, Intl.DateTimeFormat> = {
  en: new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }),
  cy: new Intl.DateTimeFormat('cy-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }),
};

const SHORT_DATE = new Intl.DateTimeFormat('en-GB', {
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  timeZone: 'UTC',
});

/** A date in a table column: "05/01/2026", as written in both English and Welsh in the UK. */
export function shortDate(date: string): string {
  return SHORT_DATE.format(new Date(`${date}T00:00:00Z`));
}

/** A calendar date as people write it: "5 January 2026" / "5 Ionawr 2026". */
export function longDate(date: string, language: Language): string {
  return DATE_FORMATS[language].format(new Date(`${date}T00:00:00Z`));
}

type PdfLabel =
  | 'period'
  | 'laReference'
  | 'movements'
  | 'date'
  | 'description'
  | 'in'
  | 'out'
  | 'balance'
  | 'account'
  | 'sharedCosts'
  | 'purchases'
  | 'provider'
  | 'invoice'
  | 'charged'
  | 'aloneCost'
  | 'saving'
  | 'summary'
  | 'total'
  | 'weeksOfAward'
  | 'surplus'
  | 'page'
  | 'none'
  | 'laTitle'
  | 'poolTitle'
  | 'coop'
  | 'holder'
  | 'opening'
  | 'dpReceived'
  | 'spent'
  | 'sharedCostsShort'
  | 'closing'
  | 'weeks'
  | 'bankReconciled'
  | 'notReconciled'
  | 'reconciledThrough'
  | 'member'
  | 'contributions'
  | 'returned'
  | 'returnedToLa'
  | 'unpaid'
  | 'threshold'
  | 'inOrOut'
  | 'inOrOutOf'
  | 'weeklyAward'
  | 'award'
  | 'surplusAbove'
  | 'coops'
  | 'holders'
  | 'reconciledColumn';

export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}
