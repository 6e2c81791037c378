import PDFDocument from 'pdfkit';
import { fill, longDate } from '../domain/statements/wording';
import { installFonts } from './fonts';
import { PAGE_MARGIN, PAGE_SIZE, type PageLayout } from './page';

export { type Column, drawTable, planTable, table } from './table';

/**
 * An accessible, reproducible PDF: tagged with its language and title, a Unicode font embedded, and no clock or
 * random value inside (the creation date is the statement's own date), so the same statement gives the same bytes.
 */
export interface DocumentOptions {
  title: string;
  language: 'en' | 'cy';
  /** The date the document is "of" (its period end): used for the creation date instead of the clock. */
  documentDate: string;
  /** Its pages' orientation (a table may still turn its own pages to landscape). */
  layout?: PageLayout;
}

export function createDocument(options: DocumentOptions): PDFKit.PDFDocument {
  const date = new Date(`${options.documentDate}T00:00:00Z`);
  const doc = new PDFDocument({
    size: PAGE_SIZE,
    layout: options.layout ?? 'portrait',
    margins: { top: PAGE_MARGIN, bottom: PAGE_MARGIN + 20, left: PAGE_MARGIN, right: PAGE_MARGIN },
    bufferPages: true,
    tagged: true,
    lang: options.language === 'cy' ? 'cy-GB' : 'en-GB',
    displayTitle: true,
    pdfVersion: '1.7',
    info: {
      Title: options.title,
      Author: 'Cronfa',
      Creator: 'Cronfa',
      Producer: 'Cronfa',
      CreationDate: date,
      ModDate: date,
    },
    // No default Helvetica: it is never used, and loading its metrics for every document costs time.
    font: null as unknown as string,
  });
  installFonts(doc);
  doc.font('body');
  collectPageContent(doc.page);
  doc.on('pageAdded', () => collectPageContent(doc.page));
  return doc;
}

interface PdfkitPage {
  content: { write(chunk: string | Uint8Array): void };
  write(chunk: string | Uint8Array): void;
  end(): void;
}

/**
 * A page's drawing operators arrive as many short lines, which pdfkit turns into a Buffer each. They are kept as text
 * here and given to the page's content stream in one piece when the page ends: the same bytes (pdfkit writes a text
 * line in its binary form with a newline), far fewer allocations.
 */
function collectPageContent(pdfPage: PDFKit.PDFPage): void {
  const page = pdfPage as unknown as PdfkitPage;
  const lines: string[] = [];
  const flush = () => {
    if (lines.length > 0) page.content.write(Buffer.from(lines.join(''), 'latin1'));
    lines.length = 0;
  };
  const end = page.end.bind(page);
  page.write = (chunk) => {
    if (typeof chunk === 'string') lines.push(`${chunk}\n`);
    else {
      flush();
      page.content.write(chunk);
    }
  };
  page.end = () => {
    flush();
    end();
  };
}

interface PdfkitOutput {
  _offset: number;
  _write(data: string | Buffer): void;
}

/**
 * Finishes a document and returns its bytes. pdfkit writes a document line by line, turning each line into a Buffer
 * and a stream chunk; here the lines are kept as they come and copied into one buffer at the end, which is much
 * cheaper for a short statement. The bytes are the same: pdfkit writes its lines in their binary (latin1) form.
 */
export function toBuffer(doc: PDFKit.PDFDocument): Promise<Buffer> {
  const output = doc as unknown as PdfkitOutput;
  // What pdfkit wrote before this (its header) is waiting in the stream; take it first.
  const head = doc.read() as Buffer | null;
  const parts: (string | Buffer)[] = head ? [head] : [];
  const start = output._offset - (head?.length ?? 0);
  output._write = (data) => {
    const part = Buffer.isBuffer(data) ? data : `${data}\n`;
    parts.push(part);
    output._offset += part.length;
  };
  return new Promise((resolve, reject) => {
    doc.on('data', () => reject(new Error('pdfkit wrote around the collector')));
    doc.on('end', () => {
      const bytes = Buffer.allocUnsafe(output._offset - start);
      let at = 0;
      for (const part of parts) at += typeof part === 'string' ? bytes.write(part, at, 'latin1') : part.copy(bytes, at);
      resolve(bytes);
    });
    doc.on('error', reject);
    doc.end();
  });
}

/** A heading, tagged as one, in bold: structure and emphasis never rely on colour. */
export function heading(
  doc: PDFKit.PDFDocument,
  parent: PDFKit.PDFStructureElement,
  level: 'H1' | 'H2',
  text: string,
): void {
  parent.add(
    doc.struct(level, {}, () => {
      doc
        .font('bold')
        .fontSize(level === 'H1' ? 18 : 13)
        .text(text, { paragraphGap: 6 });
      doc.font('body').fontSize(10);
    }),
  );
}

export function paragraph(doc: PDFKit.PDFDocument, parent: PDFKit.PDFStructureElement, text: string): void {
  parent.add(doc.struct('P', {}, () => doc.font('body').fontSize(10).text(text, { paragraphGap: 4 })));
}

/** "Page 2 of 5" on every page, marked as a pagination artifact so screen readers skip it. */
export function numberPages(doc: PDFKit.PDFDocument, label: (page: number, pages: number) => string): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i += 1) {
    doc.switchToPage(i);
    // The footer sits in the bottom margin: lift the margin while writing it, or pdfkit would start a new page.
    const bottomMargin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.markContent('Artifact', { type: 'Pagination' });
    const y = doc.page.height - PAGE_MARGIN;
    doc
      .font('body')
      .fontSize(8)
      .text(label(i + 1, range.count), PAGE_MARGIN, y, {
        width: doc.page.width - 2 * PAGE_MARGIN,
        align: 'center',
        lineBreak: false,
      });
    doc.endMarkedContent();
    doc.page.margins.bottom = bottomMargin;
  }
}

/**
 * Opens a statement document: its title as the first heading and the period it covers. A statement that is mostly one
 * wide table starts in landscape (`layout`), so it does not open with a portrait page holding only its title.
 */
export function beginStatement(
  title: string,
  language: 'en' | 'cy',
  period: { from: string; to: string },
  periodLabel: string,
  layout: PageLayout = 'portrait',
) {
  const doc = createDocument({ title, language, documentDate: period.to, layout });
  const root = doc.struct('Document');
  doc.addStructure(root);
  heading(doc, root, 'H1', title);
  paragraph(doc, root, `${periodLabel}: ${longDate(period.from, language)} – ${longDate(period.to, language)}`);
  return { doc, root };
}

/** Closes the structure, numbers the pages ("Page 2 of 5") and returns the bytes. */
export function finishStatement(
  doc: PDFKit.PDFDocument,
  root: PDFKit.PDFStructureElement,
  pageLabel: string,
): Promise<Buffer> {
  root.end();
  numberPages(doc, (page, pages) => fill(pageLabel, { page, pages }));
  return toBuffer(doc);
}
