import { Piscina } from 'piscina';
import { type PdfTask, renderPdf } from './render';

/**
 * Draws statement PDFs. Drawing one takes some milliseconds of CPU (text layout, fonts, compression); on the event
 * loop that would hold up every other request meanwhile, so it runs on render threads. The bytes are the same on any
 * thread: the document is a function of the statement alone.
 */
export interface PdfRenderer {
  render(task: PdfTask): Promise<Buffer>;
  close(): Promise<void>;
}

/** `threads` render threads, started on the first PDF; with 0, PDFs are drawn on the calling thread. */
export function createPdfRenderer(threads: number): PdfRenderer {
  if (threads === 0) return { render: renderPdf, close: async () => {} };
  let pool: Piscina<PdfTask, Uint8Array> | null = null;
  return {
    async render(task) {
      pool ??= new Piscina({
        filename: new URL('./render-thread.mjs', import.meta.url).href,
        minThreads: threads,
        maxThreads: threads,
        // The threads live as long as the service: each one loads and prepares the fonts once, when it starts.
        idleTimeout: Number.POSITIVE_INFINITY,
        // Drawing a document allocates many short-lived objects; a larger young generation collects them less often
        // (about a fifth less time per PDF, for up to this much memory per thread).
        resourceLimits: { maxYoungGenerationSizeMb: 96 },
      });
      const bytes = await pool.run(task);
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    },
    async close() {
      await pool?.destroy();
      pool = null;
    },
  };
}
