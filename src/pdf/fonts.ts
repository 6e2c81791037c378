import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';

/**
 * DejaVu Sans, shipped by the dejavu-fonts-ttf package: a Unicode font that draws every Welsh letter (ŵ ŷ Ŵ Ŷ â ê…),
 * which the built-in PDF fonts cannot. Read once per process; each document embeds the subset it uses.
 */
const require = createRequire(import.meta.url);

const FONT_FILES = {
  body: readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf')),
  bold: readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf')),
} as const;
export type FontName = keyof typeof FONT_FILES;

/**
 * pdfkit parses a registered font again for every document, which is most of the time a short statement takes.
 * A parsed font is read-only, so it is parsed once here and each document gets its own embedding of it (its own
 * subset and object ids). This reaches into pdfkit's font cache; if a pdfkit upgrade changes it, documents fall back
 * to registering the font file (slower, same output), and the PDF tests still pass.
 */
interface PdfkitInternals {
  _font?: { font: unknown; constructor: new (doc: PDFKit.PDFDocument, font: unknown, id: string) => unknown };
  _fontFamilies?: Record<string, unknown>;
  _fontCount?: number;
}

function parseOnce() {
  const probe = new PDFDocument() as unknown as PDFKit.PDFDocument & PdfkitInternals;
  const parsed: Partial<Record<FontName, unknown>> = {};
  let EmbeddedFont: NonNullable<PdfkitInternals['_font']>['constructor'] | null = null;
  for (const name of Object.keys(FONT_FILES) as FontName[]) {
    probe.font(FONT_FILES[name]);
    parsed[name] = probe._font?.font;
    EmbeddedFont = probe._font?.constructor ?? null;
  }
  probe.end();
  const usable = EmbeddedFont !== null && parsed.body !== undefined && parsed.bold !== undefined && probe._fontFamilies !== undefined;
  return usable ? { EmbeddedFont: EmbeddedFont!, parsed: parsed as Record<FontName, unknown> } : null;
}

const shared = parseOnce();

/** Makes `doc.font('body')` and `doc.font('bold')` available in a new document. */
export function installFonts(doc: PDFKit.PDFDocument): void {
  const internals = doc as PDFKit.PDFDocument & PdfkitInternals;
  for (const name of Object.keys(FONT_FILES) as FontName[]) {
    if (shared && internals._fontFamilies && internals._fontCount !== undefined) {
      internals._fontCount += 1;
      internals._fontFamilies[name] = new shared.EmbeddedFont(doc, shared.parsed[name], `F${internals._fontCount}`);
    } else {
      doc.registerFont(name, FONT_FILES[name]);
    }
  }
}
