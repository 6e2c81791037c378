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
