import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

/**
 * A PDF as a reader and a screen reader get it: each page's size, and every table cell of its tagged structure
 * (TH or TD, with its alternative text) with the lines its text is drawn on, found from the text's positions.
 */
export interface PdfCell {
  role: 'TH' | 'TD';
  alt: string | undefined;
  /** The cell's text line by line, top to bottom (pieces on one baseline joined, left to right). */
  lines: string[];
}

export interface PdfPage {
  width: number;
  height: number;
  /** Every table's rows on this page, in order; each row its cells. */
  tables: PdfCell[][][];
  /** All the page's text, as a reader gets it. */
  text: string;
}

interface StructNode {
  role?: string;
  alt?: string;
  type?: string;
  id?: string;
  children?: StructNode[];
}

interface TextPiece {
  str: string;
  x: number;
  y: number;
}

export async function pdfPages(bytes: Buffer): Promise<PdfPage[]> {
  const pdf = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, isEvalSupported: false }).promise;
  const pages: PdfPage[] = [];
  for (let n = 1; n <= pdf.numPages; n += 1) {
    const page = await pdf.getPage(n);
    const [, , width, height] = page.view as [number, number, number, number];
    const content = await page.getTextContent({ includeMarkedContent: true });
    // Text pieces by the marked content they belong to (a cell's content is one marked sequence).
    const byContent = new Map<string, TextPiece[]>();
    let current: string | null = null;
    const all: string[] = [];
    for (const item of content.items as Record<string, unknown>[]) {
      if (item.type === 'beginMarkedContentProps') current = String(item.id);
      else if (item.type === 'endMarkedContent') current = null;
      else if (typeof item.str === 'string') {
        all.push(item.str);
        if (current === null || item.str.trim() === '') continue;
        const transform = item.transform as number[];
        const pieces = byContent.get(current) ?? [];
        pieces.push({ str: item.str, x: transform[4]!, y: transform[5]! });
        byContent.set(current, pieces);
      }
    }
    const linesOf = (node: StructNode): string[] => {
      const pieces = (node.children ?? []).flatMap((child) =>
        child.type === 'content' && child.id ? (byContent.get(child.id) ?? []) : [],
      );
      const rows = new Map<number, TextPiece[]>();
      for (const piece of pieces) {
        const y = Math.round(piece.y * 10) / 10;
        rows.set(y, [...(rows.get(y) ?? []), piece]);
      }
      return [...rows.entries()]
        .sort(([a], [b]) => b - a)
        .map(([, row]) =>
          row
            .sort((a, b) => a.x - b.x)
            .map((p) => p.str)
            .join('')
            .trim(),
        );
    };
    const tables: PdfCell[][][] = [];
    const walk = (node: StructNode) => {
      if (node.role === 'Table') {
        tables.push(
          (node.children ?? [])
            .filter((row) => row.role === 'TR')
            .map((row) =>
              (row.children ?? [])
                .filter((cell) => cell.role === 'TH' || cell.role === 'TD')
                .map((cell) => ({ role: cell.role as 'TH' | 'TD', alt: cell.alt, lines: linesOf(cell) })),
            ),
        );
        return;
      }
      for (const child of node.children ?? []) walk(child);
    };
    walk((await page.getStructTree()) as StructNode);
    pages.push({ width, height, tables, text: all.join(' ') });
  }
  await pdf.destroy();
  return pages;
}

/** Every cell of every table in the document. */
export function allCells(pages: PdfPage[]): PdfCell[] {
  return pages.flatMap((page) => page.tables.flat(2));
}

/** A figure as statements print it: money (signed for a movement), a date, weeks of award, a count. */
export const FIGURE = /^([+\u2212-]?£[\d,]+\.\d\d|\d\d\/\d\d\/\d{4}|\d+(\.\d)?)$/;
