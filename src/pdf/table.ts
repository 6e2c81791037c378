import PDFDocument from 'pdfkit';
import { type FontName, installFonts } from './fonts';
import { PAGE_MARGIN, type PageLayout, pageWidth } from './page';

/**
 * Tables a person can read: a figure, a date or a reference is never split across lines and a word is never broken,
 * whatever the figures and in either language. Columns are sized from what they hold; when the page is too narrow,
 * the type gets a little smaller, then the table's pages turn to landscape, with the type down to its floor.
 */
export interface Column {
  header: string;
  /** What a screen reader says for the header cell, when its visible text leans on the columns beside it. */
  alt?: string;
  align?: 'left' | 'right';
  /** Text that may wrap between words (names, descriptions). Any other cell (a figure, a date) stays on one line. */
  wrap?: boolean;
}

/** pdfkit's structure element, whose dictionary takes attributes until the element is written. */
interface TaggedElement {
  dictionary: { data: Record<string, unknown> };
}

/** Space between a cell's text and its edges, on each side. */
const CELL_PAD = 3;

/**
 * The ways to lay a table out, most readable first: the usual type size, a little smaller, then landscape pages (a
 * bigger type on a turned page reads better than a smaller one on an upright page), down to the floor of 7 points.
 */
const LAYOUTS: { layout: PageLayout; fontSize: number }[] = [
  { layout: 'portrait', fontSize: 8.5 },
  { layout: 'portrait', fontSize: 8 },
  { layout: 'landscape', fontSize: 8.5 },
  { layout: 'landscape', fontSize: 8 },
  { layout: 'landscape', fontSize: 7.5 },
  { layout: 'landscape', fontSize: 7 },
];

/**
 * A word in a wrapping column wider than this share of the line is broken between letters rather than widening its
 * column further (a pasted web address, say): one odd word should not turn a statement's pages.
 */
const LONGEST_WORD_SHARE = 0.25;

export interface TablePlan {
  columns: Column[];
  rows: string[][];
  layout: PageLayout;
  fontSize: number;
  headers: string[];
  /** Each header cell's alternative text, if it has one. */
  headerAlts: (string | undefined)[];
  widths: number[];
  /** Every body cell's width at a type size of 1, measured once. */
  cellWidths: number[][];
}

let measuring: PDFKit.PDFDocument | null = null;

/**
 * Text widths, from a document kept for measuring only (one per thread; it is never written out), so a table can be
 * planned before the document that draws it exists: a statement whose main table needs landscape starts in landscape.
 */
function measurer(): PDFKit.PDFDocument {
  if (!measuring) {
    measuring = new PDFDocument({ autoFirstPage: false, font: null as unknown as string });
    installFonts(measuring);
  }
  return measuring;
}

/** Widths at a type size of 1 (a width at size s is s times it). */
function unitWidths(texts: string[], font: FontName): number[] {
  const doc = measurer().font(font).fontSize(1);
  return texts.map((text) => (text === '' ? 0 : doc.widthOfString(text)));
}

const longest = (values: number[]) => values.reduce((a, b) => Math.max(a, b), 0);
const words = (text: string) => text.split(/[ \n]+/).filter(Boolean);

/** Sizes the columns of a table from its content and picks its type size and page orientation. */
export function planTable(columns: Column[], rows: string[][], options: { layouts?: PageLayout[] } = {}): TablePlan {
  const allowed = options.layouts ?? ['portrait', 'landscape'];
  const cellWidths = rows.map((row) => unitWidths(row, 'body'));
  const bodyWidest = columns.map((_, i) => longest(cellWidths.map((w) => w[i] ?? 0)));
  const bodyLongestWord = columns.map((column, i) =>
    column.wrap ? longest(rows.flatMap((row) => unitWidths(words(row[i] ?? ''), 'body'))) : bodyWidest[i]!,
  );
  const header = columns.map((column) => ({
    whole: unitWidths([column.header], 'bold')[0]!,
    word: longest(unitWidths(words(column.header), 'bold')),
  }));
  const candidates = LAYOUTS.filter((l) => allowed.includes(l.layout));
  const fit = (candidate: (typeof LAYOUTS)[number], squeeze: boolean) => {
    const available = pageWidth(candidate.layout) - 2 * PAGE_MARGIN;
    const size = candidate.fontSize;
    const need = columns.map((column, i) => {
      const body = column.wrap
        ? Math.min(bodyLongestWord[i]!, (available * LONGEST_WORD_SHARE) / size)
        : bodyWidest[i]!;
      return Math.max(header[i]!.word, body) * size + 2 * CELL_PAD;
    });
    const want = columns.map((_, i) => Math.max(header[i]!.whole, bodyWidest[i]!) * size + 2 * CELL_PAD);
    const needed = need.reduce((a, b) => a + b, 0);
    if (needed > available && !squeeze) return null;
    const widths =
      needed > available ? need.map((w) => (w * available) / needed) : share(need, want, columns, available);
    return {
      columns,
      rows,
      layout: candidate.layout,
      fontSize: size,
      headers: columns.map((column) => column.header),
      headerAlts: columns.map((column) => column.alt),
      widths,
      cellWidths,
    };
  };
  for (const candidate of candidates) {
    const plan = fit(candidate, false);
    if (plan) return plan;
  }
  // Nothing fits (dozens of columns): the last layout, its columns narrowed in proportion. Cells then wrap where they
  // must. Only a table of many more columns than any statement's comes to this.
  return fit(candidates.at(-1)!, true)!;
}

