/**
 * A sparkline: one character per value, its height the value's place between the series'
 * smallest and largest (so negative values and series far from zero still show their shape).
 * The picture is relative: the numbers stay in the text next to it.
 */

/** The eight block eighths, lowest to highest. */
export const UNICODE_LEVELS = '▁▂▃▄▅▆▇█';
/**
 * Five ASCII characters that sit visibly lower to higher in common terminal fonts; a space is
 * not among them, so the lowest value still shows and trailing cells are not trimmed away.
 */
export const ASCII_LEVELS = '_.-~^';

export function sparkline(values: readonly number[], unicode = true): string {
  const levels = unicode ? UNICODE_LEVELS : ASCII_LEVELS;
  if (values.length === 0) return '';
  const low = Math.min(...values);
  const high = Math.max(...values);
  const top = levels.length - 1;
  // Nothing moved: a flat line through the middle, neither "all lowest" nor "all highest".
  if (high === low) return levels[Math.floor(top / 2)]!.repeat(values.length);
  return values.map((value) => levels[Math.round(((value - low) / (high - low)) * top)]!).join('');
}
