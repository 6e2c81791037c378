import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  type BankFile,
  DATE_FORMATS,
  cleanDescription,
  invalidBankFile,
  parseBankAmount,
  parseBankDate,
} from '../../src/domain/bank-files/bank-file';
import { readCsvBankFile } from '../../src/domain/bank-files/csv-file';
import type { CsvLayout } from '../../src/domain/bank-files/csv-layouts';
import { CSV_PRESETS } from '../../src/domain/bank-files/csv-presets';
import { decodeBankFile } from '../../src/domain/bank-files/decode';
import { readOfxBankFile } from '../../src/domain/bank-files/ofx-file';
import { dedupeKeysOf } from '../../src/domain/bank-files/statement-order';
import { DomainError } from '../../src/domain/errors';
import { type Money, formatMoney, parseMoney } from '../../src/domain/money';

// ---------------------------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------------------------

const fixtureBytes = (name: string): Uint8Array =>
  new Uint8Array(readFileSync(new URL(`../fixtures/bank/${name}`, import.meta.url)));
const fixtureText = (name: string): string => decodeBankFile(fixtureBytes(name));

const money = (value: Money | null): string | null => (value === null ? null : formatMoney(value));

/** [postedOn, amount, description, runningBalance, lineNumber] for each line, oldest first. */
const rowsOf = (file: BankFile) =>
  file.lines.map((l) => [l.postedOn, formatMoney(l.amount), l.description, money(l.runningBalance), l.lineNumber]);
const balancesOf = (file: BankFile) => ({ opening: money(file.openingBalance), closing: money(file.closingBalance) });

/** Bytes as Windows-1252 for text that only uses ASCII and Latin-1 letters (where 1252 and Latin-1 agree). */
function latin1Bytes(text: string): Uint8Array {
  for (const c of text)
    if (c.codePointAt(0)! > 0xff || (c.codePointAt(0)! >= 0x80 && c.codePointAt(0)! < 0xa0))
      throw new Error(`not a Latin-1 letter: ${c}`);
  return new Uint8Array(Buffer.from(text, 'latin1'));
}

interface Refusal {
  line: unknown;
  reason: unknown;
  detail: string;
}

function asRefusal(error: unknown): Refusal {
  expect(error).toBeInstanceOf(DomainError);
  const domainError = error as DomainError;
  expect(domainError.code).toBe('invalid-bank-file');
  return { line: domainError.extra['line'], reason: domainError.extra['reason'], detail: domainError.detail };
}

function refusalOf(run: () => unknown): Refusal {
  let thrown: unknown = null;
  try {
    run();
  } catch (error) {
    thrown = error;
  }
  if (thrown === null) throw new Error('expected the bank file to be refused, but it was read');
  return asRefusal(thrown);
}

const COOP_LAYOUT: CsvLayout = {
  name: 'generic',
  headerRow: true,
  date: 'Date',
  dateFormats: ['DD/MM/YYYY'],
  description: ['Details'],
  amount: { paidIn: 'Paid in', paidOut: 'Paid out' },
  balance: 'Balance',
};

const LLOYDS = CSV_PRESETS.lloyds.layout;
const NATWEST = CSV_PRESETS.natwest.layout;
const BARCLAYS = CSV_PRESETS.barclays.layout;

const LLOYDS_ROW = (date: string, description: string, debit: string, credit: string, balance: string) =>
  `${date},FPO,'30-93-12,12345678,${description},${debit},${credit},${balance}`;
const BARCLAYS_ROW = (date: string, amount: string, subcategory: string, memo: string) =>
  `,${date},20-32-06 13152170,${amount},${subcategory},${memo}`;

// ---------------------------------------------------------------------------------------------------------------
// Amounts, dates, descriptions
// ---------------------------------------------------------------------------------------------------------------

describe('parseBankAmount', () => {
  const read = (text: string) => {
    const value = parseBankAmount(text);
    return value === null ? null : formatMoney(value);
  };

  it('reads the ways UK banks write money', () => {
    expect(read('£1,234.50')).toBe('1234.50');
    expect(read('1234.5')).toBe('1234.50');
    expect(read('-12.00')).toBe('-12.00');
    expect(read('(12.00)')).toBe('-12.00');
    expect(read('(£1,260.00)')).toBe('-1260.00');
    expect(read('12.00 DR')).toBe('-12.00');
    expect(read('12.00dr')).toBe('-12.00');
    expect(read('12.00 CR')).toBe('12.00');
    expect(read('+5')).toBe('5.00');
    expect(read('  650.00  ')).toBe('650.00');
    expect(read('GBP 10.00')).toBe('10.00');
    expect(read('0.01')).toBe('0.01');
  });

  it('reads an empty cell as no amount', () => {
    expect(read('')).toBeNull();
    expect(read('   ')).toBeNull();
  });

  it('refuses fractions of a penny and text that is not money, quoting it', () => {
    expect(() => parseBankAmount('12.345')).toThrow('"12.345" is not an amount in pounds and pence');
    expect(() => parseBankAmount('abc')).toThrow('"abc" is not an amount in pounds and pence');
    expect(() => parseBankAmount('12.00 EUR')).toThrow(/not an amount in pounds and pence/);
    expect(() => parseBankAmount('1e3')).toThrow(/not an amount/);
    expect(() => parseBankAmount('DR')).toThrow(/not an amount/);
    expect(() => parseBankAmount('1.234,50')).toThrow(/not an amount/);
  });

  // A comma is only a thousands separator between groups of three digits; "12,34" is a decimal comma (or a typo),
  // and reading it as £1,234.00 imports a figure a hundred times too large.
  it('refuses commas that are not thousands separators', () => {
    expect(() => parseBankAmount('12,34')).toThrow(/not an amount/);
    expect(() => parseBankAmount('1,2,3,4.00')).toThrow(/not an amount/);
  });

  // "-12.00 DR" says "paid out" twice; reading it as money paid in turns a debit into a credit. parseBankAmount
  // allows one way of giving the direction (a minus, a CR/DR suffix or brackets) and refuses an amount with two
  // rather than guess which one the bank meant, so "-12.00 DR" is refused, never read at all.
  it('never reads a minus sign with a DR suffix as money paid in: it refuses the amount', () => {
    expect(() => parseBankAmount('-12.00 DR')).toThrow('"-12.00 DR" is not an amount in pounds and pence');
  });
});

describe('parseBankDate', () => {
  it('lists the formats a layout may name', () => {
    expect(DATE_FORMATS).toEqual([
      'DD/MM/YYYY',
      'DD-MM-YYYY',
      'DD/MM/YY',
      'YYYY-MM-DD',
      'DD MMM YYYY',
      'MM/DD/YYYY',
      'YYYY/MM/DD',
      'YYYYMMDD',
      'DD.MM.YYYY',
    ]);
  });

  it('reads each format as an ISO date', () => {
    expect(parseBankDate('31/10/2026', 'DD/MM/YYYY')).toBe('2026-10-31');
    expect(parseBankDate('1/2/2026', 'DD/MM/YYYY')).toBe('2026-02-01');
    expect(parseBankDate(' 05/10/2026 ', 'DD/MM/YYYY')).toBe('2026-10-05');
    expect(parseBankDate('31-10-2026', 'DD-MM-YYYY')).toBe('2026-10-31');
    expect(parseBankDate('31/10/26', 'DD/MM/YY')).toBe('2026-10-31');
    expect(parseBankDate('2026-10-31', 'YYYY-MM-DD')).toBe('2026-10-31');
    expect(parseBankDate('31 Oct 2026', 'DD MMM YYYY')).toBe('2026-10-31');
    expect(parseBankDate('1-oct-2026', 'DD MMM YYYY')).toBe('2026-10-01');
    expect(parseBankDate('30 Sept 2026', 'DD MMM YYYY')).toBe('2026-09-30');
    expect(parseBankDate('10/31/2026', 'MM/DD/YYYY')).toBe('2026-10-31');
    expect(parseBankDate('29/02/2028', 'DD/MM/YYYY')).toBe('2028-02-29');
  });

  it('refuses dates that do not exist', () => {
    expect(() => parseBankDate('31/02/2026', 'DD/MM/YYYY')).toThrow('"31/02/2026" is not a real date');
    expect(() => parseBankDate('29/02/2027', 'DD/MM/YYYY')).toThrow(/not a real date/);
    expect(() => parseBankDate('31/09/2026', 'DD/MM/YYYY')).toThrow(/not a real date/);
    expect(() => parseBankDate('00/10/2026', 'DD/MM/YYYY')).toThrow(/not a real date/);
    expect(() => parseBankDate('12/13/2026', 'DD/MM/YYYY')).toThrow(/not a real date/);
    expect(() => parseBankDate('31/10/2026', 'MM/DD/YYYY')).toThrow(/not a real date/);
    expect(() => parseBankDate('2026-02-30', 'YYYY-MM-DD')).toThrow(/not a real date/);
  });

  it('refuses a date written in another format, naming the format', () => {
    expect(() => parseBankDate('2026-10-31', 'DD/MM/YYYY')).toThrow(
      '"2026-10-31" is not a date in the form DD/MM/YYYY',
    );
    expect(() => parseBankDate('31/10/2026', 'YYYY-MM-DD')).toThrow(
      '"31/10/2026" is not a date in the form YYYY-MM-DD',
    );
    expect(() => parseBankDate('31/10/2026', 'DD/MM/YY')).toThrow(/in the form DD\/MM\/YY/);
    expect(() => parseBankDate('31-10-2026', 'DD/MM/YYYY')).toThrow(/in the form DD\/MM\/YYYY/);
    expect(() => parseBankDate('31 Okt 2026', 'DD MMM YYYY')).toThrow(/in the form DD MMM YYYY/);
    expect(() => parseBankDate('', 'DD/MM/YYYY')).toThrow(/in the form DD\/MM\/YYYY/);
  });
});