/**
 * Column widths between what each needs (its longest unbreakable text) and what it wants (its longest text on one
 * line): the room left over goes to the columns that fall short, in proportion, and once every cell fits on one
 * line, to the wrapping columns (or all columns, if none wraps) so that the table spans the page.
 */
function share(need: number[], want: number[], columns: Column[], available: number): number[] {
  let spare = available - need.reduce((a, b) => a + b, 0);
  const short = want.map((w, i) => w - need[i]!);
  const totalShort = short.reduce((a, b) => a + b, 0);
  if (totalShort >= spare) return need.map((w, i) => w + (short[i]! * spare) / totalShort);
  spare -= totalShort;
  const growing = columns.some((c) => c.wrap) ? columns.map((c) => Boolean(c.wrap)) : columns.map(() => true);
  const growingWidth = want.reduce((a, w, i) => a + (growing[i] ? w : 0), 0);
  return want.map((w, i) => (growing[i] ? w + (w * spare) / growingWidth : w));
}

/**
 * A cell's lines within `width` (at a type size of 1): whole words, and letters split only from a word too long. A
 * line that ends between words keeps its space, so the cell's text reads "Dafydd Tŷ-Gwyn", not "DafyddTŷ-Gwyn".
 */
function cellLines(text: string, width: number, font: FontName, whole: number | undefined): string[] {
  if (text === '') return [];
  if (whole !== undefined && whole <= width && !text.includes('\n')) return [text];
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(' ')) {
      const candidate = line === '' ? word : `${line} ${word}`;
      if (unitWidths([candidate], font)[0]! <= width) {
        line = candidate;
        continue;
      }
      if (line !== '') lines.push(`${line} `);
      line = word;
      // A word wider than the column by itself (only a pasted address, or a table with no room at all).
      while (line.length > 1 && unitWidths([line], font)[0]! > width) {
        let cut = line.length - 1;
        while (cut > 1 && unitWidths([line.slice(0, cut)], font)[0]! > width) cut -= 1;
        lines.push(line.slice(0, cut));
        line = line.slice(cut);
      }
    }
    lines.push(line);
  }
  return lines;
}

/**
 * A table tagged as Table/TR/TH/TD (header cells scoped to their column). Rows that would run past the page start a
 * new page, in the table's orientation, and the header row is drawn again at the top of it. A table that needs
 * landscape starts on a new landscape page, unless it is already on one.
 */
export function table(
  doc: PDFKit.PDFDocument,
  parent: PDFKit.PDFStructureElement,
  columns: Column[],
  rows: string[][],
): void {
  const onLandscape = doc.page.layout === 'landscape';
  drawTable(doc, parent, planTable(columns, rows, onLandscape ? { layouts: ['landscape'] } : {}));
}

export function drawTable(doc: PDFKit.PDFDocument, parent: PDFKit.PDFStructureElement, plan: TablePlan): void {
  const newPage = () => doc.addPage({ ...doc.options, layout: plan.layout });
  if (plan.layout === 'landscape' && doc.page.layout !== 'landscape') newPage();
  const tableElement = doc.struct('Table');
  parent.add(tableElement);
  const size = plan.fontSize;
  const lineHeight = {
    body: doc.font('body').fontSize(size).currentLineHeight(true),
    bold: doc.font('bold').fontSize(size).currentLineHeight(true),
  };
  const bottom = () => doc.page.height - doc.page.margins.bottom;
  const drawRow = (cells: string[], header: boolean, measured: number[] | undefined) => {
    const font: FontName = header ? 'bold' : 'body';
    const lines = cells.map((cell, i) => cellLines(cell, (plan.widths[i]! - 2 * CELL_PAD) / size, font, measured?.[i]));
    const height = Math.max(1, ...lines.map((l) => l.length)) * lineHeight[font] + 2 * CELL_PAD;
    if (doc.y + height > bottom()) {
      newPage();
      if (!header) drawRow(plan.headers, true, undefined);
    }
    const top = doc.y;
    const row = doc.struct('TR');
    tableElement.add(row);
    let x = doc.page.margins.left;
    cells.forEach((cell, i) => {
      const column = plan.columns[i]!;
      const left = x;
      const width = plan.widths[i]!;
      const alt = header ? plan.headerAlts[i] : undefined;
      const element = doc.struct(header ? 'TH' : 'TD', alt === undefined ? {} : { alt }, () => {
        doc.font(font).fontSize(size);
        lines[i]!.forEach((line, n) => {
          const lineWidth = measured && line === cell ? measured[i]! : unitWidths([line.trimEnd()], font)[0]!;
          const at = column.align === 'right' ? left + width - CELL_PAD - lineWidth * size : left + CELL_PAD;
          doc.text(line, at, top + CELL_PAD + n * lineHeight[font], { lineBreak: false });
        });
      });
      // A header cell names its column, so a screen reader announces it with every cell below.
      if (header) (element as unknown as TaggedElement).dictionary.data.A = { O: 'Table', Scope: 'Column' };
      row.add(element);
      x += width;
    });
    doc.markContent('Artifact', { type: 'Layout' });
    doc
      .moveTo(doc.page.margins.left, top + height)
      .lineTo(x, top + height)
      .lineWidth(header ? 1 : 0.3)
      .stroke();
    doc.endMarkedContent();
    doc.x = doc.page.margins.left;
    doc.y = top + height;
  };
  drawRow(plan.headers, true, undefined);
  plan.rows.forEach((cells, r) => drawRow(cells, false, plan.cellWidths[r]));
  tableElement.end();
  doc.moveDown(1);
}
