import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { deflateSync } from 'node:zlib';
import PDFDocument from 'pdfkit';

/**
 * DejaVu Sans, shipped by the dejavu-fonts-ttf package: a Unicode font that draws every Welsh letter (ŵ ŷ Ŵ Ŷ â ê…),
 * which the built-in PDF fonts cannot. Read once per process.
 */
const require = createRequire(import.meta.url);

const FONT_FILES = {
  body: readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf')),
  bold: readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf')),
} as const;
export type FontName = keyof typeof FONT_FILES;

/**
 * The text every statement may use without cost: ASCII, Latin-1 and Latin Extended-A (which hold â ê î ô û ŵ ŷ and the
 * accents of most European names), the Welsh ẁ ẃ ẅ ỳ, the punctuation, currency and dashes the wording uses, and the
 * font's ligatures (its "fi" is one glyph). Every document embeds the glyphs of all of them, encoded once per process;
 * a document that needs any other glyph embeds a subset built for it (slower, same appearance).
 */
const LIGATURES = ['ff', 'fi', 'fl', 'ffi', 'ffl'];
const PREBUILT_TEXT = [
  [0x20, 0x7e],
  [0xa0, 0xff],
  [0x100, 0x17f],
  [0x1e80, 0x1e85],
  [0x1ef2, 0x1ef3],
  [0x2013, 0x2014],
  [0x2018, 0x201a],
  [0x201c, 0x201e],
  [0x2022, 0x2022],
  [0x2026, 0x2026],
  [0x20ac, 0x20ac],
  [0x2212, 0x2212],
]
  .flatMap(([first, last]) => Array.from({ length: last! - first! + 1 }, (_, i) => String.fromCodePoint(first! + i)))
  .concat(LIGATURES);

/** At most this many shaped words are kept per font; the cache starts again when full, so memory stays bounded. */
const SHAPED_WORDS_LIMIT = 20_000;

/*
 * pdfkit parses a registered font again for every document, shapes every word again in every document, and builds
 * and compresses a font subset for every document: together most of the time a short statement takes. The parsed font
 * and its shaped words are read-only, so they are shared by every document here, and each document starts its subset
 * with the prebuilt glyphs, in the same order, so that its font file is the prebuilt one. This reaches into pdfkit's
 * embedded-font class (pinned version); if an upgrade changes it, documents fall back to registering the font file
 * (slower, same output), and the PDF tests still pass.
 */
interface GlyphRun {
  glyphs: { id: number; advanceWidth: number; codePoints: number[] }[];
}
interface FontkitFont {
  numGlyphs: number;
  layout(text: string): GlyphRun;
  getGlyph(id: number): { advanceWidth: number; codePoints: number[] };
}
interface FontkitSubset {
  glyphs: number[];
  includeGlyph(glyph: number | { id: number }): number;
  encode(): Uint8Array;
}
interface PdfkitEmbeddedFont {
  font: FontkitFont;
  subset: FontkitSubset;
  scale: number;
  widths: number[];
  unicode: number[][];
  document: PDFKit.PDFDocument;
  layoutRun(text: string): GlyphRun;
  embed(): void;
  toUnicodeCmap(): PDFKit.PDFKitReference;
}
type EmbeddedFontClass = new (doc: PDFKit.PDFDocument, font: FontkitFont, id: string) => PdfkitEmbeddedFont;
interface PdfkitInternals {
  _font?: { font: FontkitFont; constructor: EmbeddedFontClass };
  _fontFamilies?: Record<string, unknown>;
  _fontCount?: number;
}

/** What every document's copy of one font starts from. */
interface PrebuiltFont {
  font: FontkitFont;
  /** The subset's glyph ids in order, the glyphs' components included (as fontkit's encoder appends them). */
  glyphs: number[];
  /** Glyph id in the font → glyph id in the subset, or -1. */
  subsetIds: Int32Array;
  widths: number[];
  unicode: number[][];
  /** The subset's font file, deflated, ready to be a FontFile2 stream. */
  deflatedFontFile: Buffer;
  /** The ToUnicode CMap of those glyphs, deflated. */
  deflatedToUnicode: Buffer;
  shapedWords: Map<string, GlyphRun>;
}

function prebuild(EmbeddedFont: EmbeddedFontClass, probe: PDFKit.PDFDocument, font: FontkitFont): PrebuiltFont {
  const embedded = new EmbeddedFont(probe, font, 'F0');
  for (const text of PREBUILT_TEXT) {
    for (const glyph of font.layout(text).glyphs) {
      const gid = embedded.subset.includeGlyph(glyph.id);
      embedded.widths[gid] ??= glyph.advanceWidth * embedded.scale;
      embedded.unicode[gid] ??= glyph.codePoints;
    }
  }
  const fontFile = embedded.subset.encode();
  let toUnicode = '';
  // pdfkit's own CMap writer, pointed at a stand-in for the document so that its text can be kept.
  EmbeddedFont.prototype.toUnicodeCmap.call({
    unicode: embedded.unicode,
    document: { ref: () => ({ end: (text: string) => (toUnicode = text) }) },
  });
  return {
    font,
    glyphs: [...embedded.subset.glyphs],
    subsetIds: embedded.subset.glyphs.reduce(
      (ids, glyph, gid) => ids.fill(gid, glyph, glyph + 1),
      new Int32Array(font.numGlyphs).fill(-1),
    ),
    widths: [...embedded.widths],
    unicode: [...embedded.unicode],
    deflatedFontFile: deflateSync(fontFile),
    // As pdfkit writes a text stream: in its binary form, with a final newline.
    deflatedToUnicode: deflateSync(Buffer.from(`${toUnicode}\n`, 'binary')),
    shapedWords: new Map(),
  };
}

