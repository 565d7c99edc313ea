import { describe, expect, it } from 'vitest';
import { barChartGeometry, growthTargets, sparklinePoints, waterfallGeometry, type PlotBox } from '../../src/render/charts/geometry.js';
import { niceScale } from '../../src/render/charts/scale.js';
import { barChartSvg, sparklineSvg, waterfallSvg } from '../../src/render/charts/svg.js';

/** A plot area 100 px high from y=10 to y=110, 100 px wide from x=0: easy to reckon by hand. */
const BOX: PlotBox = { width: 100, height: 130, left: 0, top: 10, bottom: 20, right: 0 };

describe('niceScale', () => {
  it('takes zero in and rounds out to whole steps of 1, 2, 2.5 or 5 times a power of ten', () => {
    // 130..870 with zero: range 870 / 4 ticks = 217.5 -> residual 2.175 -> step 250; 0..1000.
    const scale = niceScale([130, 870], 10, 110);
    expect(scale.ticks).toEqual([0, 250, 500, 750, 1000]);
    expect(scale.y(0)).toBe(110);
    expect(scale.y(1000)).toBe(10);
    // 500 is half way: 110 - 50.
    expect(scale.y(500)).toBe(60);
  });

  it('goes below zero for negative values', () => {
    // -30..70: range 100 / 4 = 25 -> step 25; -50 is floor(-30/25)*25, 75 is ceil(70/25)*25.
    const scale = niceScale([-30, 70], 0, 100);
    expect(scale.ticks).toEqual([-50, -25, 0, 25, 50, 75]);
    // Zero sits 50 of 125 up from the bottom: 100 - 100 * 50/125 = 60.
    expect(scale.y(0)).toBe(60);
  });

  it('still has a range when every value is zero, and ticks without float noise', () => {
    expect(niceScale([0, 0], 0, 100).ticks).toEqual([0, 0.25, 0.5, 0.75, 1]);
    // 0.3 / 4 = 0.075 -> step 0.1: 0.1 * 3 would be 0.30000000000000004 without trimming.
    expect(niceScale([0.3], 0, 100).ticks).toEqual([0, 0.1, 0.2, 0.3]);
  });
});

describe('growth target path', () => {
  it("compounds the first week's value by the target a week, from the first week with a value", () => {
    // 1000 x 1.1 = 1100, x 1.1^2 = 1210; the week before the first value has no target.
    const targets = growthTargets([null, 1000, 900, null], 10);
    expect(targets[0]).toBeNull();
    expect(targets[1]).toBe(1000);
    expect(targets[2]).toBeCloseTo(1100, 9);
    expect(targets[3]).toBeCloseTo(1210, 9);
    expect(growthTargets([null, null], 10)).toEqual([null, null]);
  });
});

describe('week labels under the bars', () => {
  // The report's chart: 640 wide, 64 for the axis on the left and 12 on the right leave 564.
  const CHART: PlotBox = { width: 640, height: 260, left: 64, top: 12, bottom: 28, right: 12 };
  const weeks = (count: number) => Array.from({ length: count }, (_, index) => ({ label: `10-${String(index).padStart(2, '0')}`, value: 100, target: null }));
  const labelled = (count: number) => barChartGeometry(weeks(count), CHART).slots.filter((slot) => slot.labelled).map((slot) => slot.label);

  it('labels every week while the labels have room: 8 weeks, slots 564 / 8 = 70.5 wide', () => {
    expect(labelled(8)).toHaveLength(8);
  });

  it('labels every n-th week, the newest always, when they would overlap', () => {
    // 30 weeks: slots 564 / 30 = 18.8; a 5-character label 5 x 6.6 + 6 = 39 -> every 3rd (56.4 >= 39).
    expect(labelled(30)).toEqual(['10-02', '10-05', '10-08', '10-11', '10-14', '10-17', '10-20', '10-23', '10-26', '10-29']);
    // The SVG draws only those: one <text class="category"> per labelled week.
    const svg = barChartSvg({ label: 'x', points: weeks(30), formatTick: String });
    expect(svg.match(/class="category"/g)).toHaveLength(10);
  });
});

