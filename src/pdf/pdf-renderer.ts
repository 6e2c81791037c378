import { Piscina } from 'piscina';
import type { StatementTask } from './render';

/**
 * Turns statements into bytes: draws every PDF, and builds and writes the pool and LA statements in any format.
 * That takes CPU (text layout, fonts, compression; for an LA statement of 10,000 holders, most of a second even as
 * JSON); on the event loop it would hold up every other request meanwhile, so it runs on render threads. The bytes
 * are the same on any thread: the document is a function of the task alone.
 */
export interface PdfRenderer {
  render(task: StatementTask): Promise<Buffer>;
  close(): Promise<void>;
}

/**
 * `threads` render threads, started on the first task; with 0, statements are made on the calling thread. The
 * renderer (pdfkit, the prepared fonts) is loaded only where it runs: kept off the serving thread's heap, it does
 * not lengthen that thread's garbage collections.
 */
export function createPdfRenderer(threads: number): PdfRenderer {
  if (threads === 0)
    return { render: async (task) => (await import('./render')).renderStatement(task), close: async () => {} };
  let pool: Piscina<StatementTask, Uint8Array> | null = null;
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
