import { invalidField } from '../errors';
import type { DateFormat } from './bank-file';

/** A column by its header name or, for a file without a header row, by its 1-based position. */
export type ColumnRef = string | number;

/** How to read one bank's CSV export. */
export interface CsvLayout {
  name: string;
  headerRow: boolean;
  date: ColumnRef;
  dateFormats: readonly DateFormat[];
  /** Joined with a space: some banks split the payee and the reference across columns. */
  description: readonly ColumnRef[];
  amount: { signed: ColumnRef } | { paidIn: ColumnRef; paidOut: ColumnRef };
  balance?: ColumnRef | undefined;
  transactionId?: ColumnRef | undefined;
}

/**
 * Presets for common UK business-bank exports. `sampleHeader` is the first line of such a file, as documented in the
 * README and used by the tests.
 */
export const CSV_PRESETS = {
  lloyds: {
    layout: {
      name: 'lloyds',
      headerRow: true,
      date: 'Transaction Date',
      dateFormats: ['DD/MM/YYYY'],
      description: ['Transaction Description'],
      amount: { paidIn: 'Credit Amount', paidOut: 'Debit Amount' },
      balance: 'Balance',
    },
    sampleHeader:
      'Transaction Date,Transaction Type,Sort Code,Account Number,Transaction Description,Debit Amount,Credit Amount,Balance',
  },
  natwest: {
    layout: {
      name: 'natwest',
      headerRow: true,
      date: 'Date',
      dateFormats: ['DD/MM/YYYY', 'DD MMM YYYY'],
      description: ['Description'],
      amount: { signed: 'Value' },
      balance: 'Balance',
    },
    sampleHeader: 'Date,Type,Description,Value,Balance,Account Name,Account Number',
  },
  barclays: {
    layout: {
      name: 'barclays',
      headerRow: true,
      date: 'Date',
      dateFormats: ['DD/MM/YYYY'],
      description: ['Subcategory', 'Memo'],
      amount: { signed: 'Amount' },
    },
    sampleHeader: 'Number,Date,Account,Amount,Subcategory,Memo',
  },
} as const satisfies Record<string, { layout: CsvLayout; sampleHeader: string }>;

export type CsvPreset = keyof typeof CSV_PRESETS;
export const CSV_PRESET_NAMES = Object.keys(CSV_PRESETS) as CsvPreset[];

/** A generic CSV mapping as a treasurer gives it: columns by header name, or by number (1 is the first) without one. */
export interface CsvColumnMapping {
  preset?: CsvPreset | undefined;
  headerRow: boolean;
  dateColumn?: string | undefined;
  dateFormat?: DateFormat | undefined;
  descriptionColumn?: string | undefined;
  amountColumn?: string | undefined;
  paidInColumn?: string | undefined;
  paidOutColumn?: string | undefined;
  balanceColumn?: string | undefined;
  transactionIdColumn?: string | undefined;
}

/** A preset, or the generic mapping; a missing or unreadable piece of the mapping is named. */
export function csvLayoutOf(mapping: CsvColumnMapping): CsvLayout {
  if (mapping.preset) return CSV_PRESETS[mapping.preset].layout;
  const { headerRow } = mapping;
  const missing = (field: keyof CsvColumnMapping) => invalidField(field, 'required for a CSV without a preset');
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
  const signed = mapping.amountColumn !== undefined;
  if (!signed && (mapping.paidInColumn === undefined || mapping.paidOutColumn === undefined))
    throw missing('amountColumn');
  if (!mapping.dateFormat) throw missing('dateFormat');
  return {
    name: 'generic',
    headerRow,
    date: column(mapping.dateColumn, 'dateColumn'),
    dateFormats: [mapping.dateFormat],
    description: [column(mapping.descriptionColumn, 'descriptionColumn')],
    amount: signed
      ? { signed: column(mapping.amountColumn, 'amountColumn') }
      : {
          paidIn: column(mapping.paidInColumn, 'paidInColumn'),
          paidOut: column(mapping.paidOutColumn, 'paidOutColumn'),
        },
    balance: mapping.balanceColumn === undefined ? undefined : column(mapping.balanceColumn, 'balanceColumn'),
    transactionId:
      mapping.transactionIdColumn === undefined
        ? undefined
        : column(mapping.transactionIdColumn, 'transactionIdColumn'),
  };
}
