import type { ExchangeRates } from '../money/exchange-rates.js';
import type { BillingSource } from '../sources/billing-source.js';
import type { RatesAt } from './reporting-rates.js';

/**
 * The rates a source's figures are converted with: those in force when the figures are
 * "as of" (now for live data, the snapshot's taken_at for a snapshot or the demo).
 */
export function ratesForFigures(ratesAt: RatesAt, source: Pick<BillingSource, 'asOf'>): Promise<ExchangeRates | null> {
  return ratesAt(new Date(source.asOf * 1000));
}
