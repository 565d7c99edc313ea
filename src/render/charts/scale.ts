/** A value axis: `y` maps a value to a vertical pixel position (SVG y grows downwards). */
export interface LinearScale {
  min: number;
  max: number;
  ticks: number[];
  y(value: number): number;
}

/** Steps a reader can count in: 1, 2, 2.5 or 5 times a power of ten. */
function niceStep(roughStep: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(roughStep));
  const residual = roughStep / magnitude;
  const factor = residual <= 1 ? 1 : residual <= 2 ? 2 : residual <= 2.5 ? 2.5 : residual <= 5 ? 5 : 10;
  return factor * magnitude;
}

/**
 * A scale over `values` with zero always on it (a bar that starts above zero exaggerates
 * every difference), widened to whole steps, so the ticks are round numbers. `top` and
 * `bottom` are the pixel rows of the highest and lowest tick.
 */
export function niceScale(values: readonly number[], top: number, bottom: number, tickCount = 4): LinearScale {
  let low = Math.min(0, ...values);
  let high = Math.max(0, ...values);
  if (low === high) high = 1;
  const step = niceStep((high - low) / tickCount);
  low = Math.floor(low / step) * step;
  high = Math.ceil(high / step) * step;
  const count = Math.round((high - low) / step);
  // Multiples of the step rather than repeated addition, and trimmed: 0.1 + 0.2 is not 0.3.
  const ticks = Array.from({ length: count + 1 }, (_, index) => Number((low + index * step).toPrecision(12)));
  return {
    min: low,
    max: high,
    ticks,
    y: (value) => bottom - ((value - low) / (high - low)) * (bottom - top),
  };
}