describe('barChartGeometry', () => {
  it('draws a bar per known value from zero, none for a missing week, and the target line over every slot from the first value', () => {
    const geometry = barChartGeometry(
      [
        { label: 'w1', value: 400, target: 400 },
        { label: 'w2', value: null, target: 440 },
        { label: 'w3', value: 600, target: 484 },
        { label: 'w4', value: -100, target: 532.4 },
      ],
      BOX,
    );
    // -100..600 with zero: 700 / 4 = 175 -> step 200; -200..600; 100 px for 800: 1 px per 8.
    expect(geometry.scale.ticks).toEqual([-200, 0, 200, 400, 600]);
    expect(geometry.bars.map((bar) => bar.label)).toEqual(['w1', 'w3', 'w4']);
    // Zero at 110 - 200/8 = 85; 400 reaches 85 - 50 = 35; 600 reaches 10.
    expect(geometry.zeroY).toBe(85);
    expect(geometry.bars[0]).toMatchObject({ y: 35, height: 50 });
    expect(geometry.bars[1]).toMatchObject({ y: 10, height: 75 });
    // A negative bar hangs from zero: 100 is 12.5 px down.
    expect(geometry.bars[2]).toMatchObject({ y: 85, height: 12.5 });
    // Four slots of 25 px: bars 17.5 px wide, centred at 12.5, 62.5, 87.5.
    expect(geometry.bars.map((bar) => bar.x + bar.width / 2)).toEqual([12.5, 62.5, 87.5]);
    expect(geometry.bars[0]!.width).toBe(17.5);
    expect(geometry.target.map((point) => point.x)).toEqual([12.5, 37.5, 62.5, 87.5]);
    // 484 is 684 above -200: 110 - 684/8 = 24.5.
    expect(geometry.target[2]!.y).toBe(24.5);
  });
});

describe('sparklinePoints', () => {
  it('spreads points across the box, the highest at the top, the lowest at the bottom', () => {
    // Width 100 with pad 2: steps of 96 / 2 = 48; height 24: 2 (top) .. 22 (bottom).
    expect(sparklinePoints([1, 3, 2], 100, 24)).toEqual([
      [2, 22],
      [50, 2],
      [98, 12],
    ]);
  });

  it('one point sits in the middle, equal values make a flat line in the middle, no values nothing', () => {
    expect(sparklinePoints([7], 100, 24)).toEqual([[50, 12]]);
    expect(sparklinePoints([5, 5], 100, 24)).toEqual([
      [2, 12],
      [98, 12],
    ]);
    expect(sparklinePoints([], 100, 24)).toEqual([]);
    expect(sparklineSvg([], 'nothing')).toBe('');
  });
});

describe('waterfallGeometry', () => {
  it('starts each step where the previous one ended; decreases go down', () => {
    const { bars, scale } = waterfallGeometry(
      [
        { label: 'Start', value: 500, total: true },
        { label: 'New', value: 200, total: false },
        { label: 'Churn', value: -300, total: false },
        { label: 'End', value: 400, total: true },
      ],
      BOX,
    );
    // Levels 0, 500, 700, 400: 700 / 4 = 175 -> step 200; 0..800; 1 px per 8.
    expect(scale.ticks).toEqual([0, 200, 400, 600, 800]);
    expect(bars.map((bar) => [bar.kind, bar.from, bar.to])).toEqual([
      ['total', 0, 500],
      ['increase', 500, 700],
      ['decrease', 700, 400],
      ['total', 0, 400],
    ]);
    // New: from 500 (y 47.5) up to 700 (y 22.5). Churn: from 700 (22.5) down to 400 (60).
    expect(bars[1]).toMatchObject({ y: 22.5, height: 25 });
    expect(bars[2]).toMatchObject({ y: 22.5, height: 37.5 });
    expect(bars[3]).toMatchObject({ y: 60, height: 50 });
  });

  it('draws a churn that takes the level below zero in full', () => {
    const { bars, scale } = waterfallGeometry(
      [
        { label: 'Start', value: 100, total: true },
        { label: 'Churn', value: -150, total: false },
        { label: 'End', value: -50, total: true },
      ],
      BOX,
    );
    expect(scale.min).toBeLessThanOrEqual(-50);
    expect(bars[1]).toMatchObject({ kind: 'decrease', from: 100, to: -50 });
  });
});

describe('SVG builders', () => {
  it('give every chart role="img", a label and a title, and one shape per bar, step or point', () => {
    const bars = barChartSvg({ label: 'ARR <per> week', points: [{ label: 'a', value: 1, target: 1 }, { label: 'b', value: null, target: 1.1 }], formatTick: String });
    expect(bars).toMatch(/^<svg[^>]* role="img" aria-label="ARR &lt;per&gt; week"/);
    expect(bars).toContain('<title>ARR &lt;per&gt; week</title>');
    expect(bars.match(/<rect class="bar"/g)).toHaveLength(1);
    expect(bars.match(/<circle class="target-point"/g)).toHaveLength(2);
    const waterfall = waterfallSvg({ label: 'moves', steps: [{ label: 'Start', value: 5, total: true }, { label: 'Churn', value: -2, total: false }, { label: 'End', value: 3, total: true }], formatTick: String });
    expect(waterfall.match(/<rect class="step /g)).toHaveLength(3);
    expect(waterfall).toContain('class="step decrease"');
    // Each step is labelled with its size, increases signed.
    expect([...waterfall.matchAll(/<text class="step-value"[^>]*>([^<]*)</g)].map((match) => match[1])).toEqual(['5', '-2', '3']);
    const spark = sparklineSvg([1, 2, 3], 'trend');
    expect(spark).toContain('role="img"');
    expect(spark.match(/<polyline class="spark" points="([^"]*)"/)?.[1]?.split(' ')).toHaveLength(3);
  });
});
