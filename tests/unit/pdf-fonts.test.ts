import { createRequire } from 'node:module';
import { inflateSync } from 'node:zlib';
import * as fontkit from 'fontkit';
import { describe, expect, it } from 'vitest';
import { parseMoney } from '../../src/domain/money';
import { memberFigure } from '../../src/domain/ledger';
import { buildHolderStatement } from '../../src/domain/statements/holder-statement';
import { renderHolderStatementPdf } from '../../src/pdf/holder-statement-pdf';
import { WORDING } from '../../src/services/statements/wording';

/**
 * The embedded fonts, checked glyph by glyph: every glyph a statement draws must, in the font file embedded in that
 * PDF, have the outline and width of the letter its ToUnicode entry says it is (what a reader sees and what a screen
 * reader or a copy-paste gets must agree). Covers documents drawn only from the prebuilt glyph set and documents that
 * need glyphs outside it.
 */
const require = createRequire(import.meta.url);
const ORIGINAL = {
  DejaVuSans: fontkit.openSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf')) as fontkit.Font,
  'DejaVuSans-Bold': fontkit.openSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf')) as fontkit.Font,
};

/** A short statement; `correction` is the reason typed for its one correction (drawn in the body font). */
function statementPdf(name: string, language: 'en' | 'cy' = 'en', correction = 'keyed twice') {
  const movement = (entryId: string, day: string, amount: string, kind = 'dp_receipt') => ({
    entryId,
    valueDate: `2026-03-${day}`,
    kind,
    memo: kind === 'reversal' ? `Reversal: ${correction}` : 'Direct Payment received',
    reference: `REF-${entryId}`,
    providerName: null,
    costDescription: null,
    poolName: null,
    accountId: 'f',
    category: null,
    amount: memberFigure(amount),
  });
  const statement = buildHolderStatement({
    member: { id: 'm', name, laReference: 'DP-1' },
    coop: { name: 'Cronfa Gofal' },
    localAuthority: { code: 'GWN', name: 'Gwynedd', surplusThresholdWeeks: 8 },
    period: { from: '2026-03-01', to: '2026-03-31' },
    language,
    wording: WORDING[language],
    accounts: [{ id: 'f', kind: 'holder_funds', poolName: null, opening: memberFigure('1250.00') }],
    movements: [
      movement('a', '02', '400.00'),
      movement('b', '16', '400.00'),
      movement('c', '30', '-125.50', 'reversal'),
    ],
    sharedCosts: [],
    purchases: [],
    award: { amount: parseMoney('200.00'), frequency: 'weekly' },
  });
  return renderHolderStatementPdf(statement, WORDING[language]);
}

interface PdfObject {
  dictionary: string;
  stream: Buffer | null;
}

/** Every indirect object of a PDF as pdfkit writes them: a dictionary, then a stream of exactly /Length bytes. */
function pdfObjects(bytes: Buffer): Map<number, PdfObject> {
  const text = bytes.toString('latin1');
  const objects = new Map<number, PdfObject>();
  const header = /(\d+) 0 obj\n/g;
  for (let match = header.exec(text); match; match = header.exec(text)) {
    const start = match.index + match[0].length;
    const streamAt = text.indexOf('\nstream\n', start);
    const endAt = text.indexOf('\nendobj', start);
    if (streamAt !== -1 && streamAt < endAt) {
      const dictionary = text.slice(start, streamAt);
      const length = Number(/\/Length (\d+)/.exec(dictionary)![1]);
      const from = streamAt + '\nstream\n'.length;
      objects.set(Number(match[1]), { dictionary, stream: bytes.subarray(from, from + length) });
      header.lastIndex = from + length;
    } else {
      objects.set(Number(match[1]), { dictionary: text.slice(start, endAt), stream: null });
      header.lastIndex = endAt;
    }
  }
  return objects;
}

const refTo = (dictionary: string, key: string) => Number(new RegExp(`/${key} (\\d+) 0 R`).exec(dictionary)![1]);
const streamOf = (object: PdfObject) =>
  object.dictionary.includes('/FlateDecode') ? inflateSync(object.stream!) : object.stream!;

/** CID → the text it stands for, from a ToUnicode CMap written as bfrange arrays. */
function toUnicode(cmap: string): Map<number, string> {
  const map = new Map<number, string>();
  for (const [, start, body] of cmap.matchAll(/<([0-9a-f]{4})> <[0-9a-f]{4}> \[([^\]]*)\]/g)) {
    [...body!.matchAll(/<([0-9a-f ]*)>/g)].forEach(([, hex], i) => {
      const units = hex!
        .split(' ')
        .filter(Boolean)
        .map((h) => parseInt(h, 16));
      map.set(parseInt(start!, 16) + i, String.fromCharCode(...units));
    });
  }
  return map;
}

interface EmbeddedFont {
  name: keyof typeof ORIGINAL;
  file: Buffer;
  program: fontkit.Font;
  text: Map<number, string>;
  widths: number[];
  drawn: Set<number>;
}