describe('cleanDescription and invalidBankFile', () => {
  it('turns control characters into spaces and collapses runs of spaces, keeping Welsh letters and £', () => {
    expect(cleanDescription('  M JONES\tPA WAGES\u0000  HYDREF  ')).toBe('M JONES PA WAGES HYDREF');
    expect(cleanDescription('Gwasanaeth Gofal Tŷ Môn, £45')).toBe('Gwasanaeth Gofal Tŷ Môn, £45');
    expect(cleanDescription('x'.repeat(600))).toBe('x'.repeat(500));
  });

  it('builds the refusal with the line and the reason', () => {
    const error = invalidBankFile(4, 'its amount is zero');
    expect(error).toBeInstanceOf(DomainError);
    expect(error.code).toBe('invalid-bank-file');
    expect(error.extra).toEqual({ line: 4, reason: 'its amount is zero' });
    expect(error.detail).toBe('The bank file was not imported (line 4: its amount is zero).');
    expect(invalidBankFile(null, 'the file is empty').detail).toBe(
      'The bank file was not imported (the file is empty).',
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Decoding bytes
// ---------------------------------------------------------------------------------------------------------------

describe('decodeBankFile', () => {
  it('drops a UTF-8 byte-order mark that is really in the file', () => {
    const bytes = fixtureBytes('lloyds.csv');
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = decodeBankFile(bytes);
    expect(text.charCodeAt(0)).not.toBe(0xfeff);
    expect(text.startsWith('Transaction Date,Transaction Type,')).toBe(true);
  });

  it('reads UTF-8 with Welsh letters as UTF-8', () => {
    const text = decodeBankFile(new Uint8Array(Buffer.from('Tŷ Seibiant, £200 — Môn', 'utf8')));
    expect(text).toBe('Tŷ Seibiant, £200 — Môn');
  });

  it('reads a lone 0xA3 byte (Windows-1252) as £', () => {
    const bytes = Uint8Array.from([
      ...Buffer.from('Cyngor Sir Ynys M'),
      0xf4,
      ...Buffer.from('n '),
      0xa3,
      ...Buffer.from('45.00'),
    ]);
    expect(decodeBankFile(bytes)).toBe('Cyngor Sir Ynys Môn £45.00');
  });

  it('reads empty bytes and a bare byte-order mark as empty text', () => {
    expect(decodeBankFile(new Uint8Array())).toBe('');
    expect(decodeBankFile(Uint8Array.from([0xef, 0xbb, 0xbf]))).toBe('');
  });

  // Windows-1252 differs from Latin-1 in 0x80–0x9F: € ‘ ’ – — are common in bank descriptions.
  it('reads the Windows-1252 punctuation bytes 0x80–0x9F as Windows-1252, not as control characters', () => {
    const bytes = Uint8Array.from([0xa3, 0x80, 0x91, 0x92, 0x96, 0x97]);
    expect(decodeBankFile(bytes)).toBe('£€‘’–—');
  });
});

// ---------------------------------------------------------------------------------------------------------------
// CSV presets, read from realistic fixtures
// ---------------------------------------------------------------------------------------------------------------

describe('readCsvBankFile: Lloyds export (newest first, UTF-8 BOM, CRLF, debit and credit columns)', () => {
  const file = readCsvBankFile(fixtureText('lloyds.csv'), LLOYDS);

  it('reads every line oldest first with its sign, amount, description, balance and file line', () => {
    expect(rowsOf(file)).toEqual([
      ['2026-10-01', '1842.60', 'WREXHAM CBC DP WXM-0001', '6059.95', 9],
      ['2026-10-02', '2310.00', 'Taliad Uniongyrchol — Cyngor Sir y Fflint DP FLT-0007', '8369.95', 8],
      ['2026-10-05', '-1260.00', 'Gofal Cymunedol Cyf, inv 1043, Medi', '7109.95', 7],
      ['2026-10-09', '-480.00', 'CARTREF BRYN AWEL LTD RESPITE', '6629.95', 6],
      ['2026-10-15', '650.00', 'CONWY CBC DP CNW-0042', '7279.95', 5],
      ['2026-10-15', '650.00', 'CONWY CBC DP CNW-0042', '7929.95', 4],
      ['2026-10-20', '-120.00', 'Llety Seibiant Eryri, £120 blaendal', '7809.95', 3],
      ['2026-10-31', '-8.50', 'SERVICE CHARGES REF : 188342561', '7801.45', 2],
    ]);
    expect(file.lines.every((l) => l.bankTransactionId === null)).toBe(true);
  });

  it('works out the opening balance from the oldest line and the closing balance from the newest', () => {
    expect(balancesOf(file)).toEqual({ opening: '4217.35', closing: '7801.45' });
  });

  it('ignores an opening balance given with the upload when the file carries its own balances', () => {
    expect(balancesOf(readCsvBankFile(fixtureText('lloyds.csv'), LLOYDS, parseMoney('1.00')))).toEqual({
      opening: '4217.35',
      closing: '7801.45',
    });
  });

  it('reads the same when the byte-order mark is left in the text', () => {
    const withBom = readFileSync(new URL('../fixtures/bank/lloyds.csv', import.meta.url), 'utf8');
    expect(withBom.charCodeAt(0)).toBe(0xfeff);
    const again = readCsvBankFile(withBom, LLOYDS);
    expect(rowsOf(again)).toEqual(rowsOf(file));
    expect(balancesOf(again)).toEqual(balancesOf(file));
  });
});

describe('readCsvBankFile: NatWest export (newest first, ", " separated, signed Value column)', () => {
  const file = readCsvBankFile(fixtureText('natwest.csv'), NATWEST);

  it('reads every line oldest first', () => {
    expect(rowsOf(file)).toEqual([
      ['2026-10-01', '3120.00', 'CYNGOR GWYNEDD DP GWY-0112', '4125.20', 9],
      ['2026-10-03', '985.40', 'Taliad Uniongyrchol — Cyngor Sir Ynys Môn', '5110.60', 8],
      ['2026-10-06', '-1450.00', 'Gofal Cymunedol Cyf, inv 2219, Medi', '3660.60', 7],
      ['2026-10-12', '-275.00', 'S ROBERTS PA WAGES', '3385.60', 6],
      ['2026-10-12', '-275.00', 'S ROBERTS PA WAGES', '3110.60', 5],
      ['2026-10-19', '-64.99', 'Cymorth Gofal Tŷ, £64.99 offer, ref 88', '3045.61', 4],
      ['2026-10-27', '1210.00', 'WREXHAM CBC DP WXM-0003', '4255.61', 3],
      ['2026-10-30', '-12.00', 'ACCOUNT FEE', '4243.61', 2],
    ]);
  });

  it('works out the opening and closing balances', () => {
    expect(balancesOf(file)).toEqual({ opening: '1005.20', closing: '4243.61' });
  });

  it('also reads NatWest dates written "01 Oct 2026"', () => {
    const text = [
      CSV_PRESETS.natwest.sampleHeader,
      '02 Oct 2026,BAC,CONWY CBC DP CNW-0042,650.00,1650.00,CYDWEITHFA,1',
      '1 Oct 2026,CHG,ACCOUNT FEE,-12.00,1000.00,CYDWEITHFA,1',
    ].join('\n');
    const read = readCsvBankFile(text, NATWEST);
    expect(rowsOf(read)).toEqual([
      ['2026-10-01', '-12.00', 'ACCOUNT FEE', '1000.00', 3],
      ['2026-10-02', '650.00', 'CONWY CBC DP CNW-0042', '1650.00', 2],
    ]);
    expect(balancesOf(read)).toEqual({ opening: '1012.00', closing: '1650.00' });
  });

  it('reads a Windows-1252 export where £ is the single byte 0xA3', () => {
    const text = [
      CSV_PRESETS.natwest.sampleHeader,
      '02/10/2026,BAC,"Cyngor Sir Ynys Môn, DP IOA-0031",985.40,"1,990.60",CYDWEITHFA GOFAL MENAI,600123-12345678',
      '01/10/2026,D/D,"Careline, £45 y chwarter",-45.00,"1,005.20",CYDWEITHFA GOFAL MENAI,600123-12345678',
    ].join('\r\n');
    const bytes = latin1Bytes(text);
    expect(bytes.includes(0xa3)).toBe(true);
    expect(bytes.includes(0xc2)).toBe(false); // no UTF-8 "£" (C2 A3) anywhere
    const read = readCsvBankFile(decodeBankFile(bytes), NATWEST);
    expect(rowsOf(read)).toEqual([
      ['2026-10-01', '-45.00', 'Careline, £45 y chwarter', '1005.20', 3],
      ['2026-10-02', '985.40', 'Cyngor Sir Ynys Môn, DP IOA-0031', '1990.60', 2],
    ]);
    expect(balancesOf(read)).toEqual({ opening: '1050.20', closing: '1990.60' });
  });
});

describe('readCsvBankFile: Barclays export (oldest first, no balance column, description from two columns)', () => {
  const file = readCsvBankFile(fixtureText('barclays.csv'), BARCLAYS);

  it('reads every line, joining Subcategory and Memo and tidying the padding', () => {
    expect(rowsOf(file)).toEqual([
      ['2026-10-01', '1575.25', 'Bank Credit DENBIGHSHIRE CC DP DEN-0009', null, 2],
      ['2026-10-07', '-890.00', 'Bill Payment GOFAL CYMUNEDOL CYF, INV 1188 BBP', null, 3],
      ['2026-10-14', '430.00', 'Counter Credit Taliad Uniongyrchol — Cyngor Sir y Fflint', null, 4],
      ['2026-10-21', '-312.50', 'Funds Transfer M JONES PA WAGES HYDREF', null, 5],
      ['2026-10-21', '-312.50', 'Funds Transfer M JONES PA WAGES HYDREF', null, 6],
      ['2026-10-24', '-45.00', 'Direct Debit CARELINE ALARMS, £45 QTR', null, 7],
      ['2026-10-28', '-7.50', 'Charges COMMISSION CHARGES', null, 8],
    ]);
  });

  it('has no balances of its own unless an opening balance comes with the upload', () => {
    expect(balancesOf(file)).toEqual({ opening: null, closing: null });
    expect(balancesOf(readCsvBankFile(fixtureText('barclays.csv'), BARCLAYS, parseMoney('2000.00')))).toEqual({
      opening: '2000.00',
      closing: '2437.75',
    });
  });

  it('puts a newest-first Barclays export oldest first too', () => {
    const lines = fixtureText('barclays.csv').trim().split('\r\n');
    const newestFirst = [lines[0], ...lines.slice(1).reverse()].join('\r\n');
    const read = readCsvBankFile(newestFirst, BARCLAYS);
    expect(read.lines.map((l) => [l.postedOn, formatMoney(l.amount), l.lineNumber])).toEqual([
      ['2026-10-01', '1575.25', 8],
      ['2026-10-07', '-890.00', 7],
      ['2026-10-14', '430.00', 6],
      ['2026-10-21', '-312.50', 5],
      ['2026-10-21', '-312.50', 4],
      ['2026-10-24', '-45.00', 3],
      ['2026-10-28', '-7.50', 2],
    ]);
  });
});

describe('CSV presets match their sample headers', () => {
  it.each([
    [
      'lloyds',
      `01/10/2026,BGC,'30-93-12,12345678,WREXHAM CBC DP WXM-0001,,1842.60,6059.95`,
      '1842.60',
      'WREXHAM CBC DP WXM-0001',
    ],
    [
      'natwest',
      '01/10/2026,BAC,WREXHAM CBC DP WXM-0001,1842.60,6059.95,CYDWEITHFA,600123-12345678',
      '1842.60',
      'WREXHAM CBC DP WXM-0001',
    ],
    [
      'barclays',
      ',01/10/2026,20-32-06 13152170,1842.60,Bank Credit,WREXHAM CBC DP WXM-0001',
      '1842.60',
      'Bank Credit WREXHAM CBC DP WXM-0001',
    ],
  ] as const)('%s', (preset, row, amount, description) => {
    const read = readCsvBankFile(`${CSV_PRESETS[preset].sampleHeader}\n${row}\n`, CSV_PRESETS[preset].layout);
    expect(read.lines.map((l) => [l.postedOn, formatMoney(l.amount), l.description])).toEqual([
      ['2026-10-01', amount, description],
    ]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Generic layouts
// ---------------------------------------------------------------------------------------------------------------

describe('readCsvBankFile: generic layouts', () => {
  it('reads a co-operative-bank style export with Paid in / Paid out columns, £ signs and thousands commas', () => {
    const file = readCsvBankFile(fixtureText('coop-generic.csv'), COOP_LAYOUT);
    expect(rowsOf(file)).toEqual([
      ['2026-10-01', '2040.00', 'WREXHAM CBC DP WXM-0001', '14540.00', 2],
      ['2026-10-04', '1118.75', 'Taliad Uniongyrchol — Cyngor Sir y Fflint', '15658.75', 3],
      ['2026-10-08', '-3600.00', 'Gofal Cymunedol Cyf, inv 77, Hydref', '12058.75', 4],
      ['2026-10-16', '500.00', 'CONWY CBC DP CNW-0042', '12558.75', 5],
      ['2026-10-16', '500.00', 'CONWY CBC DP CNW-0042', '13058.75', 6],
      ['2026-10-22', '-200.00', 'Tŷ Seibiant, £200 blaendal', '12858.75', 7],
      ['2026-10-31', '-5.00', 'Monthly account fee', '12853.75', 8],
    ]);
    expect(balancesOf(file)).toEqual({ opening: '12500.00', closing: '12853.75' });
  });

  it('matches header names whatever their case and spacing', () => {
    const text =
      ' date , DETAILS ,paid in,Paid Out,balance\n01/10/2026,CONWY CBC DP CNW-0042,£500.00,,£600.00\n02/10/2026,Gofal Cymunedol Cyf,,£100.00,£500.00\n';
    const file = readCsvBankFile(text, COOP_LAYOUT);
    expect(rowsOf(file)).toEqual([
      ['2026-10-01', '500.00', 'CONWY CBC DP CNW-0042', '600.00', 2],
      ['2026-10-02', '-100.00', 'Gofal Cymunedol Cyf', '500.00', 3],
    ]);
  });

  it('reads a paid-out column written negative, or with a zero in the other column, as money paid out', () => {
    const text =
      'Date,Details,Paid in,Paid out\n01/10/2026,Gofal Cymunedol Cyf,,-100.00\n02/10/2026,CONWY CBC DP CNW-0042,50.00,0.00\n03/10/2026,SERVICE CHARGE,0.00,2.50\n';
    const file = readCsvBankFile(text, { ...COOP_LAYOUT, balance: undefined }, parseMoney('1000.00'));
    expect(file.lines.map((l) => formatMoney(l.amount))).toEqual(['-100.00', '50.00', '-2.50']);
    expect(balancesOf(file)).toEqual({ opening: '1000.00', closing: '947.50' });
  });

  it('reads a file without a header row by column numbers, with the bank transaction id', () => {
    const text = [
      '2026-10-01,CU-88120,WREXHAM CBC DP WXM-0001,1842.60',
      '2026-10-05,CU-88133,"Gofal Cymunedol Cyf, inv 1043",-1260.00',
      '2026-10-15,CU-88170,CONWY CBC DP CNW-0042,650.00',
      '2026-10-15,CU-88171,CONWY CBC DP CNW-0042,650.00',
    ].join('\n');
    const layout: CsvLayout = {
      name: 'generic',
      headerRow: false,
      date: 1,
      dateFormats: ['YYYY-MM-DD'],
      description: [3],
      amount: { signed: 4 },
      transactionId: 2,
    };
    const file = readCsvBankFile(text, layout, parseMoney('100.00'));
    expect(
      file.lines.map((l) => [
        l.lineNumber,
        l.postedOn,
        formatMoney(l.amount),
        l.description,
        l.bankTransactionId,
        l.runningBalance,
      ]),
    ).toEqual([
      [1, '2026-10-01', '1842.60', 'WREXHAM CBC DP WXM-0001', 'CU-88120', null],
      [2, '2026-10-05', '-1260.00', 'Gofal Cymunedol Cyf, inv 1043', 'CU-88133', null],
      [3, '2026-10-15', '650.00', 'CONWY CBC DP CNW-0042', 'CU-88170', null],
      [4, '2026-10-15', '650.00', 'CONWY CBC DP CNW-0042', 'CU-88171', null],
    ]);
    expect(balancesOf(file)).toEqual({ opening: '100.00', closing: '1982.60' });
    expect(dedupeKeysOf(file.lines)).toEqual(['id:CU-88120', 'id:CU-88133', 'id:CU-88170', 'id:CU-88171']);
  });

  it('reads a headerless file with a numeric balance column and chains it', () => {
    const text =
      '31/10/2026,SERVICE CHARGES,-8.50,7801.45\n20/10/2026,"Llety Seibiant Eryri, £120",-120.00,7809.95\n15/10/2026,CONWY CBC DP CNW-0042,650.00,7929.95\n';
    const layout: CsvLayout = {
      name: 'generic',
      headerRow: false,
      date: 1,
      dateFormats: ['DD/MM/YYYY'],
      description: [2],
      amount: { signed: 3 },
      balance: 4,
    };
    const file = readCsvBankFile(text, layout);
    expect(rowsOf(file)).toEqual([
      ['2026-10-15', '650.00', 'CONWY CBC DP CNW-0042', '7929.95', 3],
      ['2026-10-20', '-120.00', 'Llety Seibiant Eryri, £120', '7809.95', 2],
      ['2026-10-31', '-8.50', 'SERVICE CHARGES', '7801.45', 1],
    ]);
    expect(balancesOf(file)).toEqual({ opening: '7279.95', closing: '7801.45' });
  });

  it('joins several description columns with a space and leaves out an empty one', () => {
    const text =
      'Date,Payee,Reference,Amount\n01/10/2026,WREXHAM CBC,DP WXM-0001,1842.60\n02/10/2026,Gofal Cymunedol Cyf,,-100.00\n';
    const layout: CsvLayout = {
      name: 'generic',
      headerRow: true,
      date: 'Date',
      dateFormats: ['DD/MM/YYYY'],
      description: ['Payee', 'Reference'],
      amount: { signed: 'Amount' },
    };
    expect(readCsvBankFile(text, layout).lines.map((l) => l.description)).toEqual([
      'WREXHAM CBC DP WXM-0001',
      'Gofal Cymunedol Cyf',
    ]);
  });

  it("tries a layout's date formats in turn", () => {
    const text = 'Date,Details,Amount\n01/10/2026,A,1.00\n2026-10-02,B,2.00\n';
    const layout: CsvLayout = {
      name: 'generic',
      headerRow: true,
      date: 'Date',
      dateFormats: ['DD/MM/YYYY', 'YYYY-MM-DD'],
      description: ['Details'],
      amount: { signed: 'Amount' },
    };
    expect(readCsvBankFile(text, layout).lines.map((l) => l.postedOn)).toEqual(['2026-10-01', '2026-10-02']);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Malformed CSV files
// ---------------------------------------------------------------------------------------------------------------

describe('readCsvBankFile refuses malformed files, naming the line and the reason', () => {
  const barclays = (...rows: string[]) => [CSV_PRESETS.barclays.sampleHeader, ...rows].join('\n') + '\n';

  it('a date that does not exist on line 4', () => {
    const text = barclays(
      BARCLAYS_ROW('01/10/2026', '1575.25', 'Bank Credit', 'DENBIGHSHIRE CC DP DEN-0009'),
      BARCLAYS_ROW('07/10/2026', '-890.00', 'Bill Payment', '"GOFAL CYMUNEDOL CYF, INV 1188"'),
      BARCLAYS_ROW('31/09/2026', '430.00', 'Counter Credit', 'CONWY CBC DP CNW-0042'),
      BARCLAYS_ROW('21/10/2026', '-312.50', 'Funds Transfer', 'M JONES PA WAGES'),
    );
    const refusal = refusalOf(() => readCsvBankFile(text, BARCLAYS));
    expect(refusal.line).toBe(4);
    expect(refusal.reason).toBe('"31/09/2026" is not a real date');
    expect(refusal.detail).toBe('The bank file was not imported (line 4: "31/09/2026" is not a real date).');
  });

  it('a date in the wrong format on line 4, counting blank lines and CRLF', () => {
    const text = [
      CSV_PRESETS.barclays.sampleHeader,
      BARCLAYS_ROW('01/10/2026', '1.00', 'Bank Credit', 'A'),
      '',
      BARCLAYS_ROW('2026-10-02', '2.00', 'Bank Credit', 'B'),
    ].join('\r\n');
    const refusal = refusalOf(() => readCsvBankFile(text, BARCLAYS));
    expect(refusal.line).toBe(4);
    expect(refusal.reason).toBe('"2026-10-02" is not a date in the form DD/MM/YYYY');
  });

  it('an amount to a fraction of a penny', () => {
    const refusal = refusalOf(() =>
      readCsvBankFile(
        barclays(
          BARCLAYS_ROW('01/10/2026', '1.00', 'Bank Credit', 'A'),
          BARCLAYS_ROW('02/10/2026', '12.345', 'Bank Credit', 'B'),
        ),
        BARCLAYS,
      ),
    );
    expect(refusal).toMatchObject({ line: 3, reason: '"12.345" is not an amount in pounds and pence' });
  });

  it('leaves out a line that moves no money, listing it, and reads the rest', () => {
    const read = readCsvBankFile(
      barclays(
        BARCLAYS_ROW('01/10/2026', '1.00', 'Bank Credit', 'A'),
        BARCLAYS_ROW('02/10/2026', '0.00', 'Bank Credit', 'B'),
      ),
      BARCLAYS,
    );
    expect(read.lines.map((l) => l.lineNumber)).toEqual([2]);
    expect(read.skipped).toEqual([{ lineNumber: 3, reason: 'it moves no money' }]);
  });

  it('a paid-in/paid-out line with neither amount nor balance, or with both amounts', () => {
    const header = CSV_PRESETS.lloyds.sampleHeader;
    const neither = [
      header,
      LLOYDS_ROW('02/10/2026', 'B', '', '', ''),
      LLOYDS_ROW('01/10/2026', 'A', '10.00', '', '90.00'),
    ].join('\n');
    expect(refusalOf(() => readCsvBankFile(neither, LLOYDS))).toMatchObject({ line: 2, reason: 'it has no amount' });
    const balanceOnly = [
      header,
      LLOYDS_ROW('02/10/2026', 'Balance brought forward', '', '', '90.00'),
      LLOYDS_ROW('01/10/2026', 'A', '10.00', '', '90.00'),
    ].join('\n');
    expect(readCsvBankFile(balanceOnly, LLOYDS).skipped).toEqual([
      { lineNumber: 2, reason: 'it gives a balance and moves no money' },
    ]);
    const both = [
      header,
      LLOYDS_ROW('02/10/2026', 'B', '5.00', '5.00', '90.00'),
      LLOYDS_ROW('01/10/2026', 'A', '10.00', '', '90.00'),
    ].join('\n');
    expect(refusalOf(() => readCsvBankFile(both, LLOYDS))).toMatchObject({
      line: 2,
      reason: 'it has both a paid-in and a paid-out amount',
    });
    const zeroes = [header, LLOYDS_ROW('02/10/2026', 'B', '0.00', '0.00', '90.00')].join('\n');
    expect(refusalOf(() => readCsvBankFile(zeroes, LLOYDS))).toMatchObject({ reason: 'it has no transactions' });
  });

  it('a missing column, naming it, the layout and the header found', () => {
    const refusal = refusalOf(() => readCsvBankFile(fixtureText('natwest.csv'), LLOYDS));
    expect(refusal.line).toBe(1);
    expect(refusal.reason).toBe(
      'there is no column "Transaction Date" as the lloyds layout expects; the header is: Date, Type, Description, Value, Balance, Account Name, Account Number',
    );
    const generic = refusalOf(() =>
      readCsvBankFile(fixtureText('barclays.csv'), { ...COOP_LAYOUT, date: 'Date', description: ['Details'] }),
    );
    expect(generic.line).toBe(1);
    expect(generic.reason).toBe(
      'there is no column "Details"; the header is: Number, Date, Account, Amount, Subcategory, Memo',
    );
  });

  it('a column number below 1', () => {
    const layout: CsvLayout = {
      name: 'generic',
      headerRow: false,
      date: 0,
      dateFormats: ['DD/MM/YYYY'],
      description: [2],
      amount: { signed: 3 },
    };
    expect(refusalOf(() => readCsvBankFile('01/10/2026,A,1.00\n', layout))).toMatchObject({
      line: null,
      reason: 'column 0 does not exist',
    });
  });

  it('a running balance that does not follow, naming the line that breaks the chain', () => {
    const text = fixtureText('lloyds.csv').replace('120.00,,7809.95', '120.00,,7809.59');
    const refusal = refusalOf(() => readCsvBankFile(text, LLOYDS));
    expect(refusal.line).toBe(3);
    expect(refusal.reason).toBe('the balance 7809.59 does not follow from the line before it and this amount');
  });

  it('a balance column that is really another column (chain broken at the second line in date order)', () => {
    const swapped = { ...LLOYDS, balance: 'Account Number' };
    const refusal = refusalOf(() => readCsvBankFile(fixtureText('lloyds.csv'), swapped));
    expect(refusal.line).toBe(8);
    expect(refusal.reason).toBe('the balance 12345678.00 does not follow from the line before it and this amount');
  });

  it('dates that are neither oldest first nor newest first', () => {
    const text = barclays(
      BARCLAYS_ROW('01/10/2026', '1.00', 'Bank Credit', 'A'),
      BARCLAYS_ROW('05/10/2026', '2.00', 'Bank Credit', 'B'),
      BARCLAYS_ROW('03/10/2026', '3.00', 'Bank Credit', 'C'),
      BARCLAYS_ROW('09/10/2026', '4.00', 'Bank Credit', 'D'),
    );
    expect(refusalOf(() => readCsvBankFile(text, BARCLAYS))).toMatchObject({
      line: 4,
      reason: 'the dates are not in order, oldest or newest first',
    });
  });

  it('an empty file, a file that is only a byte-order mark, and a header with no transactions', () => {
    expect(refusalOf(() => readCsvBankFile('', BARCLAYS))).toMatchObject({ line: null, reason: 'the file is empty' });
    expect(refusalOf(() => readCsvBankFile('\r\n\r\n', BARCLAYS))).toMatchObject({
      line: null,
      reason: 'the file is empty',
    });
    expect(
      refusalOf(() => readCsvBankFile(decodeBankFile(Uint8Array.from([0xef, 0xbb, 0xbf])), BARCLAYS)),
    ).toMatchObject({ line: null, reason: 'the file is empty' });
    expect(refusalOf(() => readCsvBankFile(`${CSV_PRESETS.barclays.sampleHeader}\r\n`, BARCLAYS))).toMatchObject({
      line: null,
      reason: 'it has no transactions',
    });
  });

  const unclosed = barclays(
    BARCLAYS_ROW('01/10/2026', '1575.25', 'Bank Credit', 'DENBIGHSHIRE CC DP DEN-0009'),
    BARCLAYS_ROW('07/10/2026', '-890.00', 'Bill Payment', '"GOFAL CYMUNEDOL CYF, INV 1188'), // line 3: the quote is never closed
    BARCLAYS_ROW('14/10/2026', '430.00', 'Counter Credit', 'CONWY CBC DP CNW-0042'),
    BARCLAYS_ROW('21/10/2026', '-312.50', 'Funds Transfer', 'M JONES PA WAGES'),
  );

  it('an unclosed quote, as a refusal with a line and a reason about the quote', () => {
    const refusal = refusalOf(() => readCsvBankFile(unclosed, BARCLAYS));
    expect(typeof refusal.line).toBe('number');
    expect(String(refusal.reason)).toMatch(/quote/i);
  });

  it('an unclosed quote, naming the line where the quoted field starts (so the treasurer can find it)', () => {
    expect(refusalOf(() => readCsvBankFile(unclosed, BARCLAYS)).line).toBe(3);
  });

  it('a stray character after a closing quote', () => {
    const text = barclays(
      BARCLAYS_ROW('01/10/2026', '1.00', 'Bank Credit', 'A'),
      BARCLAYS_ROW('02/10/2026', '2.00', 'Bank Credit', '"GOFAL"X'),
    );
    const refusal = refusalOf(() => readCsvBankFile(text, BARCLAYS));
    expect(refusal.line).toBe(3);
    expect(String(refusal.reason)).toMatch(/closing quote/i);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// OFX
// ---------------------------------------------------------------------------------------------------------------

describe('readOfxBankFile: OFX 1.0.2 (SGML, CRLF, CHARSET:1252)', () => {
  it('is really Windows-1252 with CRLF line endings and unclosed leaf elements', () => {
    const bytes = fixtureBytes('ofx1.ofx');
    expect(bytes.includes(0xa3)).toBe(true);
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
    const text = decodeBankFile(bytes);
    expect(text).toContain('VERSION:102\r\n');
    expect(text).toContain('CHARSET:1252\r\n');
    expect(text).toContain('<TRNAMT>-1260.00\r\n<FITID>');
    expect(text).not.toContain('</TRNAMT>');
  });

  it('reads every transaction oldest first with its FITID, the line of its <STMTTRN>, and the balances', () => {
    const file = readOfxBankFile(fixtureText('ofx1.ofx'));
    expect(
      file.lines.map((l) => [l.postedOn, formatMoney(l.amount), l.bankTransactionId, l.lineNumber, l.runningBalance]),
    ).toEqual([
      ['2026-10-01', '1842.60', '202610010000001', 39, null],
      ['2026-10-02', '2310.00', '202610020000002', 47, null],
      ['2026-10-05', '-1260.00', '202610050000003', 55, null],
      ['2026-10-09', '-480.00', '202610090000004', 63, null],
      ['2026-10-15', '650.00', '202610150000005', 71, null],
      ['2026-10-15', '650.00', '202610150000006', 79, null],
      ['2026-10-20', '-120.00', '202610200000007', 87, null],
      ['2026-10-31', '-8.50', '202610310000008', 95, null],
    ]);
    expect(balancesOf(file)).toEqual({ opening: '4217.35', closing: '7801.45' });
  });

  it('joins NAME and MEMO (once when they are the same), keeping £, Welsh and commas', () => {
    const file = readOfxBankFile(fixtureText('ofx1.ofx'));
    const descriptions = file.lines.map((l) => l.description);
    expect(descriptions[0]).toBe('WREXHAM CBC DP WXM-0001');
    expect(descriptions.slice(2)).toEqual([
      'Gofal Cymunedol Cyf inv 1043, Medi',
      'CARTREF BRYN AWEL LTD RESPITE',
      'CONWY CBC DP CNW-0042',
      'CONWY CBC DP CNW-0042',
      'LLETY SEIBIANT ERYRI £120 blaendal, Hydref',
      'SERVICE CHARGES',
    ]);
  });

  it('keeps the Windows-1252 em dash (byte 0x97) in a Welsh description', () => {
    const file = readOfxBankFile(fixtureText('ofx1.ofx'));
    expect(file.lines[1]!.description).toBe('CYNGOR SIR Y FFLINT Taliad Uniongyrchol — DP FLT-0007');
  });
});

describe('readOfxBankFile: OFX 2.1.1 (XML, UTF-8)', () => {
  it('reads every transaction oldest first with its FITID, description and the balances', () => {
    const file = readOfxBankFile(fixtureText('ofx2.ofx'));
    expect(
      file.lines.map((l) => [l.postedOn, formatMoney(l.amount), l.bankTransactionId, l.description, l.lineNumber]),
    ).toEqual([
      ['2026-10-01', '3120.00', 'NW0000000001', 'CYNGOR GWYNEDD DP GWY-0112', 31],
      ['2026-10-03', '985.40', 'NW0000000002', 'CYNGOR SIR YNYS MÔN Taliad Uniongyrchol — DP IOA-0031', 39],
      ['2026-10-06', '-1450.00', 'NW0000000003', 'Hughes & Merched Gofal Cyf inv 2219, Medi', 47],
      ['2026-10-12', '-275.00', 'NW0000000004', 'S ROBERTS PA WAGES', 55],
      ['2026-10-12', '-275.00', 'NW0000000005', 'S ROBERTS PA WAGES', 63],
      ['2026-10-19', '-64.99', 'NW0000000006', 'Cymorth Gofal Tŷ £64.99 offer, ref 88', 71],
      ['2026-10-27', '1210.00', 'NW0000000007', 'WREXHAM CBC DP WXM-0003', 79],
      ['2026-10-30', '-12.00', 'NW0000000008', 'ACCOUNT FEE', 87],
    ]);
    expect(balancesOf(file)).toEqual({ opening: '1005.20', closing: '4243.61' });
  });

  it('leaves the balances unknown without a LEDGERBAL', () => {
    const text = fixtureText('ofx2.ofx').replace(/<LEDGERBAL>[\s\S]*?<\/LEDGERBAL>/, '');
    const file = readOfxBankFile(text);
    expect(file.lines).toHaveLength(8);
    expect(balancesOf(file)).toEqual({ opening: null, closing: null });
  });

  it('reads a decimal comma and a plus sign in TRNAMT', () => {
    const text = fixtureText('ofx2.ofx')
      .replace('<TRNAMT>-12.00<', '<TRNAMT>-12,00<')
      .replace('<TRNAMT>1210.00<', '<TRNAMT>+1210.00<');
    const file = readOfxBankFile(text);
    expect(file.lines.slice(-2).map((l) => formatMoney(l.amount))).toEqual(['1210.00', '-12.00']);
    expect(balancesOf(file)).toEqual({ opening: '1005.20', closing: '4243.61' });
  });

  it('reads a credit-card statement', () => {
    const text = fixtureText('ofx2.ofx')
      .replace('<BANKMSGSRSV1>', '<CREDITCARDMSGSRSV1>')
      .replace('</BANKMSGSRSV1>', '</CREDITCARDMSGSRSV1>')
      .replace('<STMTTRNRS>', '<CCSTMTTRNRS>')
      .replace('</STMTTRNRS>', '</CCSTMTTRNRS>')
      .replace('<STMTRS>', '<CCSTMTRS>')
      .replace('</STMTRS>', '</CCSTMTRS>');
    const file = readOfxBankFile(text);
    expect(file.lines.map((l) => l.bankTransactionId)).toEqual([
      'NW0000000001',
      'NW0000000002',
      'NW0000000003',
      'NW0000000004',
      'NW0000000005',
      'NW0000000006',
      'NW0000000007',
      'NW0000000008',
    ]);
    expect(balancesOf(file)).toEqual({ opening: '1005.20', closing: '4243.61' });
  });
});

describe('readOfxBankFile refuses what it cannot import', () => {
  it('a file that is not OFX', () => {
    expect(refusalOf(() => readOfxBankFile(fixtureText('lloyds.csv')))).toMatchObject({
      line: null,
      reason: 'it has no bank statement in it',
    });
    expect(refusalOf(() => readOfxBankFile('<html><body>Your session has expired</body></html>'))).toMatchObject({
      line: null,
      reason: 'it has no bank statement in it',
    });
  });

  it('a truncated OFX file', () => {
    const text = fixtureText('ofx2.ofx');
    const refusal = refusalOf(() => readOfxBankFile(text.slice(0, text.indexOf('</BANKTRANLIST>'))));
    expect(refusal.line).toBeNull();
    expect(String(refusal.reason)).toMatch(/^it is not a readable OFX file: /);
  });

  it('an account in another currency', () => {
    const refusal = refusalOf(() => readOfxBankFile(fixtureText('ofx1.ofx').replace('<CURDEF>GBP', '<CURDEF>EUR')));
    expect(refusal).toMatchObject({ line: null, reason: 'the account is in EUR, not GBP' });
    const xml = refusalOf(() => readOfxBankFile(fixtureText('ofx2.ofx').replace('<CURDEF>GBP<', '<CURDEF>USD<')));
    expect(xml).toMatchObject({ line: null, reason: 'the account is in USD, not GBP' });
  });

  it('statements for two accounts', () => {
    const text = fixtureText('ofx2.ofx');
    const wrapper = /<STMTTRNRS>[\s\S]*<\/STMTTRNRS>/.exec(text)![0];
    const twice = text.replace(wrapper, `${wrapper}\n${wrapper}`);
    expect(refusalOf(() => readOfxBankFile(twice))).toMatchObject({
      line: null,
      reason: 'it holds statements for more than one account; export one account at a time',
    });
  });

  it('a transaction with a zero amount, naming the line of its <STMTTRN>', () => {
    const refusal = refusalOf(() =>
      readOfxBankFile(fixtureText('ofx1.ofx').replace('<TRNAMT>-480.00', '<TRNAMT>0.00')),
    );
    expect(refusal).toMatchObject({ line: 63, reason: 'its amount is zero' });
  });

  it('a transaction with a date that does not exist, or an amount to a fraction of a penny', () => {
    const badDate = refusalOf(() =>
      readOfxBankFile(fixtureText('ofx2.ofx').replace('20261006120000.000[0:GMT]', '20260231120000.000[0:GMT]')),
    );
    expect(badDate).toMatchObject({ line: 47, reason: '"20260231120000.000[0:GMT]" is not an OFX date' });
    const badAmount = refusalOf(() =>
      readOfxBankFile(fixtureText('ofx2.ofx').replace('<TRNAMT>-64.99<', '<TRNAMT>-64.999<')),
    );
    expect(badAmount).toMatchObject({ line: 71, reason: '"-64.999" is not an amount in pounds and pence' });
  });

  it('a transaction without an amount', () => {
    const refusal = refusalOf(() => readOfxBankFile(fixtureText('ofx1.ofx').replace('<TRNAMT>1842.60\r\n', '')));
    expect(refusal).toMatchObject({ line: 39, reason: 'it has no TRNAMT' });
  });

  it('a statement with no transactions', () => {
    const text = fixtureText('ofx2.ofx').replace(/<STMTTRN>[\s\S]*<\/STMTTRN>/, '');
    expect(refusalOf(() => readOfxBankFile(text))).toMatchObject({
      line: null,
      reason: 'it has no transactions',
    });
  });
});

describe('readOfxBankFile: what banks write beyond the plain case', () => {
  it('reads synchronously', () => {
    const file = readOfxBankFile(fixtureText('ofx2.ofx'));
    expect(file).not.toBeInstanceOf(Promise);
    expect(file.lines).toHaveLength(8);
  });

  it('reads OFX 2 with CDATA, entities, comments and an ORIGCURRENCY already in pounds', () => {
    const file = readOfxBankFile(fixtureText('ofx-cdata.ofx'));
    expect(
      file.lines.map((l) => [l.postedOn, formatMoney(l.amount), l.bankTransactionId, l.description, l.lineNumber]),
    ).toEqual([
      ['2026-10-02', '1500.00', 'CO-2026-10-02-001', 'CYNGOR SIR DDINBYCH & CONWY DP <DEN-0009> Hydref', 37],
      ['2026-10-08', '-420.50', 'CO-2026-10-08-001', "Gofal Cartref Tŷ'r Ŵyn inv 77 £420.50 — Medi", 45],
      ['2026-10-15', '-250.00', 'CO-2026-10-15-001', 'M "Mari" Jones PA wages Hydref', 54],
      ['2026-10-31', '-5.00', 'CO-2026-10-31-001', 'CHARGES', 66],
    ]);
    expect(balancesOf(file)).toEqual({ opening: '2000.00', closing: '2824.50' });
  });

  it('imports the lines without balances when the SGML BALAMT is empty', () => {
    const bytes = fixtureBytes('ofx-sgml-empty-balamt.ofx');
    expect(decodeBankFile(bytes)).toContain('<BALAMT>\r\n<DTASOF>20261031\r\n</LEDGERBAL>');
    const file = readOfxBankFile(decodeBankFile(bytes));
    expect(rowsOf(file)).toEqual([
      ['2026-10-01', '880.00', 'CYNGOR SIR YNYS MON DP IOA-0031 Hydref', null, 39],
      ['2026-10-06', '-312.40', 'Cymorth Môn Cyf inv 5521, £312.40 & mileage', null, 47],
      ['2026-10-20', '-48.00', 'CARELINE', null, 55],
    ]);
    expect(balancesOf(file)).toEqual({ opening: null, closing: null });
  });

  it('imports the lines without balances when an XML BALAMT is empty, however it is written', () => {
    const ledger = /<BALAMT>4243.61<\/BALAMT>/;
    for (const empty of ['<BALAMT/>', '<BALAMT></BALAMT>', '<BALAMT> </BALAMT>'])
      expect(balancesOf(readOfxBankFile(fixtureText('ofx2.ofx').replace(ledger, empty)))).toEqual({
        opening: null,
        closing: null,
      });
  });

  it('reads a credit-card statement whose amounts carry extra zeros', () => {
    const file = readOfxBankFile(fixtureText('ofx-creditcard.ofx'));
    expect(file.lines.map((l) => [l.postedOn, formatMoney(l.amount), l.description, l.lineNumber])).toEqual([
      ['2026-10-03', '-30.00', 'TESCO STORES 2291', 44],
      ['2026-10-11', '-3.77', 'RINGGO PARKING WREXHAM', 51],
      ['2026-10-25', '150.00', 'PAYMENT THANK YOU', 59],
    ]);
    expect(balancesOf(file)).toEqual({ opening: '-528.46', closing: '-412.23' });
  });

  it('refuses an amount that is not a whole number of pence, however many zeros follow', () => {
    const card = fixtureText('ofx-creditcard.ofx');
    expect(refusalOf(() => readOfxBankFile(card.replace('<TRNAMT>-3.77000', '<TRNAMT>-3.775')))).toMatchObject({
      line: 51,
      reason: '"-3.775" is not an amount in pounds and pence',
    });
    expect(refusalOf(() => readOfxBankFile(card.replace('<TRNAMT>-3.77000', '<TRNAMT>-3.770001')))).toMatchObject({
      line: 51,
    });
    expect(refusalOf(() => readOfxBankFile(card.replace('<BALAMT>-412.23000', '<BALAMT>-412.235')))).toMatchObject({
      line: 68,
      reason: 'the closing balance "-412.235" is not an amount in pounds and pence',
    });
  });

  it('joins every NAME and MEMO when a bank repeats them', () => {
    const text = fixtureText('ofx2.ofx').replace('<MEMO>PA WAGES</MEMO>', '<MEMO>PA WAGES</MEMO><MEMO>HYDREF</MEMO>');
    expect(readOfxBankFile(text).lines[3]!.description).toBe('S ROBERTS PA WAGES HYDREF');
  });
});

describe('readOfxBankFile refuses what it cannot import, plainly', () => {
  it('a spreadsheet or other binary file', () => {
    const zip = decodeBankFile(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00, 0xa3]));
    expect(refusalOf(() => readOfxBankFile(zip))).toEqual({
      line: null,
      reason: 'it is a ZIP archive (an Excel workbook is one), not an OFX file',
      detail: 'The bank file was not imported (it is a ZIP archive (an Excel workbook is one), not an OFX file).',
    });
  });

  it('an investment statement', () => {
    expect(refusalOf(() => readOfxBankFile(fixtureText('ofx-investment.ofx')))).toMatchObject({
      line: null,
      reason: 'it is an investment statement; only bank and credit-card statements can be imported',
    });
  });

  it('an account that does not say its currency', () => {
    const reason = 'the file does not say which currency the account is in';
    expect(refusalOf(() => readOfxBankFile(fixtureText('ofx1.ofx').replace('<CURDEF>GBP', '<CURDEF>')))).toEqual(
      expect.objectContaining({ line: null, reason }),
    );
    const xml = fixtureText('ofx2.ofx');
    expect(refusalOf(() => readOfxBankFile(xml.replace('<CURDEF>GBP</CURDEF>', '<CURDEF/>')))).toMatchObject({
      reason,
    });
    expect(refusalOf(() => readOfxBankFile(xml.replace('<CURDEF>GBP</CURDEF>', '')))).toMatchObject({ reason });
  });

  it('a transaction in another currency, naming its line', () => {
    const text = fixtureText('ofx2.ofx');
    const withCurrency = (aggregate: string, symbol: string) =>
      text.replace(
        '<FITID>NW0000000003</FITID>',
        `<FITID>NW0000000003</FITID><${aggregate}><CURRATE>1.16</CURRATE><CURSYM>${symbol}</CURSYM></${aggregate}>`,
      );
    expect(refusalOf(() => readOfxBankFile(withCurrency('CURRENCY', 'EUR')))).toMatchObject({
      line: 47,
      reason: 'it is in EUR, not GBP',
    });
    expect(refusalOf(() => readOfxBankFile(withCurrency('ORIGCURRENCY', 'USD')))).toMatchObject({
      line: 47,
      reason: 'it was converted from USD; only amounts in GBP can be imported',
    });
    expect(refusalOf(() => readOfxBankFile(withCurrency('CURRENCY', '')))).toMatchObject({
      line: 47,
      reason: 'it is in an unnamed currency, not GBP',
    });
    expect(readOfxBankFile(withCurrency('CURRENCY', 'GBP')).lines).toHaveLength(8);
  });

  it('statements for two accounts, however they are grouped', () => {
    const text = fixtureText('ofx2.ofx');
    const messages = /<BANKMSGSRSV1>[\s\S]*<\/BANKMSGSRSV1>/.exec(text)![0];
    const card = messages
      .replace(/BANKMSGSRSV1>/g, 'CREDITCARDMSGSRSV1>')
      .replace(/STMTTRNRS>/g, 'CCSTMTTRNRS>')
      .replace(/STMTRS>/g, 'CCSTMTRS>');
    const reason = 'it holds statements for more than one account; export one account at a time';
    for (const twice of [`${messages}\n${messages}`, `${messages}\n${card}`])
      expect(refusalOf(() => readOfxBankFile(text.replace(messages, twice)))).toMatchObject({ line: null, reason });
  });

  it('a transaction with two amounts, or a FITID longer than OFX allows', () => {
    const text = fixtureText('ofx2.ofx');
    expect(
      refusalOf(() =>
        readOfxBankFile(text.replace('<TRNAMT>-12.00</TRNAMT>', '<TRNAMT>-12.00</TRNAMT><TRNAMT>-1</TRNAMT>')),
      ),
    ).toMatchObject({ line: 90, reason: 'STMTTRN has more than one TRNAMT' });
    expect(refusalOf(() => readOfxBankFile(text.replace('NW0000000008', 'N'.repeat(256))))).toMatchObject({
      line: 87,
      reason: 'its FITID is longer than 255 characters',
    });
  });

  it('a file that is not well formed, with a short reason and no parser output', () => {
    const text = fixtureText('ofx2.ofx');
    expect(refusalOf(() => readOfxBankFile(text.replace('</STMTTRN>', '</STMTTRN></STMTTRN>')))).toMatchObject({
      line: 38,
      reason: 'it is not a readable OFX file: </STMTTRN> closes an element that is not open',
    });
    expect(
      refusalOf(() => readOfxBankFile(text.replace('<MEMO>DP GWY-0112</MEMO>', '<MEMO><![CDATA[DP'))),
    ).toMatchObject({
      line: 37,
      reason: 'it is not a readable OFX file: a CDATA section is never closed',
    });
    const long = refusalOf(() => readOfxBankFile(text.replace('<CURDEF>GBP<', `<CURDEF>${'X'.repeat(5000)}<`)));
    expect(long.reason).toBe(`the account is in ${'X'.repeat(40)}…, not GBP`);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Dedupe keys
// ---------------------------------------------------------------------------------------------------------------

describe('dedupeKeysOf', () => {
  it('gives genuine same-day, same-amount lines different keys (by running balance)', () => {
    const keys = dedupeKeysOf(readCsvBankFile(fixtureText('lloyds.csv'), LLOYDS).lines);
    expect(keys).toEqual([
      'balance:2026-10-01|1842.60|6059.95',
      'balance:2026-10-02|2310.00|8369.95',
      'balance:2026-10-05|-1260.00|7109.95',
      'balance:2026-10-09|-480.00|6629.95',
      'balance:2026-10-15|650.00|7279.95',
      'balance:2026-10-15|650.00|7929.95',
      'balance:2026-10-20|-120.00|7809.95',
      'balance:2026-10-31|-8.50|7801.45',
    ]);
    expect(new Set(keys).size).toBe(8);
    const natwest = dedupeKeysOf(readCsvBankFile(fixtureText('natwest.csv'), NATWEST).lines);
    expect(natwest.slice(3, 5)).toEqual(['balance:2026-10-12|-275.00|3385.60', 'balance:2026-10-12|-275.00|3110.60']);
    const coop = dedupeKeysOf(readCsvBankFile(fixtureText('coop-generic.csv'), COOP_LAYOUT).lines);
    expect(coop.slice(3, 5)).toEqual(['balance:2026-10-16|500.00|12558.75', 'balance:2026-10-16|500.00|13058.75']);
  });

  it('gives genuine same-day, same-amount lines different keys (by occurrence, without balances)', () => {
    const keys = dedupeKeysOf(readCsvBankFile(fixtureText('barclays.csv'), BARCLAYS).lines);
    expect(keys).toEqual([
      'text:2026-10-01|1575.25|BANK CREDIT DENBIGHSHIRE CC DP DEN-0009',
      'text:2026-10-07|-890.00|BILL PAYMENT GOFAL CYMUNEDOL CYF, INV 1188 BBP',
      'text:2026-10-14|430.00|COUNTER CREDIT TALIAD UNIONGYRCHOL — CYNGOR SIR Y FFLINT',
      'text:2026-10-21|-312.50|FUNDS TRANSFER M JONES PA WAGES HYDREF',
      'text:2026-10-21|-312.50|FUNDS TRANSFER M JONES PA WAGES HYDREF#2',
      'text:2026-10-24|-45.00|DIRECT DEBIT CARELINE ALARMS, £45 QTR',
      'text:2026-10-28|-7.50|CHARGES COMMISSION CHARGES',
    ]);
  });

  it('gives genuine same-day, same-amount OFX lines different keys (by FITID)', async () => {
    const ofx1 = dedupeKeysOf((await readOfxBankFile(fixtureText('ofx1.ofx'))).lines);
    expect(ofx1.slice(4, 6)).toEqual(['id:202610150000005', 'id:202610150000006']);
    const ofx2 = dedupeKeysOf((await readOfxBankFile(fixtureText('ofx2.ofx'))).lines);
    expect(ofx2).toEqual([
      'id:NW0000000001',
      'id:NW0000000002',
      'id:NW0000000003',
      'id:NW0000000004',
      'id:NW0000000005',
      'id:NW0000000006',
      'id:NW0000000007',
      'id:NW0000000008',
    ]);
  });

  it('names the shared lines of an overlapping Lloyds export the same way', () => {
    const first = dedupeKeysOf(readCsvBankFile(fixtureText('lloyds.csv'), LLOYDS).lines);
    const overlapping = [
      CSV_PRESETS.lloyds.sampleHeader,
      LLOYDS_ROW('06/11/2026', 'WREXHAM CBC DP WXM-0001', '', '1842.60', '8384.05'),
      LLOYDS_ROW('03/11/2026', '"Gofal Cymunedol Cyf, inv 1101, Hydref"', '1260.00', '', '6541.45'),
      LLOYDS_ROW('31/10/2026', 'SERVICE CHARGES REF : 188342561', '8.50', '', '7801.45'),
      LLOYDS_ROW('20/10/2026', '"Llety Seibiant Eryri, £120 blaendal"', '120.00', '', '7809.95'),
      LLOYDS_ROW('15/10/2026', 'CONWY CBC DP CNW-0042', '', '650.00', '7929.95'),
      LLOYDS_ROW('15/10/2026', 'CONWY CBC DP CNW-0042', '', '650.00', '7279.95'),
    ].join('\r\n');
    const file = readCsvBankFile(overlapping, LLOYDS);
    expect(balancesOf(file)).toEqual({ opening: '6629.95', closing: '8384.05' });
    const second = dedupeKeysOf(file.lines);
    expect(second.slice(0, 4)).toEqual(first.slice(4));
    expect(second.slice(4)).toEqual(['balance:2026-11-03|-1260.00|6541.45', 'balance:2026-11-06|1842.60|8384.05']);
    expect(second.slice(4).some((key) => first.includes(key))).toBe(false);
  });

  it('names the shared lines of an overlapping Barclays export (whole days) the same way', () => {
    const first = dedupeKeysOf(readCsvBankFile(fixtureText('barclays.csv'), BARCLAYS).lines);
    const overlapping = [
      CSV_PRESETS.barclays.sampleHeader,
      BARCLAYS_ROW('21/10/2026', '-312.50', 'Funds Transfer', 'M JONES PA WAGES     HYDREF'),
      BARCLAYS_ROW('21/10/2026', '-312.50', 'Funds Transfer', 'M JONES PA WAGES     HYDREF'),
      BARCLAYS_ROW('24/10/2026', '-45.00', 'Direct Debit', '"CARELINE ALARMS, £45 QTR"'),
      BARCLAYS_ROW('28/10/2026', '-7.50', 'Charges', 'COMMISSION CHARGES'),
      BARCLAYS_ROW('02/11/2026', '1575.25', 'Bank Credit', 'DENBIGHSHIRE CC      DP DEN-0009'),
    ].join('\r\n');
    const second = dedupeKeysOf(readCsvBankFile(overlapping, BARCLAYS).lines);
    expect(second.slice(0, 4)).toEqual(first.slice(3));
    expect(second[4]).toBe('text:2026-11-02|1575.25|BANK CREDIT DENBIGHSHIRE CC DP DEN-0009');
    expect(first).not.toContain(second[4]);
  });

  it('names the shared lines of an overlapping OFX export the same way', async () => {
    const text = fixtureText('ofx2.ofx');
    const first = dedupeKeysOf((await readOfxBankFile(text)).lines);
    let dropped = 0;
    const laterExport = text.replace(/\s*<STMTTRN>[\s\S]*?<\/STMTTRN>/g, (block) => (dropped++ < 4 ? '' : block));
    const second = dedupeKeysOf((await readOfxBankFile(laterExport)).lines);
    expect(second).toEqual(first.slice(4));
  });

  it('ignores the case and spacing of descriptions when there is no id or balance', () => {
    const line = (description: string) => ({
      lineNumber: 2,
      postedOn: '2026-10-21',
      description,
      amount: parseMoney('-312.50'),
      runningBalance: null,
      bankTransactionId: null,
    });
    expect(dedupeKeysOf([line('M Jones  PA wages')])).toEqual(dedupeKeysOf([line('M JONES PA WAGES')]));
    expect(dedupeKeysOf([line('M JONES PA WAGES')])).not.toEqual(dedupeKeysOf([line('S ROBERTS PA WAGES')]));
  });
});

describe('transaction ids from a CSV', () => {
  const layout = {
    name: 'generic',
    headerRow: true,
    date: 'Date',
    dateFormats: ['YYYY-MM-DD'],
    description: ['Desc'],
    amount: { signed: 'Amount' },
    transactionId: 'Id',
  } as const;

  it('keeps an id up to 255 characters and refuses a longer one, naming its line', () => {
    const file = (id: string) => `Date,Desc,Amount,Id\n2026-01-05,DP,10.00,${id}\n`;
    expect(readCsvBankFile(file('x'.repeat(255)), layout).lines[0]!.bankTransactionId).toHaveLength(255);
    expect(() => readCsvBankFile(file('x'.repeat(256)), layout)).toThrow(
      /line 2: its transaction id is longer than 255 characters/,
    );
  });
});
