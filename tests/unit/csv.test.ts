import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { neutralisedCell, renderCsv } from '../../src/domain/csv';

describe('CSV cells', () => {
  it.each([
    ['=HYPERLINK("http://x","click")', `'=HYPERLINK("http://x","click")`],
    ['+HYPERLINK("http://x")', `'+HYPERLINK("http://x")`],
    ['-2+3+cmd', `'-2+3+cmd`],
    ["@SUM(1+1)*cmd|' /C calc'!A0", `'@SUM(1+1)*cmd|' /C calc'!A0`],
    ['\t=1', `'\t=1`],
    ['\r=1', `'\r=1`],
  ])('prefixes %j so a spreadsheet shows it as text', (cell, expected) => {
    expect(neutralisedCell(cell)).toBe(expected);
  });

  it.each(['-12.00', '12.00', '0', '-3', '2026-01-05', 'Dafydd Tŷ-Gwyn', '', "'=already"])(
    'leaves %j alone',
    (cell) => {
      expect(neutralisedCell(cell)).toBe(cell);
    },
  );

  it('quotes what CSV needs quoted and round-trips', () => {
    const text = renderCsv(['a', 'b'], [['=1,2', '-5.50']]);
    expect(parse(text)).toEqual([
      ['a', 'b'],
      ["'=1,2", '-5.50'],
    ]);
  });
});
