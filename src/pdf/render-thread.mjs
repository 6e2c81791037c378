// The entry point of a render thread. A worker thread does not inherit the TypeScript loader of the thread that
// starts it (under the test runner, for one), so it registers it before loading the renderer.
import { move } from 'piscina';
import { register } from 'tsx/esm/api';

register();
const { renderStatement } = await import('./render.ts');

/**
 * The bytes are handed over to the serving thread rather than copied there: for an LA statement, megabytes the
 * serving thread would otherwise allocate and copy (and collect). Only memory of their own can be handed over, not
 * a slice of Node's shared buffer pool.
 */
export default async function render(task) {
  const bytes = await renderStatement(task);
  const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : new Uint8Array(bytes);
  return move(own);
}
