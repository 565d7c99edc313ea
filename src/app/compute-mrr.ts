import type { KpiConfig } from '../config/schema.js';
import { resolveTierLayout } from '../catalog/tier-layout.js';
import { MrrAccumulator } from '../rules/mrr-totals.js';
import { buildMrrReport, type MrrReport } from '../reports/mrr-report.js';
import type { BillingSource } from '../sources/billing-source.js';

export interface ComputeMrrOptions {
  explain: boolean;
  now: Date;
  /** Called as subscriptions arrive, for progress display. */
  onProgress?: (subscriptionsRead: number) => void;
}

/** Reads one billing source and values it by the configuration's rules. */
export async function computeMrr(source: BillingSource, config: KpiConfig, options: ComputeMrrOptions): Promise<MrrReport> {
  const [products, pricing] = await Promise.all([source.listProducts(), source.loadPricing()]);
  const layout = resolveTierLayout(config, products);
  const accumulator = new MrrAccumulator(
    layout,
    { ...config.discounts, asOf: source.asOf },
    { explain: options.explain },
  );
  let read = 0;
  for await (const subscription of source.subscriptions(config.countedStatuses, pricing)) {
    accumulator.add(subscription);
    options.onProgress?.(++read);
  }
  return buildMrrReport(accumulator.result(), {
    layout,
    source: source.description,
    asOf: source.asOf,
    generatedAt: options.now,
    countedStatuses: config.countedStatuses,
    reporting: config.reporting,
  });
}
