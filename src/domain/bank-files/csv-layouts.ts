import { invalidField } from '../errors';
import type { DateFormat } from './bank-file';
import { CSV_PRESETS, type CsvPreset } from './csv-presets';

/** A column by its header name or, for a file without a header row, by its 1-based position. */
export type ColumnRef = string | number;

/** How the amount is written: one signed column, paid in and paid out apart, or unsigned with an in/out column. */
export type AmountColumns =
  | { signed: ColumnRef }
  | { paidIn: ColumnRef; paidOut: ColumnRef }
  | { unsigned: ColumnRef; direction: ColumnRef; paidInValues: readonly string[]; paidOutValues: readonly string[] };

/** How to read one bank's CSV export. */
export interface CsvLayout {
  name: string;
  headerRow: boolean;
  /**
   * Lines the bank writes before the header (or, without one, before the first transaction): titles, the account's
   * name, its balance. Without it, the header is found as the first of the file's opening lines that names every
   * column the layout uses.
   */
  skipLines?: number | undefined;
  /** The column of each line's date, or `{ line }`: the file's line that dates every transaction (a daily statement). */
  date: ColumnRef | { line: number };
  dateFormats: readonly DateFormat[];
  /** Joined with a space: some banks split the payee and the reference across columns. */
  description: readonly ColumnRef[];
  amount: AmountColumns;
  balance?: ColumnRef | undefined;
  transactionId?: ColumnRef | undefined;
  /** Every line must say GBP here (or leave it empty): a line in another currency refuses the file. */
  currency?: ColumnRef | undefined;
  /** Every line must name the same account here: a file of two accounts is refused. */
  account?: ColumnRef | undefined;
  /** Lines whose cell in `column` is one of `values` (any case) are not transactions: "Balance brought forward". */
  skipRows?: { column: ColumnRef; values: readonly string[] } | undefined;
}

/** The columns of a layout that are named, so a header can be recognised and missing ones reported. */
export function namedColumnsOf(layout: CsvLayout): string[] {
  const amount = layout.amount;
  const refs: (ColumnRef | undefined)[] = [
    typeof layout.date === 'object' ? undefined : layout.date,
    ...layout.description,
    ...('signed' in amount
      ? [amount.signed]
      : 'paidIn' in amount
        ? [amount.paidIn, amount.paidOut]
        : [amount.unsigned, amount.direction]),
    layout.balance,
    layout.transactionId,
    layout.currency,
    layout.account,
    layout.skipRows?.column,
  ];
  return refs.filter((ref): ref is string => typeof ref === 'string');
}

/**
 * A CSV mapping as a treasurer gives it (in the upload's query, or saved as a bank profile): a preset, or columns by
 * header name, or by number (1 is the first) without a header row.
 */
export interface CsvColumnMapping {
  preset?: CsvPreset | undefined;
  headerRow: boolean;
  skipLines?: number | undefined;
  dateColumn?: string | undefined;
  dateFromLine?: number | undefined;
  dateFormat?: DateFormat | undefined;
  descriptionColumns?: readonly string[] | undefined;
  amountColumn?: string | undefined;
  paidInColumn?: string | undefined;
  paidOutColumn?: string | undefined;
  directionColumn?: string | undefined;
  paidInValues?: readonly string[] | undefined;
  paidOutValues?: readonly string[] | undefined;
  balanceColumn?: string | undefined;
  transactionIdColumn?: string | undefined;
  currencyColumn?: string | undefined;
  accountColumn?: string | undefined;
  skipColumn?: string | undefined;
  skipValues?: readonly string[] | undefined;
}

/** The generic fields: any one given means the upload describes its layout (and a missing piece is named). */
export const MAPPING_FIELDS = [
  'skipLines',
  'dateColumn',
  'dateFromLine',
  'dateFormat',
  'descriptionColumns',
  'amountColumn',
  'paidInColumn',
  'paidOutColumn',
  'directionColumn',
  'paidInValues',
  'paidOutValues',
  'balanceColumn',
  'transactionIdColumn',
  'currencyColumn',
  'accountColumn',
  'skipColumn',
  'skipValues',
] as const satisfies readonly (keyof CsvColumnMapping)[];

