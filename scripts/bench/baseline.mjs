// The naive way to read an account, for comparison: the official SDK's auto-pagination,
// one page after another, same lists and expansions as kpi. Prints one JSON line.
import Stripe from 'stripe';

const [base, key] = process.argv.slice(2);
const url = new URL(base);
const stripe = new Stripe(key, { host: url.hostname, port: Number(url.port), protocol: 'http', telemetry: false });
let requests = 0;
stripe.on('request', () => (requests += 1));

const started = performance.now();
for await (const _ of stripe.products.list({ limit: 100 }));
for await (const _ of stripe.prices.list({ limit: 100, expand: ['data.tiers', 'data.currency_options'] }));
for await (const _ of stripe.coupons.list({ limit: 100, expand: ['data.applies_to', 'data.currency_options'] }));
let subscriptions = 0;
for (const status of ['active', 'past_due']) {
  for await (const _ of stripe.subscriptions.list({ status, limit: 100, expand: ['data.discounts.source.coupon', 'data.items.data.discounts'] })) {
    subscriptions += 1;
  }
}
const seconds = (performance.now() - started) / 1000;
process.stdout.write(`${JSON.stringify({ subscriptions, requests, seconds, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`);
