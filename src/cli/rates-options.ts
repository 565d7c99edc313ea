import type { KpiConfig } from '../config/schema.js';
import { pinnedRates, ratesAtFor, type EcbQuoteSource, type RatesAt } from '../app/reporting-rates.js';
import { DEMO_RATES_FILE } from '../package-root.js';
import { ecbRatesFromFile, openEcbRates } from '../rates/ecb-rates.js';
import type { PinnedRates } from '../snapshots/snapshot-format.js';
import { resolveDataDir } from '../snapshots/snapshot-store.js';
import type { CliContext } from './context.js';
import { notifier } from './output.js';

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
  return pinnedRates(config, () => openEcbQuotes(config, flags, context), moment, notifier(context));
}

function openEcbQuotes(config: KpiConfig, flags: RatesFlags, context: CliContext): EcbQuoteSource {
  if (flags.demo) return ecbRatesFromFile(DEMO_RATES_FILE);
  return openEcbRates({
    dataDir: resolveDataDir({ flag: flags.dataDir, env: context.env, configured: config.dataDir }),
    env: context.env,
    now: context.now(),
    offline: flags.offline ?? false,
    notify: notifier(context),
  });
}
