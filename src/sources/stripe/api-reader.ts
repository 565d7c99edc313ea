import Stripe from 'stripe';
import type { SubscriptionStatus } from '../../billing/model.js';
import { AuthenticationError, DataSourceError, type KpiError } from '../../errors.js';
import type { StripeCredentials } from './credentials.js';
import type { WireAccountReader } from './wire-source.js';
import type { WireCoupon, WirePrice, WireProduct, WireSubscription, WireSubscriptionItem } from './wire.js';

const PAGE_SIZE = 100;

/**
 * Stripe's expansion limit is 4 levels counting `data`: these stay within it. Item prices
 * arrive embedded (without tiers), so tiers come from the price list instead.
 */
const SUBSCRIPTION_EXPANSIONS = ['data.discounts.source.coupon', 'data.items.data.discounts'];

export interface ApiReaderOptions {
  credentials: StripeCredentials;
  apiBase: { host: string; port: number; protocol: 'http' | 'https' } | null;
}

/** Reads the account through the official SDK. It only ever lists and retrieves (GET). */
export class StripeApiReader implements WireAccountReader {
  private readonly stripe: Stripe;

  constructor(private readonly options: ApiReaderOptions) {
    this.stripe = new Stripe(options.credentials.key, {
      maxNetworkRetries: 2,
      timeout: 30_000,
      telemetry: false,
      appInfo: { name: 'kpi' },
      ...(options.apiBase ?? {}),
    });
  }

  products() {
    return this.paged<WireProduct>('products', () => this.stripe.products.list({ limit: PAGE_SIZE }));
  }

  prices() {
    return this.paged<WirePrice>('prices', () => this.stripe.prices.list({ limit: PAGE_SIZE, expand: ['data.tiers', 'data.currency_options'] }));
  }

  coupons() {
    return this.paged<WireCoupon>('coupons', () =>
      this.stripe.coupons.list({ limit: PAGE_SIZE, expand: ['data.applies_to', 'data.currency_options'] }),
    );
  }

  subscriptions(status: SubscriptionStatus) {
    return this.paged<WireSubscription>(`${status} subscriptions`, () =>
      this.stripe.subscriptions.list({ status, limit: PAGE_SIZE, expand: SUBSCRIPTION_EXPANSIONS }),
    );
  }

  remainingItems(subscription: WireSubscription) {
    const last = subscription.items.data.at(-1);
    return this.paged<WireSubscriptionItem>(`items of subscription ${subscription.id}`, () =>
      this.stripe.subscriptionItems.list({
        subscription: subscription.id,
        limit: PAGE_SIZE,
        expand: ['data.discounts'],
        ...(last ? { starting_after: last.id } : {}),
      }),
    );
  }

  /** Follows every page of a list, turning SDK errors into errors the CLI can report. */
  private async *paged<T>(what: string, list: () => AsyncIterable<unknown>): AsyncIterable<T> {
    try {
      for await (const object of list()) yield object as T;
    } catch (error) {
      throw translateStripeError(error, `listing ${what}`, this.options);
    }
  }
}

export function translateStripeError(error: unknown, during: string, options: ApiReaderOptions): KpiError | unknown {
  if (!(error instanceof Stripe.errors.StripeError)) return error;
  const where = options.apiBase ? `${options.apiBase.protocol}://${options.apiBase.host}:${options.apiBase.port}` : 'Stripe';
  const message = redact(error.message, options.credentials.key);
  switch (error.type) {
    case 'StripeAuthenticationError':
      return new AuthenticationError(
        `Stripe rejected the API key from ${options.credentials.origin} (HTTP ${error.statusCode ?? 401})`,
        'Check that the key is current and belongs to this account; create a restricted read-only key in the Stripe dashboard.',
      );
    case 'StripePermissionError':
      return new AuthenticationError(
        `the API key from ${options.credentials.origin} may not read what kpi needs (${during}): ${message}`,
        'A restricted key needs read access to Products, Prices, Coupons and Subscriptions.',
      );
    case 'StripeConnectionError':
      return new DataSourceError(`could not reach ${where} while ${during}: ${message}`, 'Check the network, or STRIPE_API_BASE if you set it.');
    case 'StripeRateLimitError':
      return new DataSourceError(`${where} kept rate-limiting kpi while ${during} (HTTP 429): ${message}`, 'Wait a moment and run it again.');
    default:
      return new DataSourceError(
        `${where} answered HTTP ${error.statusCode ?? '?'} while ${during}: ${message}${error.requestId ? ` (request ${error.requestId})` : ''}`,
      );
  }
}

/** Stripe already masks keys in its messages; this makes sure, whatever a server echoes. */
function redact(text: string, key: string): string {
  return key ? text.split(key).join('[redacted]') : text;
}
