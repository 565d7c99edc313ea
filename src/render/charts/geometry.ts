import { niceScale, type LinearScale } from './scale.js';

/** Where a chart may draw: the plot area inside the SVG's width and height. */
export interface PlotBox {
  width: number;
  height: number;
  /** Room for the value axis labels on the left. */
  left: number;
  top: number;
  /** Room for the category labels below. */
  bottom: number;
  right: number;
}

export interface Bar {
  label: string;
  value: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface BarChartGeometry {
  scale: LinearScale;
  bars: Bar[];
  /** Where each category's label is centred, missing values included; `labelled` when its label is drawn. */
  slots: Array<{ label: string; x: number; labelled: boolean }>;
  /** The target path, one point per category from the first value on. */
  target: Array<{ label: string; value: number; x: number; y: number }>;
  zeroY: number;
}

/** The value of a bar running from `from` to `to` as a rectangle: negative values go down from zero. */
function span(scale: LinearScale, from: number, to: number): { y: number; height: number } {
  const top = scale.y(Math.max(from, to));
  return { y: top, height: scale.y(Math.min(from, to)) - top };
}

/**
 * The growth target as a path: the first known value compounding by `growthPercent` a step
 * (week 0's value x (1 + t)^n). A model that states a target per step passes those instead.
 */
export function growthTargets(values: ReadonlyArray<number | null>, growthPercent: number): Array<number | null> {
  const first = values.findIndex((value) => value !== null);
  if (first < 0) return values.map(() => null);
  const base = values[first] as number;
  return values.map((_, index) => (index < first ? null : base * (1 + growthPercent / 100) ** (index - first)));
}

/**
 * About how wide a category label's character is drawn (11 px text, in the chart's own units
 * whatever its size on screen) and the space kept between two labels.
 */
const LABEL_CHARACTER_WIDTH = 6.6;
const LABEL_GAP = 6;

/** Every how many slots a label fits without overlapping the next: 1 while there is room. */
export function labelStride(slotWidth: number, labelLength: number): number {
  return Math.max(1, Math.ceil((labelLength * LABEL_CHARACTER_WIDTH + LABEL_GAP) / slotWidth));
}

/**
 * Bars for a series with gaps (a week without a snapshot has no bar, never a zero one) and a
 * target line. With many weeks only every n-th is labelled, counted back from the newest
 * (as the terminal chart does), so the labels never run into each other.
 */
export function barChartGeometry(points: ReadonlyArray<{ label: string; value: number | null; target: number | null }>, box: PlotBox): BarChartGeometry {
  const known = points.flatMap((point) => [point.value, point.target]).filter((value): value is number => value !== null);
  const scale = niceScale(known, box.top, box.height - box.bottom);
  const slotWidth = (box.width - box.left - box.right) / Math.max(1, points.length);
  const barWidth = slotWidth * 0.7;
  const stride = labelStride(slotWidth, Math.max(0, ...points.map((point) => point.label.length)));
  const slots = points.map((point, index) => ({ label: point.label, x: box.left + slotWidth * (index + 0.5), labelled: (points.length - 1 - index) % stride === 0 }));
  const bars: Bar[] = [];
  const target: BarChartGeometry['target'] = [];
  points.forEach((point, index) => {
    const centre = slots[index]!.x;
    if (point.value !== null) bars.push({ label: point.label, value: point.value, x: centre - barWidth / 2, width: barWidth, ...span(scale, 0, point.value) });
    if (point.target !== null) target.push({ label: point.label, value: point.target, x: centre, y: scale.y(point.target) });
  });
  return { scale, bars, slots, target, zeroY: scale.y(0) };
}

/** Points of a trend line in a box of `width` x `height` with `pad` all round; highest value at the top. */
export function sparklinePoints(values: readonly number[], width: number, height: number, pad = 2): Array<[number, number]> {
  if (values.length === 0) return [];
  const middle = height / 2;
  if (values.length === 1) return [[width / 2, middle]];
  const low = Math.min(...values);
  const high = Math.max(...values);
  const step = (width - 2 * pad) / (values.length - 1);
  return values.map((value, index) => [pad + index * step, high === low ? middle : pad + ((high - value) / (high - low)) * (height - 2 * pad)]);
}

export type WaterfallKind = 'total' | 'increase' | 'decrease';

export interface WaterfallStep {
  label: string;
  /** A total is a level (start, end); any other step a change from where the previous one ended. */
  value: number;
  total: boolean;
}

export interface WaterfallBar extends Bar {
  kind: WaterfallKind;
  /** The level before and after this step. */
  from: number;
  to: number;
}

/**
 * Each change starts where the previous step ended and goes up or down by its value; a
 * total stands on zero. The scale holds every level reached, so a large churn that dips
 * below an earlier level is drawn in full.
 */
export function waterfallGeometry(steps: readonly WaterfallStep[], box: PlotBox): { scale: LinearScale; bars: WaterfallBar[]; zeroY: number } {
  let level = 0;
  const spans = steps.map((step) => {
    const from = step.total ? 0 : level;
    const to = step.total ? step.value : level + step.value;
    level = to;
    return { step, from, to };
  });
  const scale = niceScale(spans.flatMap(({ from, to }) => [from, to]), box.top, box.height - box.bottom);
  const slotWidth = (box.width - box.left - box.right) / Math.max(1, steps.length);
  const barWidth = slotWidth * 0.7;
  const bars = spans.map(({ step, from, to }, index) => ({
    label: step.label,
    value: step.value,
    kind: (step.total ? 'total' : step.value < 0 ? 'decrease' : 'increase') as WaterfallKind,
    from,
    to,
    x: box.left + slotWidth * (index + 0.5) - barWidth / 2,
    width: barWidth,
    ...span(scale, from, to),
  }));
  return { scale, bars, zeroY: scale.y(0) };
}
