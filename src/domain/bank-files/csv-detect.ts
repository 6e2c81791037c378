import { invalidBankFile } from './bank-file';
import { type CsvRecord, HEADER_SEARCH_LINES, normalised } from './csv-file';
import { type CsvLayout, namedColumnsOf } from './csv-layouts';
import { CSV_PRESETS, CSV_PRESET_NAMES, type CsvPreset } from './csv-presets';

/**
 * Which preset a CSV is, from its header: of the presets whose columns all appear in one of the file's opening
 * lines, the one that names most of them (the most particular), and among equals the one whose header has the same
 * number of columns as the file's. A file without a header is recognised only as HSBC's three columns. Refuses,
 * saying how to describe the layout, when no preset fits.
 */
export function detectCsvPreset(records: readonly CsvRecord[]): { preset: CsvPreset; layout: CsvLayout } {
  const opening = records.slice(0, HEADER_SEARCH_LINES).map((record) => record.cells.map(normalised));
  let best: { preset: CsvPreset; score: number } | null = null;
  for (const preset of CSV_PRESET_NAMES) {
    const { layout, sampleHeader } = CSV_PRESETS[preset];
    if (!layout.headerRow) continue;
    const wanted = namedColumnsOf(layout).map(normalised);
    const width = sampleHeader.split(',').length;
    for (const cells of opening) {
      if (!wanted.every((name) => cells.includes(name))) continue;
      const score = wanted.length * 2 + (cells.length === width ? 1 : 0);
      if (!best || score > best.score) best = { preset, score };
    }
  }
  if (best) return { preset: best.preset, layout: CSV_PRESETS[best.preset].layout };
  if (looksLikeHsbc(records)) return { preset: 'hsbc', layout: CSV_PRESETS.hsbc.layout };
  throw invalidBankFile(
    null,
    "Cronfa could not tell which bank's layout it is; name a preset, or describe its columns " +
      '(dateColumn, dateFormat, descriptionColumn, and amountColumn or paidInColumn and paidOutColumn)',
  );
}

/** HSBC's export has no header: every line is a date, a description and a signed amount. */
function looksLikeHsbc(records: readonly CsvRecord[]): boolean {
  const sample = records.slice(0, 5);
  return (
    sample.length > 0 &&
    sample.every(
      ({ cells }) =>
        cells.length === 3 &&
        /^\d{1,2}(\/\d{1,2}\/| [A-Za-z]{3} )\d{4}$/.test(cells[0] ?? '') &&
        /^-?£?[\d,]+\.\d{2}$/.test((cells[2] ?? '').replace(/\s/g, '')),
    )
  );
}
