import { escapeHtml } from '../html/escape.js';
import { barChartGeometry, sparklinePoints, waterfallGeometry, type PlotBox, type WaterfallStep } from './geometry.js';
import type { LinearScale } from './scale.js';

/** Pixel positions with two decimals: enough for any screen, and the same text on every run. */
const px = (value: number) => String(Math.round(value * 100) / 100);

/**
 * The frame every chart shares: `role="img"` with a label and a `<title>` saying what it
 * shows. The numbers themselves are in the text alternative next to the chart.
 */
function svgFrame(width: number, height: number, label: string, content: string[], className: string): string {
  const text = escapeHtml(label);
  return [`<svg class="chart ${className}" role="img" aria-label="${text}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" preserveAspectRatio="xMinYMin meet">`, `<title>${text}</title>`, ...content, '</svg>'].join('\n');
}

function valueAxis(scale: LinearScale, box: PlotBox, formatTick: (value: number) => string): string[] {
  return scale.ticks.map((tick) => {
    const y = px(scale.y(tick));
    return `<g class="tick"><line x1="${box.left}" x2="${box.width - box.right}" y1="${y}" y2="${y}"/><text x="${box.left - 6}" y="${y}" dy="0.32em" text-anchor="end">${escapeHtml(formatTick(tick))}</text></g>`;
  });
}

function categoryLabel(label: string, x: number, box: PlotBox): string {
  return `<text class="category" x="${px(x)}" y="${box.height - box.bottom + 16}" text-anchor="middle">${escapeHtml(label)}</text>`;
}

const CHART_BOX: PlotBox = { width: 640, height: 260, left: 64, top: 12, bottom: 28, right: 12 };

export interface BarChartInput {
  label: string;
  points: ReadonlyArray<{ label: string; value: number | null; target: number | null }>;
  formatTick(value: number): string;
}

/** Bars per category with the target as a dashed line and dots (one per category). */
export function barChartSvg(input: BarChartInput, box: PlotBox = CHART_BOX): string {
  const geometry = barChartGeometry(input.points, box);
  const content = [
    ...valueAxis(geometry.scale, box, input.formatTick),
    ...geometry.bars.map((bar) => `<rect class="bar" x="${px(bar.x)}" y="${px(bar.y)}" width="${px(bar.width)}" height="${px(bar.height)}"/>`),
    ...geometry.slots.filter((slot) => slot.labelled).map((slot) => categoryLabel(slot.label, slot.x, box)),
  ];
  if (geometry.target.length > 0) {
    content.push(`<polyline class="target" points="${geometry.target.map((point) => `${px(point.x)},${px(point.y)}`).join(' ')}"/>`);
    content.push(...geometry.target.map((point) => `<circle class="target-point" cx="${px(point.x)}" cy="${px(point.y)}" r="3"/>`));
  }
  content.push(`<line class="zero" x1="${box.left}" x2="${box.width - box.right}" y1="${px(geometry.zeroY)}" y2="${px(geometry.zeroY)}"/>`);
  return svgFrame(box.width, box.height, input.label, content, 'bar-chart');
}

/** A trend line with the newest value marked; nothing at all for no values. */
export function sparklineSvg(values: readonly number[], label: string, width = 96, height = 24): string {
  const points = sparklinePoints(values, width, height);
  const last = points.at(-1);
  if (!last) return '';
  const content = [
    points.length > 1 ? `<polyline class="spark" points="${points.map(([x, y]) => `${px(x)},${px(y)}`).join(' ')}"/>` : '',
    `<circle class="spark-now" cx="${px(last[0])}" cy="${px(last[1])}" r="2"/>`,
  ].filter((line) => line !== '');
  return svgFrame(width, height, label, content, 'sparkline');
}

/** Totals stand on zero; increases and decreases float from the level the previous step reached. */
export function waterfallSvg(input: { label: string; steps: readonly WaterfallStep[]; formatTick(value: number): string }, box: PlotBox = CHART_BOX): string {
  const geometry = waterfallGeometry(input.steps, box);
  const content = [
    ...valueAxis(geometry.scale, box, input.formatTick),
    ...geometry.bars.map((bar) => `<rect class="step ${bar.kind}" x="${px(bar.x)}" y="${px(bar.y)}" width="${px(bar.width)}" height="${px(Math.max(bar.height, 1))}"/>`),
    ...geometry.bars.map((bar) => categoryLabel(bar.label, bar.x + bar.width / 2, box)),
    // Movements are often small beside the totals (zero stays on the scale): each step says its size.
    ...geometry.bars.map((bar) => {
      const below = bar.kind === 'decrease';
      const text = `${bar.kind === 'increase' && bar.value > 0 ? '+' : ''}${input.formatTick(bar.value)}`;
      return `<text class="step-value" x="${px(bar.x + bar.width / 2)}" y="${px(below ? bar.y + Math.max(bar.height, 1) + 12 : bar.y - 4)}" text-anchor="middle">${escapeHtml(text)}</text>`;
    }),
    `<line class="zero" x1="${box.left}" x2="${box.width - box.right}" y1="${px(geometry.zeroY)}" y2="${px(geometry.zeroY)}"/>`,
  ];
  return svgFrame(box.width, box.height, input.label, content, 'waterfall');
}
