// The entry point of a PDF render thread. A worker thread does not inherit the TypeScript loader of the thread that
// starts it (under the test runner, for one), so it registers it before loading the renderer.
import { register } from 'tsx/esm/api';

register();
const { renderPdf } = await import('./render.ts');

export default renderPdf;
