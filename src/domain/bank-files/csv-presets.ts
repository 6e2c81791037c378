import type { CsvLayout } from './csv-layouts';

/**
 * Presets for the CSV exports of the banks UK co-ops and charities use. `sampleHeader` is the header line such a file
 * has (the tests build their files from it); `banks` is who writes it, as the answer names it. A file uploaded with
 * `format=csv` alone is recognised by its header (src/domain/bank-files/csv-detect.ts).
 */
export const CSV_PRESETS = {
  lloyds: {
    banks: 'Lloyds Bank, Bank of Scotland, Halifax (business internet banking)',
    layout: {
      name: 'lloyds',
      headerRow: true,
      date: 'Transaction Date',
      dateFormats: ['DD/MM/YYYY'],
      description: ['Transaction Description'],
      amount: { paidIn: 'Credit Amount', paidOut: 'Debit Amount' },
      balance: 'Balance',
      account: 'Account Number',
    },
    sampleHeader:
      'Transaction Date,Transaction Type,Sort Code,Account Number,Transaction Description,Debit Amount,Credit Amount,Balance',
  },
  natwest: {
    banks: 'NatWest, Royal Bank of Scotland, Ulster Bank (online banking)',
    layout: {
      name: 'natwest',
      headerRow: true,
      date: 'Date',
      dateFormats: ['DD/MM/YYYY', 'DD MMM YYYY'],
      description: ['Description'],
      amount: { signed: 'Value' },
      balance: 'Balance',
      account: 'Account Number',
    },
    sampleHeader: 'Date,Type,Description,Value,Balance,Account Name,Account Number',
  },
  bankline: {
    banks: 'NatWest and RBS Bankline (full export, with its title lines above the header)',
    layout: {
      name: 'bankline',
      headerRow: true,
      date: 'Date',
      dateFormats: ['DD/MM/YYYY', 'DD MMM YYYY'],
      description: ['Narrative #1', 'Narrative #2', 'Narrative #3', 'Narrative #4', 'Narrative #5'],
      amount: { paidIn: 'Credit', paidOut: 'Debit' },
      currency: 'Currency',
      account: 'Account Number',
    },
    sampleHeader:
      'Sort Code,Account Number,Account Alias,Account Short Name,Currency,Account Type,BIC,Bank Name,Branch Name,Date,Narrative #1,Narrative #2,Narrative #3,Narrative #4,Narrative #5,Type,Debit,Credit',
  },
  barclays: {
    banks: 'Barclays (online banking and Barclays.Net)',
    layout: {
      name: 'barclays',
      headerRow: true,
      date: 'Date',
      dateFormats: ['DD/MM/YYYY'],
      description: ['Subcategory', 'Memo'],
      amount: { signed: 'Amount' },
      account: 'Account',
    },
    sampleHeader: 'Number,Date,Account,Amount,Subcategory,Memo',
  },
  hsbc: {
    banks: 'HSBC UK (business internet banking: date, description and amount, without a header)',
    layout: {
      name: 'hsbc',
      headerRow: false,
      date: 1,
      dateFormats: ['DD/MM/YYYY', 'DD MMM YYYY'],
      description: [2],
      amount: { signed: 3 },
    },
    sampleHeader: '',
  },
  santander: {
    banks: 'Santander UK (business banking)',
    layout: {
      name: 'santander',
      headerRow: true,
      date: 'Date',
      dateFormats: ['DD/MM/YYYY'],
      description: ['Description'],
      amount: { paidIn: 'Money in', paidOut: 'Money out' },
      balance: 'Balance',
    },
    sampleHeader: 'Date,Description,Money in,Money out,Balance',
  },
  coop: {
    banks: 'The Co-operative Bank (business online banking)',
    layout: {
      name: 'coop',
      headerRow: true,
      date: 'Date',
      dateFormats: ['DD/MM/YYYY'],
      description: ['Transaction'],
      amount: { paidIn: 'Money In', paidOut: 'Money Out' },
      balance: 'Balance',
    },
    sampleHeader: 'Date,Transaction,Money In,Money Out,Balance',
  },
  unity: {
    banks: 'Unity Trust Bank',
    layout: {
      name: 'unity',
      headerRow: true,
      date: 'Date',
      dateFormats: ['DD/MM/YYYY'],
      description: ['Description', 'Reference'],
      amount: { paidIn: 'Credit', paidOut: 'Debit' },
      balance: 'Balance',
    },
    sampleHeader: 'Date,Type,Description,Reference,Debit,Credit,Balance',
  },
  triodos: {
    banks: 'Triodos Bank UK',
    layout: {
      name: 'triodos',
      headerRow: true,
      date: 'Date',
      dateFormats: ['DD/MM/YYYY'],
      description: ['Description', 'Reference'],
      amount: {
        unsigned: 'Amount',
        direction: 'Debit/Credit',
        paidInValues: ['Credit', 'CR', 'C'],
        paidOutValues: ['Debit', 'DR', 'D'],
      },
      balance: 'Balance',
      account: 'Account',
    },
    sampleHeader: 'Date,Account,Amount,Debit/Credit,Description,Reference,Balance',
  },
  caf: {
    banks: 'CAF Bank (CAF Online)',
    layout: {
      name: 'caf',
      headerRow: true,
      date: 'Date',
      dateFormats: ['DD/MM/YYYY', 'DD MMM YYYY'],
      description: ['Narrative'],
      amount: { paidIn: 'Paid In', paidOut: 'Paid Out' },
      balance: 'Balance',
      skipRows: {
        column: 'Narrative',
        values: ['Balance brought forward', 'Opening balance', 'Balance carried forward'],
      },
    },
    sampleHeader: 'Date,Narrative,Transaction Type,Paid Out,Paid In,Balance',
  },
  nationwide: {
    banks: 'Nationwide (its account name and balance lines above the header, Windows-1252, £ amounts)',
    layout: {
      name: 'nationwide',
      headerRow: true,
      date: 'Date',
      dateFormats: ['DD MMM YYYY', 'DD/MM/YYYY'],
      description: ['Description'],
      amount: { paidIn: 'Paid in', paidOut: 'Paid out' },
      balance: 'Balance',
    },
    sampleHeader: 'Date,Transaction type,Description,Paid out,Paid in,Balance',
  },
  metro: {
    banks: 'Metro Bank (business online banking)',
    layout: {
      name: 'metro',
      headerRow: true,
      date: 'Date',
      dateFormats: ['DD/MM/YYYY'],
      description: ['Details'],
      amount: { paidIn: 'In', paidOut: 'Out' },
      balance: 'Balance',
    },
    sampleHeader: 'Date,Details,Transaction Type,In,Out,Balance',
  },
  tsb: {
    banks: 'TSB (business internet banking)',
    layout: {
      name: 'tsb',
      headerRow: true,
      date: 'Transaction date',
      dateFormats: ['DD/MM/YYYY'],
      description: ['Transaction description'],
      amount: { paidIn: 'Credit amount', paidOut: 'Debit amount' },
      balance: 'Balance',
      account: 'Account number',
    },
    sampleHeader:
      'Transaction date,Transaction type,Sort code,Account number,Transaction description,Debit amount,Credit amount,Balance',
  },
  virginmoney: {
    banks: 'Virgin Money and Clydesdale Bank (business)',
    layout: {
      name: 'virginmoney',
      headerRow: true,
      date: 'Transaction Date',
      dateFormats: ['DD/MM/YYYY'],
      description: ['Transaction Description'],
      amount: { signed: 'Transaction Amount' },
      balance: 'Running Balance',
    },
    sampleHeader: 'Transaction Date,Posting Date,Transaction Description,Transaction Amount,Running Balance',
  },
  monzo: {
    banks: 'Monzo Business',
    layout: {
      name: 'monzo',
      headerRow: true,
      date: 'Date',
      dateFormats: ['DD/MM/YYYY'],
      description: ['Name', 'Description'],
      amount: { signed: 'Amount' },
      transactionId: 'Transaction ID',
      currency: 'Currency',
    },
    sampleHeader:
      'Transaction ID,Date,Time,Type,Name,Emoji,Category,Amount,Currency,Local amount,Local currency,Notes and #tags,Address,Receipt,Description,Category split,Money Out,Money In',
  },
  starling: {
    banks: 'Starling Bank (business)',
    layout: {
      name: 'starling',
      headerRow: true,
      date: 'Date',
      dateFormats: ['DD/MM/YYYY'],
      description: ['Counter Party', 'Reference'],
      amount: { signed: 'Amount (GBP)' },
      balance: 'Balance (GBP)',
    },
    sampleHeader: 'Date,Counter Party,Reference,Type,Amount (GBP),Balance (GBP),Spending Category,Notes',
  },
} as const satisfies Record<string, { banks: string; layout: CsvLayout; sampleHeader: string }>;

export type CsvPreset = keyof typeof CSV_PRESETS;
export const CSV_PRESET_NAMES = Object.keys(CSV_PRESETS) as CsvPreset[];