/** The fonts a PDF embeds, with the CIDs its pages draw in each. */
function embeddedFonts(bytes: Buffer): EmbeddedFont[] {
  const objects = pdfObjects(bytes);
  const byResourceName = new Map<string, EmbeddedFont>();
  const fonts: EmbeddedFont[] = [];
  for (const object of objects.values()) {
    if (!object.dictionary.includes('/Type /Page\n')) continue;
    const resources = objects.get(refTo(object.dictionary, 'Resources'))!.dictionary;
    for (const [, resourceName, id] of resources.matchAll(/\/(F\d+) (\d+) 0 R/g)) {
      if (byResourceName.has(resourceName!)) continue;
      const type0 = objects.get(Number(id))!.dictionary;
      const descendant = objects.get(Number(/\/DescendantFonts \[(\d+) 0 R\]/.exec(type0)![1]))!.dictionary;
      const descriptor = objects.get(refTo(descendant, 'FontDescriptor'))!.dictionary;
      const file = streamOf(objects.get(refTo(descriptor, 'FontFile2'))!);
      const widths = /\/W \[0 \[([^\]]*)\]\]/.exec(descendant)![1]!.trim().split(/\s+/).map(Number);
      const font: EmbeddedFont = {
        name: /\/BaseFont \/[A-Z]{6}\+(\S+)/.exec(type0)![1] as keyof typeof ORIGINAL,
        file,
        program: fontkit.create(file) as fontkit.Font,
        text: toUnicode(streamOf(objects.get(refTo(type0, 'ToUnicode'))!).toString('latin1')),
        widths,
        drawn: new Set(),
      };
      byResourceName.set(resourceName!, font);
      fonts.push(font);
    }
    const contents = streamOf(objects.get(refTo(object.dictionary, 'Contents'))!).toString('latin1');
    let current: EmbeddedFont | undefined;
    for (const [, fontName, shown] of contents.matchAll(/\/(F\d+) [\d.]+ Tf|\[([^\]]*)\] TJ/g)) {
      if (fontName) current = byResourceName.get(fontName);
      for (const [, hex] of (shown ?? '').matchAll(/<([0-9a-f]+)>/g)) {
        for (let i = 0; i < hex!.length; i += 4) current!.drawn.add(parseInt(hex!.slice(i, i + 4), 16));
      }
    }
  }
  return fonts;
}

/** Every drawn glyph is, in the embedded font, the glyph the original font has for the text it is mapped to. */
function expectGlyphsMatchTheirText(bytes: Buffer) {
  const fonts = embeddedFonts(bytes);
  expect(fonts.map((f) => f.name).sort()).toEqual(['DejaVuSans', 'DejaVuSans-Bold']);
  let checked = 0;
  for (const font of fonts) {
    const original = ORIGINAL[font.name];
    expect(font.drawn.size).toBeGreaterThan(10);
    for (const cid of font.drawn) {
      const text = font.text.get(cid);
      expect(text, `CID ${cid} of ${font.name} has text`).toBeTruthy();
      const expected = original.layout(text!).glyphs;
      expect(expected, `"${text}" is one glyph`).toHaveLength(1);
      const embedded = font.program.getGlyph(cid);
      expect(embedded.path.toSVG(), `outline of "${text}" in ${font.name}`).toBe(expected[0]!.path.toSVG());
      expect(embedded.advanceWidth).toBe(expected[0]!.advanceWidth);
      expect(font.widths[cid]).toBeCloseTo((expected[0]!.advanceWidth * 1000) / original.unitsPerEm, 3);
      checked += 1;
    }
  }
  return { fonts, checked };
}

describe('embedded fonts', () => {
  it('draw every letter of an English and a Welsh statement as the letter its text says', async () => {
    for (const [name, language] of [
      ['Gwenllian Ŵyn', 'en'],
      ['Dafydd Tŷ-Gwyn ap Siôn', 'cy'],
    ] as const) {
      const { checked } = expectGlyphsMatchTheirText(await statementPdf(name, language));
      expect(checked).toBeGreaterThan(40);
    }
  });

  it('embed the same prebuilt font files in documents drawn from the common letters', async () => {
    const first = embeddedFonts(await statementPdf('Gwenllian Ŵyn', 'en'));
    const second = embeddedFonts(await statementPdf('Rhodri Ẁyn Ýr Ŷs', 'cy', 'Office fees'));
    expect(second.map((f) => f.file)).toEqual(first.map((f) => f.file));
  });

  it('build fonts for a document that needs other glyphs, and every glyph still matches its text', async () => {
    // Greek and Cyrillic are outside the prebuilt set: in the name (the bold heading) and in a description (body text).
    const odd = 'Zoë Ωmega Дж';
    const { fonts } = expectGlyphsMatchTheirText(await statementPdf(odd, 'en', `Paid by ${odd}`));
    const common = embeddedFonts(await statementPdf('Gwenllian Ŵyn', 'en'));
    for (const font of fonts) {
      expect(font.file.equals(common.find((f) => f.name === font.name)!.file)).toBe(false);
      expect([...font.drawn].map((cid) => font.text.get(cid))).toEqual(expect.arrayContaining(['Ω', 'Д', 'ж']));
    }
  });

  it('draw a combining accent that the prebuilt set holds only inside another glyph', async () => {
    // "w" and a combining circumflex draws the accent glyph that the prebuilt ŵ holds only as a component.
    const odd = 'Gwen w\u0302yn';
    const { fonts } = expectGlyphsMatchTheirText(await statementPdf(odd, 'en', `Paid by ${odd}`));
    for (const font of fonts) expect([...font.drawn].map((cid) => font.text.get(cid))).toContain('\u0302');
  });

  it('give the same bytes for the same statement, whatever was rendered in between', async () => {
    const before = await statementPdf('Gwenllian Ŵyn', 'cy');
    await statementPdf('Zoë Ωmega Дж w\u0302', 'en', 'Paid by Zoë Ωmega Дж w\u0302');
    await statementPdf('Ffion Ffitch', 'en', 'Office fees for the first fiscal quarter');
    expect((await statementPdf('Gwenllian Ŵyn', 'cy')).equals(before)).toBe(true);
  });
});
