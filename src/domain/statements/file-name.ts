/**
 * The file name a statement is saved as: what it is, whose, the period and the language, e.g.
 * `holder-statement-DP-1000-2026-01-01-2026-03-31-cy.pdf`. Names may keep Welsh letters (a co-op's name); characters
 * that file systems or headers refuse become hyphens.
 */
export function statementFileName(
  parts: readonly string[],
  request: { from: string; to: string; format: string },
  language: string,
): string {
  const clean = (part: string) =>
    part
      .replace(/[\p{Cc}\s/\\:*?"<>|;,]+/gu, '-')
      .replace(/-+/g, '-')
      .replace(/^-|-$/g, '');
  return `${[...parts, request.from, request.to, language].map(clean).filter(Boolean).join('-')}.${request.format}`;
}

/** The same name in plain ASCII, for clients that cannot read an RFC 6266 `filename*` (ŵ → w, others → _). */
export function asciiFileName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]/g, '_');
}

/**
 * Saved under its own name (RFC 6266): a plain ASCII `filename` every client reads, and the name as it is, Welsh
 * letters and all, in `filename*` (RFC 8187 encoding) when it has any other letter.
 */
export function contentDisposition(fileName: string): string {
  const ascii = asciiFileName(fileName).replace(/["\\]/g, '_');
  if (ascii === fileName) return `attachment; filename="${ascii}"`;
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
