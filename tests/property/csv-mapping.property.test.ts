import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readCsvBankFile } from '../../src/domain/bank-files/csv-file';
import { type CsvColumnMapping, csvLayoutOf } from '../../src/domain/bank-files/csv-layouts';
import { formatMoney } from '../../src/domain/money';

/** A transaction as a bank would write it, in pence (paid in positive). */
const transaction = fc.record({
  day: fc.integer({ min: 1, max: 28 }),
  pence: fc.integer({ min: -9_999_999, max: 9_999_999 }).filter((p) => p !== 0),
  payee: fc.constantFrom('WREXHAM CBC', 'CAFFI’R LLAN', 'Gwasanaeth Môn', 'PA "Siân", Llŷr', '£5 MAES'),
  reference: fc.constantFrom('', 'DP-1', 'INV 0042', 'ŴYL'),
});

/** How the file is laid out: everything a generic mapping can describe. */
const shape = fc.record({
  titleLines: fc.integer({ min: 0, max: 4 }),
  dateFormat: fc.constantFrom('DD/MM/YYYY', 'YYYY-MM-DD', 'YYYY/MM/DD', 'YYYYMMDD', 'DD.MM.YYYY'),
  amount: fc.constantFrom('signed', 'paid-in-out', 'direction'),
  pound: fc.boolean(),
  crlf: fc.boolean(),
  trailingBlankRows: fc.integer({ min: 0, max: 3 }),
  newestFirst: fc.boolean(),
});

const quote = (cell: string) => (/[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);
/** Pence as pounds text by integer arithmetic: money is never a float, even in a test. */
const penceText = (pence: number) =>
  `${pence < 0 ? '-' : ''}${Math.floor(Math.abs(pence) / 100)}.${String(Math.abs(pence) % 100).padStart(2, '0')}`;
const pounds = (pence: number, sign: boolean, pound: boolean) => {
  const text = `${pound ? '£' : ''}${penceText(Math.abs(pence))}`;
  return sign && pence < 0 ? `-${text}` : text;
};
const dateText = (day: number, format: string) => {
  const dd = String(day).padStart(2, '0');
  return {
    'DD/MM/YYYY': `${dd}/10/2026`,
    'YYYY-MM-DD': `2026-10-${dd}`,
    'YYYY/MM/DD': `2026/10/${dd}`,
    YYYYMMDD: `202610${dd}`,
    'DD.MM.YYYY': `${dd}.10.2026`,
  }[format]!;
};

describe('a generic mapping', () => {
  it('reads back every file it describes: dates, amounts to the penny, descriptions joined, oldest first', () => {
    fc.assert(
      fc.property(fc.array(transaction, { minLength: 1, maxLength: 30 }), shape, (transactions, file) => {
        const sorted = [...transactions].sort((a, b) => a.day - b.day);
        const written = file.newestFirst ? [...sorted].reverse() : sorted;
        const amountHeader =
          file.amount === 'signed'
            ? ['Amount']
            : file.amount === 'direction'
              ? ['Amount', 'In/Out']
              : ['Paid in', 'Paid out'];
        const header = ['Date', 'Payee', 'Reference', ...amountHeader].join(',');
        const rows = written.map((t) => {
          const amount =
            file.amount === 'signed'
              ? [pounds(t.pence, true, file.pound)]
              : file.amount === 'direction'
                ? [pounds(t.pence, false, file.pound), t.pence > 0 ? 'CR' : 'DR']
                : t.pence > 0
                  ? [pounds(t.pence, false, file.pound), '']
                  : ['', pounds(t.pence, false, file.pound)];
          return [dateText(t.day, file.dateFormat), t.payee, t.reference, ...amount].map(quote).join(',');
        });
        const titles = Array.from({ length: file.titleLines }, (_, i) => `Cyfrif busnes ${i + 1},Statement`);
        const blanks = Array.from({ length: file.trailingBlankRows }, () => ',,,,');
        const text = [...titles, header, ...rows, ...blanks].join(file.crlf ? '\r\n' : '\n');
        const mapping: CsvColumnMapping = {
          headerRow: true,
          dateColumn: 'Date',
          dateFormat: file.dateFormat,
          descriptionColumns: ['Payee', 'Reference'],
          ...(file.amount === 'signed'
            ? { amountColumn: 'Amount' }
            : file.amount === 'direction'
              ? { amountColumn: 'Amount', directionColumn: 'In/Out', paidInValues: ['CR'], paidOutValues: ['DR'] }
              : { paidInColumn: 'Paid in', paidOutColumn: 'Paid out' }),
        };
        const read = readCsvBankFile(text, csvLayoutOf(mapping));
        const expected = sorted.map((t) => [
          `2026-10-${String(t.day).padStart(2, '0')}`,
          penceText(t.pence),
          `${t.payee} ${t.reference}`.trim(),
        ]);
        // Same-day lines keep the file's order, so compare as sorted sets of lines, and the days in order.
        const got = read.lines.map((l) => [l.postedOn, formatMoney(l.amount), l.description]);
        expect(got.map((l) => l[0])).toEqual(expected.map((l) => l[0]));
        expect([...got].sort()).toEqual([...expected].sort());
        expect(read.skipped).toHaveLength(file.trailingBlankRows);
      }),
      { numRuns: 200 },
    );
  });
});
