import { escapeHtml } from './escape.js';

/**
 * Light colours first, dark ones when the reader's system asks, on screen only (paper is
 * white: printed from a dark-mode laptop, the light-background colours must apply); every
 * text colour keeps at least 4.5:1 against its background. Status is never colour alone: a
 * word and a symbol go with it. Print: A4, no dark background, and no chart or table row
 * split across pages.
 */
const STYLE = `
:root { color-scheme: light dark; --bg: #ffffff; --fg: #1b1f24; --muted: #57606a; --rule: #d0d7de; --panel: #f6f8fa;
  --red: #b42318; --yellow: #7a5200; --green: #1a7f37; --bar: #2f6fb3; --target: #b42318; --increase: #1a7f37; --decrease: #b42318; --total: #57606a; }
@media screen and (prefers-color-scheme: dark) {
  :root { --bg: #0d1117; --fg: #e6edf3; --muted: #9da7b3; --rule: #30363d; --panel: #161b22;
    --red: #ff7b72; --yellow: #e3b341; --green: #3fb950; --bar: #58a6ff; --target: #ff7b72; --increase: #3fb950; --decrease: #ff7b72; --total: #9da7b3; }
}
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 72rem; padding: 1.5rem 1rem 3rem; background: var(--bg); color: var(--fg);
  font: 16px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", "DejaVu Sans", sans-serif; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; } h2 { font-size: 1.25rem; margin: 2rem 0 .5rem; border-bottom: 1px solid var(--rule); padding-bottom: .25rem; }
h3 { font-size: 1.05rem; margin: 1.25rem 0 .25rem; }
.meta, .note, figcaption, .spark-text { color: var(--muted); }
.spark-text { font-size: .8rem; display: block; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
th, td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid var(--rule); vertical-align: top; }
th { font-weight: 600; background: var(--panel); }
td.number, th.number { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.status { font-weight: 600; white-space: nowrap; }
.status-red, .band-red { color: var(--red); } .status-yellow, .band-yellow { color: var(--yellow); } .status-green, .band-green { color: var(--green); }
figure { margin: 1rem 0; padding: .75rem; background: var(--panel); border-radius: 6px; }
svg.chart { max-width: 100%; height: auto; display: block; font-size: 11px; }
svg.bar-chart, svg.waterfall { width: 100%; max-width: 48rem; }
svg.chart text { fill: var(--muted); }
svg.chart .step-value { fill: var(--fg); font-weight: 600; }
svg.chart .tick line { stroke: var(--rule); stroke-width: 1; }
svg.chart .zero { stroke: var(--fg); stroke-width: 1; }
svg.chart .bar { fill: var(--bar); }
svg.chart .target { fill: none; stroke: var(--target); stroke-width: 2; stroke-dasharray: 6 4; }
svg.chart .target-point { fill: var(--target); }
svg.chart .step.total { fill: var(--total); } svg.chart .step.increase { fill: var(--increase); } svg.chart .step.decrease { fill: var(--decrease); }
svg.sparkline { display: inline-block; vertical-align: middle; }
svg.sparkline .spark { fill: none; stroke: var(--bar); stroke-width: 1.5; }
svg.sparkline .spark-now { fill: var(--fg); }
@media (max-width: 40rem) {
  body { font-size: 15px; padding: 1rem .75rem 2rem; } th, td { padding: .3rem .3rem; }
  table.stacked thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  table.stacked tr { display: block; padding: .4rem 0; border-bottom: 1px solid var(--rule); }
  table.stacked td { display: flex; justify-content: space-between; gap: 1rem; border: 0; padding: .1rem 0; text-align: right; }
  table.stacked td:empty { display: none; }
  table.stacked td::before { content: attr(data-label); color: var(--muted); text-align: left; font-weight: normal; }
}
@page { size: A4; margin: 14mm; }
@media print {
  :root { --bg: #ffffff; --fg: #000000; --muted: #333333; --panel: #ffffff; }
  body { max-width: none; padding: 0; font-size: 11pt; }
  figure, tr, .kpi-notes li { break-inside: avoid; page-break-inside: avoid; }
  h2, h3 { break-after: avoid; }
  .table-wrap { overflow: visible; }
}
`;

/**
 * A whole self-contained page: inline CSS and SVG, no script, no font or image from
 * anywhere else, so it opens the same offline, from a mail attachment or a CI artifact.
 */
export function htmlPage(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="kpi">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

/** A data table: outside text in `cells` must already be escaped (callers build markup in cells). */
export function htmlTable(
  caption: string | null,
  head: ReadonlyArray<{ text: string; numeric?: boolean }>,
  rows: ReadonlyArray<ReadonlyArray<{ html: string; numeric?: boolean; className?: string }>>,
  /** On a phone each row becomes a card, each cell labelled with its column: for tables too wide to scroll through. */
  options: { stacked?: boolean } = {},
): string {
  const th = head.map((cell) => `<th scope="col"${cell.numeric ? ' class="number"' : ''}>${escapeHtml(cell.text)}</th>`).join('');
  const label = (index: number) => (options.stacked ? ` data-label="${escapeHtml(head[index]?.text ?? '')}"` : '');
  const body = rows
    .map((row) => `<tr>${row.map((cell, index) => `<td${cellClass(cell)}${label(index)}>${cell.html}</td>`).join('')}</tr>`)
    .join('\n');
  return `<div class="table-wrap"><table${options.stacked ? ' class="stacked"' : ''}>${caption === null ? '' : `<caption class="meta">${escapeHtml(caption)}</caption>`}<thead><tr>${th}</tr></thead>\n<tbody>\n${body}\n</tbody></table></div>`;
}

function cellClass(cell: { numeric?: boolean; className?: string }): string {
  const classes = [cell.numeric ? 'number' : '', cell.className ?? ''].filter((name) => name !== '');
  return classes.length > 0 ? ` class="${classes.join(' ')}"` : '';
}

/** A cell holding outside or formatted text, escaped here. */
export const textCell = (text: string, options: { numeric?: boolean; className?: string } = {}) => ({ html: escapeHtml(text), ...options });
