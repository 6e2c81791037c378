/** The page every statement is printed on: A4, in either orientation, with the same margins. */
export type PageLayout = 'portrait' | 'landscape';

export const PAGE_SIZE = 'A4';
/** A4 in points, as pdfkit sizes it: what a table can be planned against before its document exists. */
const A4 = { short: 595.28, long: 841.89 };

export const PAGE_MARGIN = 50;

export function pageWidth(layout: PageLayout): number {
  return layout === 'portrait' ? A4.short : A4.long;
}
