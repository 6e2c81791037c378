import { describe, expect, it } from 'vitest';
import { formatMoney } from '../../src/domain/money';
import { type ReadBankFile } from '../../src/domain/bank-files/bank-file';
import { parseCsvRecords, readCsvBankFile } from '../../src/domain/bank-files/csv-file';
import { detectCsvPreset } from '../../src/domain/bank-files/csv-detect';
import { csvLayoutOf } from '../../src/domain/bank-files/csv-layouts';
import { CSV_PRESETS, CSV_PRESET_NAMES, type CsvPreset } from '../../src/domain/bank-files/csv-presets';
import { decodeBankFileWithEncoding, refuseNotText } from '../../src/domain/bank-files/decode';
import { DomainError } from '../../src/domain/errors';

const rows = (file: ReadBankFile) =>
  file.lines.map((l) => [l.postedOn, formatMoney(l.amount), l.description, l.lineNumber] as const);

function refusal(run: () => unknown): { line: unknown; reason: unknown } {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    const { extra } = error as DomainError;
    return { line: extra['line'], reason: extra['reason'] };
  }
  throw new Error('expected a refusal');
}

/** One paid-in line of £1,842.60 ("WREXHAM CBC DP Môn") and one paid-out line of £60.00 for each preset's layout. */
const EXPORTS: Record<CsvPreset, string> = {
  lloyds: [
    CSV_PRESETS.lloyds.sampleHeader,
    `05/10/2026,FPO,'30-93-12,12345678,"PAYROLL BUREAU CYF, OCT",60.00,,"1,782.60"`,
    `01/10/2026,BGC,'30-93-12,12345678,WREXHAM CBC DP Môn,,"1,842.60","1,842.60"`,
  ].join('\r\n'),
  natwest: [
    CSV_PRESETS.natwest.sampleHeader,
    `05 Oct 2026,D/D,"PAYROLL BUREAU CYF, OCT",-60.00,1782.60,CYDWEITHFA,600123-12345678`,
    `01 Oct 2026,BAC,WREXHAM CBC DP Môn,1842.60,1842.60,CYDWEITHFA,600123-12345678`,
  ].join('\n'),
  bankline: [
    'Bankline,Full Export',
    'Created on,02/11/2026 09:14',
    '',
    CSV_PRESETS.bankline.sampleHeader,
    `600123,12345678,CYDWEITHFA,CYDWEITHFA,GBP,CURRENT,NWBKGB2L,NATWEST,WREXHAM,01/10/2026,WREXHAM CBC,DP Môn,,,,BAC,,1842.60`,
    `600123,12345678,CYDWEITHFA,CYDWEITHFA,GBP,CURRENT,NWBKGB2L,NATWEST,WREXHAM,05/10/2026,"PAYROLL BUREAU CYF, OCT",,,,,DD,60.00,`,
    ',,,,,,,,,,,,,,,,,',
  ].join('\r\n'),
  barclays: [
    CSV_PRESETS.barclays.sampleHeader,
    `,01/10/2026,20-32-06 13152170,1842.60,Bank Credit,WREXHAM CBC DP Môn`,
    `,05/10/2026,20-32-06 13152170,-60.00,Direct Debit,"PAYROLL BUREAU CYF, OCT"`,
  ].join('\n'),
  hsbc: [`01/10/2026,"WREXHAM CBC DP Môn",1842.60`, `05/10/2026,"PAYROLL BUREAU CYF, OCT",-60.00`].join('\n'),
  santander: [
    CSV_PRESETS.santander.sampleHeader,
    `01/10/2026,WREXHAM CBC DP Môn,£1842.60,,£1842.60`,
    `05/10/2026,"PAYROLL BUREAU CYF, OCT",,£60.00,£1782.60`,
  ].join('\n'),
  coop: [
    CSV_PRESETS.coop.sampleHeader,
    `05/10/2026,"PAYROLL BUREAU CYF, OCT",,60.00,1782.60`,
    `01/10/2026,WREXHAM CBC DP Môn,1842.60,,1842.60`,
  ].join('\n'),
  unity: [
    CSV_PRESETS.unity.sampleHeader,
    `01/10/2026,BGC,WREXHAM CBC,DP Môn,,1842.60,1842.60`,
    `05/10/2026,DD,"PAYROLL BUREAU CYF, OCT",,60.00,,1782.60`,
  ].join('\n'),
  triodos: [
    CSV_PRESETS.triodos.sampleHeader,
    `01/10/2026,16-58-10 20123456,1842.60,Credit,WREXHAM CBC,DP Môn,1842.60`,
    `05/10/2026,16-58-10 20123456,60.00,Debit,"PAYROLL BUREAU CYF, OCT",,1782.60`,
  ].join('\n'),
  caf: [
    CSV_PRESETS.caf.sampleHeader,
    `30/09/2026,Balance brought forward,,,,0.00`,
    `01/10/2026,WREXHAM CBC DP Môn,BGC,,1842.60,1842.60`,
    `05/10/2026,"PAYROLL BUREAU CYF, OCT",DD,60.00,,1782.60`,
  ].join('\n'),
  nationwide: [
    '"Account Name:","Business Current ****45678"',
    '"Account Balance:","£1,782.60"',
    '"Available Balance: ","£1,782.60"',
    '',
    '"Date","Transaction type","Description","Paid out","Paid in","Balance"',
    '"01 Oct 2026","Bank credit","WREXHAM CBC DP Môn","","£1,842.60","£1,842.60"',
    '"05 Oct 2026","Direct debit","PAYROLL BUREAU CYF, OCT","£60.00","","£1,782.60"',
  ].join('\n'),
  metro: [
    CSV_PRESETS.metro.sampleHeader,
    `01/10/2026,WREXHAM CBC DP Môn,Faster Payment,1842.60,,1842.60`,
    `05/10/2026,"PAYROLL BUREAU CYF, OCT",Direct Debit,,60.00,1782.60`,
  ].join('\n'),
  tsb: [
    CSV_PRESETS.tsb.sampleHeader,
    `05/10/2026,DD,77-11-22,87654321,"PAYROLL BUREAU CYF, OCT",60.00,,1782.60`,
    `01/10/2026,BGC,77-11-22,87654321,WREXHAM CBC DP Môn,,1842.60,1842.60`,
  ].join('\n'),
  virginmoney: [
    CSV_PRESETS.virginmoney.sampleHeader,
    `05/10/2026,05/10/2026,"PAYROLL BUREAU CYF, OCT",-60.00,1782.60`,
    `01/10/2026,01/10/2026,WREXHAM CBC DP Môn,1842.60,1842.60`,
  ].join('\n'),
  monzo: [
    CSV_PRESETS.monzo.sampleHeader,
    `tx_0001,01/10/2026,10:02:11,Faster payment,WREXHAM CBC,,Income,1842.60,GBP,1842.60,GBP,,,,DP Môn,,,1842.60`,
    `tx_0002,05/10/2026,09:00:00,Direct Debit,"PAYROLL BUREAU CYF, OCT",,Bills,-60.00,GBP,-60.00,GBP,,,,,,60.00,`,
  ].join('\n'),
  starling: [
    CSV_PRESETS.starling.sampleHeader,
    `01/10/2026,WREXHAM CBC,DP Môn,FASTER PAYMENT,1842.60,1842.60,INCOME,`,
    `05/10/2026,"PAYROLL BUREAU CYF, OCT",,DIRECT DEBIT,-60.00,1782.60,BILLS,`,
  ].join('\n'),
};

