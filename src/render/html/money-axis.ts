import { minorUnitExponent } from '../../money/currency.js';

/** Axis labels in major units, shortened (1.5M, 250K): the exact figures are in the table under the chart. */
export function moneyTick(currency: string): (minorUnits: number) => string {
  const scale = 10 ** minorUnitExponent(currency);
  const format = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });
  return (minorUnits) => format.format(minorUnits / scale);
}
