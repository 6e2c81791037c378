import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * DejaVu Sans, shipped by the dejavu-fonts-ttf package: a Unicode font that draws every Welsh letter (ŵ ŷ Ŵ Ŷ â ê…),
 * which the built-in PDF fonts cannot. Read once per process; pdfkit embeds the subset each document uses.
 */
const require = createRequire(import.meta.url);

export const FONT_REGULAR = readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'));
export const FONT_BOLD = readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'));