describe('every preset reads its own bank export, and format=csv alone recognises it', () => {
  it.each(CSV_PRESET_NAMES)('%s', (preset) => {
    const text = EXPORTS[preset];
    const detected = detectCsvPreset(parseCsvRecords(text));
    // TSB writes Lloyds' header (the two banks were one); either preset reads it the same.
    expect(preset === 'tsb' ? ['tsb', 'lloyds'] : [preset]).toContain(detected.preset);
    for (const layout of [CSV_PRESETS[preset].layout, detected.layout]) {
      const file = readCsvBankFile(text, layout);
      // Barclays puts its Subcategory ("Bank Credit") before the payee.
      const read = rows(file).map(([date, amount, description]) => [
        date,
        amount,
        description.replace(/^(Bank Credit|Direct Debit) /, ''),
      ]);
      expect(read).toEqual([
        ['2026-10-01', '1842.60', expect.stringMatching(/^WREXHAM CBC,? ?DP Môn$/)],
        ['2026-10-05', '-60.00', 'PAYROLL BUREAU CYF, OCT'],
      ]);
    }
  });

  it('says it cannot tell a layout it does not know, and how to describe one', () => {
    const unknown = refusal(() => detectCsvPreset(parseCsvRecords('When,What,How much\n01/10/2026,x,1.00\n')));
    expect(unknown.reason).toMatch(/could not tell which bank's layout it is.*dateColumn/);
  });

  it("passes over Bankline's title lines and Excel's blank trailing rows, listing them", () => {
    const file = readCsvBankFile(EXPORTS.bankline, CSV_PRESETS.bankline.layout);
    expect(file.lines.map((l) => l.lineNumber)).toEqual([5, 6]);
    expect(file.skipped).toEqual([{ lineNumber: 7, reason: 'it is blank' }]);
  });

  it("leaves CAF Bank's balance brought forward out, saying so", () => {
    expect(readCsvBankFile(EXPORTS.caf, CSV_PRESETS.caf.layout).skipped).toEqual([
      { lineNumber: 2, reason: 'it is "Balance brought forward", not a transaction' },
    ]);
  });
});

describe('a generic mapping describes what presets do not', () => {
  it('takes the date of every line from the first line of a daily statement', () => {
    const text = ['Statement for 02/11/2026', 'Details,Amount', 'WREXHAM CBC DP,424.80', 'CHARGE,-8.50'].join('\n');
    const layout = csvLayoutOf({
      headerRow: true,
      skipLines: 1,
      dateFromLine: 1,
      dateFormat: 'DD/MM/YYYY',
      descriptionColumns: ['Details'],
      amountColumn: 'Amount',
    });
    expect(rows(readCsvBankFile(text, layout))).toEqual([
      ['2026-11-02', '424.80', 'WREXHAM CBC DP', 3],
      ['2026-11-02', '-8.50', 'CHARGE', 4],
    ]);
  });

  it('reads an unsigned amount by its CR/DR column, and refuses a value it was not told of', () => {
    const mapping = {
      headerRow: true,
      dateColumn: 'Date',
      dateFormat: 'YYYY/MM/DD',
      descriptionColumns: ['Payee', 'Reference'],
      amountColumn: 'Amount',
      directionColumn: 'CR/DR',
      paidInValues: ['CR'],
      paidOutValues: ['DR'],
    } as const;
    const text = [
      'Date,Payee,Reference,Amount,CR/DR',
      '2026/10/01,WREXHAM CBC,DP-1,424.80,CR',
      '2026/10/02,CAFFI,,8.50,dr',
    ];
    expect(rows(readCsvBankFile(text.join('\n'), csvLayoutOf(mapping)))).toEqual([
      ['2026-10-01', '424.80', 'WREXHAM CBC DP-1', 2],
      ['2026-10-02', '-8.50', 'CAFFI', 3],
    ]);
    const wrong = [...text, '2026/10/03,X,,1.00,C'].join('\n');
    expect(refusal(() => readCsvBankFile(wrong, csvLayoutOf(mapping)))).toMatchObject({ line: 4 });
  });

  it('reads YYYYMMDD dates and dates with a time', () => {
    const text = 'Date,Details,Amount\n20261001,A,1.00\n2026-10-02T14:05:00Z,B,2.00\n';
    const compact = csvLayoutOf({
      headerRow: true,
      dateColumn: 'Date',
      dateFormat: 'YYYYMMDD',
      descriptionColumns: ['Details'],
      amountColumn: 'Amount',
    });
    expect(refusal(() => readCsvBankFile(text, compact))).toMatchObject({ line: 3 });
    expect(rows(readCsvBankFile(text.split('\n').slice(0, 2).join('\n'), compact))).toEqual([
      ['2026-10-01', '1.00', 'A', 2],
    ]);
  });

  it('refuses a EUR line among GBP lines, and a file of two accounts, naming the line', () => {
    const mapping = {
      headerRow: true,
      dateColumn: 'Date',
      dateFormat: 'DD/MM/YYYY',
      descriptionColumns: ['Details'],
      amountColumn: 'Amount',
      currencyColumn: 'Currency',
      accountColumn: 'Account',
    } as const;
    const header = 'Date,Details,Amount,Currency,Account';
    const euro = [header, '01/10/2026,A,1.00,GBP,12345678', '02/10/2026,B,2.00,EUR,12345678'].join('\n');
    expect(refusal(() => readCsvBankFile(euro, csvLayoutOf(mapping)))).toMatchObject({
      line: 3,
      reason: expect.stringContaining('EUR'),
    });
    const two = [header, '01/10/2026,A,1.00,GBP,12345678', '02/10/2026,B,2.00,GBP,87654321'].join('\n');
    const refused = refusal(() => readCsvBankFile(two, csvLayoutOf(mapping)));
    expect(refused).toMatchObject({ line: 3, reason: expect.stringContaining('ending 4321') });
    expect(String(refused.reason)).not.toContain('87654321');
  });
});

describe('decoding a bank file', () => {
  it('decodes a UTF-8 file with one Windows-1252 byte line by line: every Welsh letter stays whole', () => {
    const utf8 = Buffer.from('Date,Details,Amount\n01/10/2026,MÔN ŴYN,1.00\n', 'utf8');
    const cp1252 = Buffer.from([...Buffer.from('02/10/2026,CAFFI '), 0xa3, ...Buffer.from('5,2.00\n')]);
    const decoded = decodeBankFileWithEncoding(new Uint8Array(Buffer.concat([utf8, cp1252])));
    expect(decoded.encoding).toBe('utf-8 and windows-1252');
    expect(decoded.text).toContain('MÔN ŴYN');
    expect(decoded.text).toContain('CAFFI £5');
    expect(decoded.text).not.toContain('Ã');
  });

  it('reads UTF-16 with its byte-order mark', () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Date,Details\n01/10/2026,Môn\n', 'utf16le')]);
    expect(decodeBankFileWithEncoding(new Uint8Array(bytes))).toEqual({
      text: 'Date,Details\n01/10/2026,Môn\n',
      encoding: 'utf-16',
    });
  });

  it('refuses an Excel workbook or a PDF, saying what to export instead', () => {
    const workbook = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]);
    expect(refusal(() => refuseNotText(workbook)).reason).toBe(
      "it looks like an Excel workbook: export it as CSV from your bank's website",
    );
    expect(refusal(() => refuseNotText(new Uint8Array(Buffer.from('%PDF-1.7')))).reason).toMatch(/PDF/);
    expect(refusal(() => refuseNotText(new Uint8Array([0x41, 0x00, 0x42]))).reason).toMatch(/not a text file/);
  });
});