function sharedFontClass(EmbeddedFont: EmbeddedFontClass) {
  return class SharedEmbeddedFont extends EmbeddedFont {
    constructor(
      doc: PDFKit.PDFDocument,
      id: string,
      private readonly prebuilt: PrebuiltFont,
    ) {
      super(doc, prebuilt.font, id);
      // The subset starts as the prebuilt one. fontkit maps glyphs with a plain object; a typed array copied from the
      // prebuilt one is much quicker to copy and to look up, for the thousands of glyphs a statement draws.
      const glyphs = [...prebuilt.glyphs];
      const subsetIds = prebuilt.subsetIds.slice();
      this.subset.glyphs = glyphs;
      this.subset.includeGlyph = (glyph: number | { id: number }) => {
        const id = typeof glyph === 'number' ? glyph : glyph.id;
        let gid = subsetIds[id]!;
        if (gid < 0) {
          gid = glyphs.push(id) - 1;
          subsetIds[id] = gid;
        }
        return gid;
      };
      this.widths = [...prebuilt.widths];
      this.unicode = [...prebuilt.unicode];
    }

    layoutCached(text: string): GlyphRun {
      const words = this.prebuilt.shapedWords;
      let run = words.get(text);
      if (!run) {
        if (words.size >= SHAPED_WORDS_LIMIT) words.clear();
        run = this.layoutRun(text);
        words.set(text, run);
      }
      return run;
    }

    override embed(): void {
      this.fillGaps();
      if (this.subset.glyphs.length > this.prebuilt.glyphs.length) return super.embed();
      // The prebuilt font file, already deflated: pdfkit's font embedding asks the subset for its bytes once, into the
      // first object it creates, and leaves a stream that already names its filter uncompressed.
      const document = this.document;
      const createRef = document.ref;
      document.ref = (data = {}) => {
        document.ref = createRef;
        return createRef.call(document, { ...data, Filter: 'FlateDecode' });
      };
      const encode = this.subset.encode;
      this.subset.encode = () => this.prebuilt.deflatedFontFile;
      try {
        return super.embed();
      } finally {
        document.ref = createRef;
        this.subset.encode = encode;
      }
    }

    /** The prebuilt glyphs' text, already deflated, when the document drew no other glyph. */
    override toUnicodeCmap(): PDFKit.PDFKitReference {
      if (this.unicode.length !== this.prebuilt.unicode.length) return super.toUnicodeCmap();
      const cmap = this.document.ref({ Filter: 'FlateDecode' });
      cmap.end(this.prebuilt.deflatedToUnicode);
      return cmap;
    }

    /**
     * pdfkit writes a width and a text for every glyph up to the last one drawn. Glyphs the subset holds only as parts
     * of others (the accent of ŵ) have neither until drawn, so drawing one by itself, or drawing a glyph beyond them,
     * would leave holes; fill them (their text is never read: they are not drawn).
     */
    private fillGaps(): void {
      for (let gid = 0; gid < this.unicode.length; gid += 1) this.unicode[gid] ??= [0];
      for (let gid = 0; gid < this.widths.length; gid += 1)
        this.widths[gid] ??= this.font.getGlyph(this.subset.glyphs[gid]!).advanceWidth * this.scale;
    }
  };
}

function prepareShared() {
  const probe = new PDFDocument() as unknown as PDFKit.PDFDocument & PdfkitInternals;
  let EmbeddedFont: EmbeddedFontClass | null = null;
  const parsed: Partial<Record<FontName, FontkitFont>> = {};
  for (const name of Object.keys(FONT_FILES) as FontName[]) {
    probe.font(FONT_FILES[name]);
    parsed[name] = probe._font?.font;
    EmbeddedFont = probe._font?.constructor ?? null;
  }
  if (
    EmbeddedFont === null ||
    parsed.body === undefined ||
    parsed.bold === undefined ||
    probe._fontFamilies === undefined
  )
    return null;
  const prebuilt = {
    body: prebuild(EmbeddedFont, probe, parsed.body),
    bold: prebuild(EmbeddedFont, probe, parsed.bold),
  };
  probe.end();
  return { SharedEmbeddedFont: sharedFontClass(EmbeddedFont), prebuilt };
}

const shared = prepareShared();

/** Makes `doc.font('body')` and `doc.font('bold')` available in a new document. */
export function installFonts(doc: PDFKit.PDFDocument): void {
  const internals = doc as PDFKit.PDFDocument & PdfkitInternals;
  for (const name of Object.keys(FONT_FILES) as FontName[]) {
    if (shared && internals._fontFamilies && internals._fontCount !== undefined) {
      internals._fontCount += 1;
      internals._fontFamilies[name] = new shared.SharedEmbeddedFont(
        doc,
        `F${internals._fontCount}`,
        shared.prebuilt[name],
      );
    } else {
      doc.registerFont(name, FONT_FILES[name]);
    }
  }
}
