/**
 * Writes fixtures/demo/stripe-mrr-per-subscriber.csv: what Stripe's "MRR per subscriber per
 * month" export of the fictional demo account could hold, for `kpi reconcile --demo`.
 *
 *   npx tsx scripts/generate-demo-export.ts
 *
 * Each month is the last bundled snapshot of that month, valued by Stripe's definition over
 * every recurring product (the Enterprise group too, which is outside self-service), with the
 * differences a real export shows planted and explainable:
 * - Stripe's Billing Overview here subtracts repeating discounts (kpi's built-in rules do
 *   not), so every customer with a running LAUNCH50 coupon is lower in the export;
 * - one customer set their subscription to cancel at the end of the period and Stripe,
 *   counting churn at cancellation time, already left them out of the newest month.
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
import { CustomerFigures, stripeDefinitionPolicy } from '../src/reconcile/customer-figures.js';

const OUT = fileURLToPath(new URL('../fixtures/demo/stripe-mrr-per-subscriber.csv', import.meta.url));

const config = parseConfig(DEFAULT_CONFIG, 'the built-in handbook rules');
const newestPerMonth = new Map<string, string>();
for (const snapshot of demoSnapshots()) newestPerMonth.set(new Date(snapshot.takenAt * 1000).toISOString().slice(0, 7), snapshot.path);
const months = [...newestPerMonth.keys()].sort().slice(-2);

const rows: string[] = ['customer_id,customer_email,currency,month,mrr'];
for (const [index, month] of months.entries()) {
  const source = snapshotSource(newestPerMonth.get(month) as string);
  const [products, pricing] = await Promise.all([source.listProducts(), source.loadPricing()]);
  const figures = new CustomerFigures({
    measure: 'stripe',
    layout: resolveTierLayout(config, products),
    // Stripe's setting in this story: repeating discounts are subtracted.
    policy: { ...stripeDefinitionPolicy(config, source.asOf), countRepeating: true },
    countedStatuses: config.countedStatuses,
    productName: (id) => id,
  });
  for await (const subscription of source.subscriptions(config.countedStatuses, pricing)) figures.add(subscription);
  const customers = [...figures.customers.values()].filter((customer) => customer.mrr.isPositive()).sort((a, b) => a.customerId.localeCompare(b.customerId));
  const newest = index === months.length - 1;
  // The cancelling customer: the first one on a single monthly subscription, for a simple story.
  const cancelling = customers.find((customer) => customer.subscriptions.length === 1 && customer.subscriptions[0]?.intervals.join() === 'monthly');
  for (const customer of customers) {
    if (newest && customer === cancelling) continue;
    const email = `billing+${customer.customerId.slice(4, 10).toLowerCase()}@example.com`;
    rows.push([customer.customerId, email, customer.currency, `${month}-01`, formatMajorUnits(customer.mrr.roundHalfUp(), customer.currency)].join(','));
  }
  if (newest) process.stderr.write(`${month}: ${customers.length} customers; left out as cancelling: ${cancelling?.customerId}\n`);
}
writeFileSync(OUT, `\uFEFF${rows.join('\r\n')}\r\n`);
process.stderr.write(`wrote fixtures/demo/stripe-mrr-per-subscriber.csv (${rows.length - 1} rows)\n`);
