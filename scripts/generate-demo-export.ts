/**
 * Writes fixtures/demo/stripe-mrr-per-subscriber.csv: what Stripe's "MRR per subscriber per
 * month" export of the fictional demo account could hold, for `kpi reconcile --demo`.
 *
 *   npx tsx scripts/generate-demo-export.ts
 *
 * Each month is the last bundled snapshot of that month, valued by Stripe's definition over
 * every recurring product (the Enterprise group too, which is outside self-service), with the
 * differences a real export shows planted and explainable by Stripe's Billing Overview
 * settings of this account, which differ from kpi's defaults (`stripe_settings:`):
 * - it subtracts repeating discounts (subtract_repeating: true), so every customer with a
 *   running LAUNCH50 coupon is lower in the export;
 * - it counts churn at the end of the billing period (churn: at_period_end), so the one
 *   subscription set to cancel at period end (scripts/demo-account, scheduleOneCancellation)
 *   is still in the export, where kpi's default (at_cancellation) already leaves it out.
 * With those two settings in kpi.config, every customer matches.
 * Deterministic: the same snapshots always give the same file (UTF-8 with a BOM, CRLF, as
 * spreadsheet exports often are).
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { demoSnapshots, snapshotSource } from '../src/cli/billing-source-options.js';
import { resolveTierLayout } from '../src/catalog/tier-layout.js';
import { DEFAULT_CONFIG } from '../src/config/defaults.js';
import { parseConfig } from '../src/config/load.js';
import { formatMajorUnits } from '../src/money/currency.js';
import { CustomerFigures, measureSettings } from '../src/reconcile/customer-figures.js';

const OUT = fileURLToPath(new URL('../fixtures/demo/stripe-mrr-per-subscriber.csv', import.meta.url));

const defaults = parseConfig(DEFAULT_CONFIG, 'the built-in handbook rules');
/** The demo account's Billing Overview settings. */
const DEMO_EXPORT_STRIPE_SETTINGS = { countRepeating: true, countOnce: false, churn: 'at_period_end' } as const;
const config = { ...defaults, stripeSettings: DEMO_EXPORT_STRIPE_SETTINGS };
const newestPerMonth = new Map<string, string>();
for (const snapshot of demoSnapshots()) newestPerMonth.set(new Date(snapshot.takenAt * 1000).toISOString().slice(0, 7), snapshot.path);
const months = [...newestPerMonth.keys()].sort().slice(-2);

const rows: string[] = ['customer_id,customer_email,currency,month,mrr'];
for (const month of months) {
  const source = snapshotSource(newestPerMonth.get(month) as string);
  const [products, pricing] = await Promise.all([source.listProducts(), source.loadPricing()]);
  const figures = new CustomerFigures({
    measure: 'stripe',
    layout: resolveTierLayout(config, products),
    ...measureSettings(config, 'stripe', source.asOf),
    countedStatuses: config.countedStatuses,
    productName: (id) => id,
  });
  for await (const subscription of source.subscriptions(config.countedStatuses, pricing)) figures.add(subscription);
  const customers = [...figures.customers.values()].filter((customer) => customer.mrr.isPositive()).sort((a, b) => a.customerId.localeCompare(b.customerId));
  for (const customer of customers) {
    const email = `billing+${customer.customerId.slice(4, 10).toLowerCase()}@example.com`;
    rows.push([customer.customerId, email, customer.currency, `${month}-01`, formatMajorUnits(customer.mrr.roundHalfUp(), customer.currency)].join(','));
  }
}
writeFileSync(OUT, `\uFEFF${rows.join('\r\n')}\r\n`);
process.stderr.write(`wrote fixtures/demo/stripe-mrr-per-subscriber.csv (${rows.length - 1} rows)\n`);
