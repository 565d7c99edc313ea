import type { KpiConfig } from '../config/schema.js';
import type { ExchangeRates } from '../money/exchange-rates.js';
import type { BillingSource } from '../sources/billing-source.js';
import { pinnedOrAt, type RatesAt } from './reporting-rates.js';

/**
 * The rates a source's figures are converted with: those a snapshot pinned, else those in
 * force when the figures are "as of" (now for live data, the snapshot's taken_at for a
 * snapshot or the demo).
 */
export function ratesForFigures(config: KpiConfig, ratesAt: RatesAt, source: Pick<BillingSource, 'asOf' | 'pinnedRates'>): Promise<ExchangeRates | null> {
  return pinnedOrAt(config, ratesAt, source.asOf, source.pinnedRates);
}
