import type { KpiConfig } from '../config/schema.js';
import { pinnedRates, ratesAtFor, type EcbQuoteSource, type RatesAt } from '../app/reporting-rates.js';
import type { PinnedRates } from '../snapshots/snapshot-format.js';
import { UsageError } from '../errors.js';
import type { CliContext } from './context.js';

/** Flags that decide where exchange rates come from. */
export interface RatesFlags {
  demo?: boolean;
  dataDir?: string;
  /** ECB rates from the cache only, no network. */
  offline?: boolean;
}

/**
 * The one place a command gets its exchange rates: the config's fixed rates, or the ECB's
 * (the demo's bundled file with `--demo`, else the feed through the data directory's cache).
 */
export function openRatesAt(config: KpiConfig, flags: RatesFlags, context: CliContext): RatesAt {
  return ratesAtFor(config, () => openEcbQuotes(config, flags, context));
}

/** The ECB rates a snapshot taken at `moment` pins (with `rates: ecb`), from the same quote source as `openRatesAt`. */
export function pinnedQuotes(config: KpiConfig, flags: RatesFlags, context: CliContext, moment: Date): Promise<PinnedRates | undefined> {
  return pinnedRates(config, () => openEcbQuotes(config, flags, context), moment);
}

function openEcbQuotes(_config: KpiConfig, _flags: RatesFlags, _context: CliContext): EcbQuoteSource {
  // The ECB feed and its cache are being connected here (issue 13); until then `rates: ecb` is refused.
  throw new UsageError('reporting.rates: ecb is not available in this build', 'Give fixed rates, e.g. "reporting: { currency: usd, rates: { eur: \\"1.08\\" } }".');
}