/** A preset, or the generic mapping; a missing or unreadable piece of the mapping is named. */
export function csvLayoutOf(mapping: CsvColumnMapping): CsvLayout {
  if (mapping.preset) return CSV_PRESETS[mapping.preset].layout;
  const { headerRow } = mapping;
  const missing = (field: keyof CsvColumnMapping, why = 'required for a CSV without a preset') =>
    invalidField(field, why);
  const column = (value: string | undefined, field: keyof CsvColumnMapping): ColumnRef => {
    if (value === undefined) throw missing(field);
    if (headerRow) return value;
    if (!/^[1-9]\d{0,2}$/.test(value))
      throw invalidField(
        field,
        'a column number',
        `${field}: without a header row, give the column's number (1 is the first)`,
      );
    return Number(value);
  };
  const optional = (value: string | undefined, field: keyof CsvColumnMapping) =>
    value === undefined ? undefined : column(value, field);
  if (!mapping.dateFormat) throw missing('dateFormat');
  if (mapping.dateColumn !== undefined && mapping.dateFromLine !== undefined)
    throw missing('dateFromLine', 'give dateColumn or dateFromLine, not both');
  const descriptions = mapping.descriptionColumns ?? [];
  if (descriptions.length === 0) throw missing('descriptionColumns');
  return {
    name: 'generic',
    headerRow,
    skipLines: mapping.skipLines,
    date:
      mapping.dateFromLine !== undefined ? { line: mapping.dateFromLine } : column(mapping.dateColumn, 'dateColumn'),
    dateFormats: [mapping.dateFormat],
    description: descriptions.map((name) => column(name, 'descriptionColumns')),
    amount: amountOf(mapping, column),
    balance: optional(mapping.balanceColumn, 'balanceColumn'),
    transactionId: optional(mapping.transactionIdColumn, 'transactionIdColumn'),
    currency: optional(mapping.currencyColumn, 'currencyColumn'),
    account: optional(mapping.accountColumn, 'accountColumn'),
    skipRows:
      mapping.skipColumn === undefined
        ? undefined
        : { column: column(mapping.skipColumn, 'skipColumn'), values: valuesOf(mapping.skipValues, 'skipValues') },
  };
}

function amountOf(
  mapping: CsvColumnMapping,
  column: (value: string | undefined, field: keyof CsvColumnMapping) => ColumnRef,
): AmountColumns {
  const ways = [mapping.amountColumn, mapping.paidInColumn ?? mapping.paidOutColumn].filter((v) => v !== undefined);
  if (ways.length > 1)
    throw invalidField('amountColumn', 'give amountColumn, or paidInColumn and paidOutColumn, not both');
  if (mapping.paidInColumn !== undefined || mapping.paidOutColumn !== undefined)
    return {
      paidIn: column(mapping.paidInColumn, 'paidInColumn'),
      paidOut: column(mapping.paidOutColumn, 'paidOutColumn'),
    };
  if (mapping.amountColumn === undefined) throw invalidField('amountColumn', 'required for a CSV without a preset');
  if (mapping.directionColumn === undefined) return { signed: column(mapping.amountColumn, 'amountColumn') };
  return {
    unsigned: column(mapping.amountColumn, 'amountColumn'),
    direction: column(mapping.directionColumn, 'directionColumn'),
    paidInValues: valuesOf(mapping.paidInValues, 'paidInValues'),
    paidOutValues: valuesOf(mapping.paidOutValues, 'paidOutValues'),
  };
}

function valuesOf(values: readonly string[] | undefined, field: keyof CsvColumnMapping): readonly string[] {
  const cleaned = (values ?? []).map((value) => value.trim()).filter((value) => value !== '');
  if (cleaned.length === 0) throw invalidField(field, 'name at least one value');
  return cleaned;
}
