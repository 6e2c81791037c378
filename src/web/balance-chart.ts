import { decimal } from '../domain/money';

/**
 * The holder's money over time as an SVG line chart drawn on the server: no script, no third party. It is a picture
 * of the table beside it (which carries the same figures), so it is labelled as one image with a text summary.
 */
export function balanceChartSvg(
  points: readonly { label: string; total: string }[],
  text: { title: string; summary: string; id: string },
): string {
  const width = 720;
  const height = 280;
  const left = 80;
  const right = 48;
  const top = 16;
  const bottom = 48;
  const values = points.map((p) => decimal(p.total));
  // Only the drawing turns figures into numbers (pixel positions); every figure a person reads is the exact text.
  const highest = values.reduce((max, v) => (v.gt(max) ? v : max), decimal(0));
  const ceiling = niceCeiling(highest.toNumber());
  const x = (i: number) => left + (points.length <= 1 ? 0 : (i * (width - left - right)) / (points.length - 1));
  const y = (value: number) => top + (height - top - bottom) * (1 - (ceiling === 0 ? 0 : value / ceiling));
  const path = values.map((v, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(v.toNumber()).toFixed(1)}`).join(' ');
  const grid = [0, 0.5, 1].map((f) => {
    const value = ceiling * f;
    return (
      `<line class="cronfa-chart__grid" x1="${left}" x2="${width - right}" y1="${y(value)}" y2="${y(value)}"/>` +
      `<text x="${left - 8}" y="${y(value) + 5}" text-anchor="end">£${Math.round(value).toLocaleString('en-GB')}</text>`
    );
  });
  const labels = points.map((p, i) =>
    // Every other month, counted back from the last, so the labels never overlap.
    (points.length - 1 - i) % 2 === 0
      ? `<text x="${x(i)}" y="${height - bottom + 24}" text-anchor="middle">${escapeXml(p.label)}</text>`
      : '',
  );
  const dots = values.map((v, i) => `<circle class="cronfa-chart__point" cx="${x(i)}" cy="${y(v.toNumber())}" r="4"/>`);
  return (
    `<svg class="cronfa-chart" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${text.id}-title ${text.id}-desc" focusable="false">` +
    `<title id="${text.id}-title">${escapeXml(text.title)}</title><desc id="${text.id}-desc">${escapeXml(text.summary)}</desc>` +
    grid.join('') +
    `<line class="cronfa-chart__axis" x1="${left}" x2="${width - right}" y1="${height - bottom}" y2="${height - bottom}"/>` +
    `<path class="cronfa-chart__line" d="${path}"/>` +
    dots.join('') +
    labels.join('') +
    `</svg>`
  );
}

/** A round number at or above the highest value, for the top grid line (the chart is a picture; figures are exact in the table). */
function niceCeiling(value: number): number {
  if (value <= 0) return 100;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  const steps = [1, 2, 2.5, 5, 10];
  const step = steps.find((s) => s * magnitude >= value) ?? 10;
  return step * magnitude;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
