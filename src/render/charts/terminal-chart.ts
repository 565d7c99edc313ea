/**
 * A vertical bar chart as lines of text, for a terminal: one bar per column (a week), scaled
 * from zero to the largest value or target, a target marker in each column, a y-axis with
 * three labels and a legend. Pure: the caller says what to draw, the palette and screen how.
 *
 * Bars start at zero on purpose: a bar's length is its value, so two bars compare honestly.
 * Heights are rounded to the nearest eighth of a row (the top cell is one of the eight block
 * eighths); in ASCII to the nearest whole row.
 */
import type { Palette, Screen } from '../../terminal/terminal.js';

export interface ChartBar {
  /** Under the column, e.g. the week's MM-DD. */
  label: string;
  /** Null: no figure for this column (a missing week), drawn as an empty column with a mark. */
  value: number | null;
  /** Where the column's target marker goes; null: no target for it. */
  target: number | null;
  /** An estimate (a reconstructed week): drawn with another fill. */
  estimated: boolean;
  /** Colours the bar: green when met, yellow when missed, plain when not known. */
  met: boolean | null;
}

export interface BarChart {
  title: string;
  bars: ChartBar[];
  /** An axis label for a value in the chart's unit. */
  tick(value: number): string;
  legend: { bar: string; target: string; estimated: string; missing: string };
  /** Rows of the plot area (default 8). */
  height?: number;
}

export const DEFAULT_CHART_HEIGHT = 8;

interface Glyphs {
  fill: string;
  estimated: string;
  /** The top cell of a bar by eighths (index 0 is one eighth); null: whole rows only. */
  eighths: string | null;
  target: string;
  missing: string;
  negative: string;
  axis: string;
  tick: string;
  corner: string;
  baseline: string;
}

const UNICODE_GLYPHS: Glyphs = { fill: '█', estimated: '▒', eighths: '▁▂▃▄▅▆▇█', target: '─', missing: '·', negative: '▼', axis: '│', tick: '┤', corner: '└', baseline: '─' };
const ASCII_GLYPHS: Glyphs = { fill: '#', estimated: '+', eighths: null, target: '-', missing: '?', negative: 'v', axis: '|', tick: '|', corner: '+', baseline: '-' };

/** How wide a column group is drawn: the widest first, narrower ones to fit a screen. */
export interface ColumnLayout {
  bar: number;
  gap: number;
}
export const COLUMN_LAYOUTS: readonly ColumnLayout[] = [
  { bar: 4, gap: 2 },
  { bar: 3, gap: 1 },
  { bar: 2, gap: 1 },
  { bar: 1, gap: 1 },
];

/**
 * A bar's height in units of 1/`resolution` row (8 for block eighths, 1 for whole rows):
 * zero for zero, negative or missing values, which have no bar above the baseline.
 */
export function barUnits(value: number | null, scale: number, height: number, resolution: number): number {
  if (value === null || value <= 0 || scale <= 0) return 0;
  return Math.round((value / scale) * height * resolution);
}

/** The row (0 = bottom) whose cell holds the target height; null when there is none to draw. */
export function targetRow(target: number | null, scale: number, height: number): number | null {
  if (target === null || target < 0 || scale <= 0) return null;
  return Math.min(height - 1, Math.floor((target / scale) * height));
}

export interface ChartFit {
  layout: ColumnLayout;
  /** Labels on every `labelStride`-th column, counted back from the newest. */
  labelStride: number;
  /** How many of the newest columns are drawn. */
  shown: number;
}

/**
 * The widest layout that shows every column within `width` (null: no limit); if even the
 * narrowest does not, it shows as many of the newest columns as fit.
 */
export function fitColumns(count: number, labelWidth: number, axisWidth: number, width: number | null): ChartFit {
  const strideOf = (layout: ColumnLayout) => Math.ceil((labelWidth + 1) / (layout.bar + layout.gap));
  const needed = (layout: ColumnLayout, columns: number) => axisWidth + (columns - 1) * (layout.bar + layout.gap) + Math.max(layout.bar, labelWidth);
  const widest = COLUMN_LAYOUTS[0]!;
  if (width === null) return { layout: widest, labelStride: strideOf(widest), shown: count };
  for (const layout of COLUMN_LAYOUTS) {
    if (needed(layout, count) <= width) return { layout, labelStride: strideOf(layout), shown: count };
  }
  const narrowest = COLUMN_LAYOUTS.at(-1)!;
  const room = width - axisWidth - Math.max(narrowest.bar, labelWidth);
  const shown = Math.min(count, Math.max(1, Math.floor(room / (narrowest.bar + narrowest.gap)) + 1));
  return { layout: narrowest, labelStride: strideOf(narrowest), shown };
}

export function renderBarChart(chart: BarChart, palette: Palette, screen: Screen): string[] {
  const glyphs = screen.unicode ? UNICODE_GLYPHS : ASCII_GLYPHS;
  const height = chart.height ?? DEFAULT_CHART_HEIGHT;
  const resolution = glyphs.eighths ? 8 : 1;
  const scale = Math.max(0, ...chart.bars.flatMap((bar) => [bar.value ?? 0, bar.target ?? 0]));
  // Each labelled row's label is the value at its top edge: the top row's is the scale.
  const middleRow = Math.floor(height / 2) - 1;
  const ticks = new Map<number, string>([
    [height - 1, chart.tick(scale)],
    [middleRow, chart.tick((scale * (middleRow + 1)) / height)],
  ]);
  const zeroTick = chart.tick(0);
  const tickWidth = Math.max(zeroTick.length, ...[...ticks.values()].map((text) => text.length));
  const axisWidth = tickWidth + 3;
  const labelWidth = Math.max(0, ...chart.bars.map((bar) => bar.label.length));

  const fit = fitColumns(chart.bars.length, labelWidth, axisWidth, screen.width);
  const bars = chart.bars.slice(chart.bars.length - fit.shown);
  const { bar: barWidth, gap } = fit.layout;
  const mark = (glyph: string) => {
    const before = Math.floor((barWidth - 1) / 2);
    return ' '.repeat(before) + glyph + ' '.repeat(barWidth - before - 1);
  };
  const colourOf = (bar: ChartBar) => (bar.met === true ? palette.success : bar.met === false ? palette.warning : (text: string) => text);

  const cell = (bar: ChartBar, row: number): string => {
    if (bar.value === null) return row === 0 ? palette.dim(mark(glyphs.missing)) : ' '.repeat(barWidth);
    if (targetRow(bar.target, scale, height) === row) return glyphs.target.repeat(barWidth);
    if (bar.value < 0) return row === 0 ? colourOf(bar)(mark(glyphs.negative)) : ' '.repeat(barWidth);
    const units = barUnits(bar.value, scale, height, resolution);
    const fullRows = Math.floor(units / resolution);
    if (row < fullRows) return colourOf(bar)((bar.estimated ? glyphs.estimated : glyphs.fill).repeat(barWidth));
    const rest = units % resolution;
    if (row === fullRows && rest > 0 && glyphs.eighths) return colourOf(bar)(glyphs.eighths[rest - 1]!.repeat(barWidth));
    return ' '.repeat(barWidth);
  };

  const lines = [palette.heading(chart.title)];
  for (let row = height - 1; row >= 0; row -= 1) {
    const tick = ticks.get(row);
    const prefix = `${(tick ?? '').padStart(tickWidth)} ${tick === undefined ? glyphs.axis : glyphs.tick} `;
    lines.push((prefix + bars.map((bar) => cell(bar, row)).join(' '.repeat(gap))).trimEnd());
  }
  const plotWidth = bars.length * (barWidth + gap) - gap;
  lines.push(`${zeroTick.padStart(tickWidth)} ${glyphs.corner}${glyphs.baseline.repeat(plotWidth + 1)}`);
  lines.push((' '.repeat(axisWidth) + labelRow(bars, fit)).trimEnd());

  const legend = [`${glyphs.fill} ${chart.legend.bar}`, `${glyphs.target} ${chart.legend.target}`];
  if (bars.some((bar) => bar.estimated && bar.value !== null)) legend.push(`${glyphs.estimated} ${chart.legend.estimated}`);
  if (bars.some((bar) => bar.value === null)) legend.push(`${glyphs.missing} ${chart.legend.missing}`);
  if (bars.some((bar) => bar.value !== null && bar.value < 0)) legend.push(`${glyphs.negative} below zero`);
  const hidden = chart.bars.length - bars.length;
  if (hidden > 0) legend.push(`${hidden} earlier ${hidden === 1 ? 'column' : 'columns'} left out to fit ${screen.width} columns`);
  lines.push(...wrapItems(legend, screen.width).map((line) => palette.dim(line)));
  return lines;
}

/** The labels of every `labelStride`-th column, the newest always labelled. */
function labelRow(bars: readonly ChartBar[], fit: ChartFit): string {
  const step = fit.layout.bar + fit.layout.gap;
  let row = '';
  bars.forEach((bar, index) => {
    if ((bars.length - 1 - index) % fit.labelStride !== 0) return;
    row = row.padEnd(index * step) + bar.label;
  });
  return row;
}

/** Items joined by two spaces, a new line before an item that would pass `width`. */
function wrapItems(items: readonly string[], width: number | null): string[] {
  const lines: string[] = [];
  for (const item of items) {
    const last = lines.at(-1);
    if (last !== undefined && (width === null || last.length + 2 + item.length <= width)) lines[lines.length - 1] = `${last}  ${item}`;
    else lines.push(item);
  }
  return lines;
}
