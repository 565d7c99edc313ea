import { describe, expect, it } from 'vitest';
import { colourEnabled } from '../../src/terminal/terminal.js';
import { redact } from '../../src/sources/stripe/api-reader.js';
import { Rational } from '../../src/money/rational.js';
import { evaluateSubscription } from '../../src/rules/subscription-mrr.js';
import type { Price } from '../../src/billing/model.js';

describe('colour decision', () => {
  const tty = { isTTY: true };
  const pipe = { isTTY: false };
  it.each([
    ['a terminal', tty, {}, false, true],
    ['a pipe', pipe, {}, false, false],
    ['--no-color', tty, {}, true, false],
    ['NO_COLOR=1', tty, { NO_COLOR: '1' }, false, false],
    ['NO_COLOR empty (ignored, as no-color.org says)', tty, { NO_COLOR: '' }, false, true],
    ['TERM=dumb', tty, { TERM: 'dumb' }, false, false],
    ['FORCE_COLOR=1 on a pipe', pipe, { FORCE_COLOR: '1' }, false, true],
    ['FORCE_COLOR=0', tty, { FORCE_COLOR: '0' }, false, true],
    ['--no-color beats FORCE_COLOR', tty, { FORCE_COLOR: '1' }, true, false],
  ] as const)('%s', (_label, stream, env, flag, expected) => {
    expect(colourEnabled(stream, env as NodeJS.ProcessEnv, flag)).toBe(expected);
  });
});

describe('secrets in messages', () => {
  it('removes the key and even Stripe-masked keys', () => {
    const key = 'rk_live_51Habcdefghijklmnop';
    expect(redact(`Invalid API Key provided: ${key}`, key)).toBe('Invalid API Key provided: [redacted key]');
    expect(redact('The provided key rk_live_****mnop does not have access', key)).toBe('The provided key [redacted key] does not have access');
    expect(redact('nothing secret here', key)).toBe('nothing secret here');
  });
});

describe('one-time prices', () => {
  it('never count, even on a subscription item', () => {
    const oneTime: Price = {
      id: 'price_once',
      productId: 'prod_setup',
      currency: 'usd',
      active: true,
      recurrence: null,
      scheme: { kind: 'per_unit', unitAmount: Rational.of(50000), transformQuantity: null },
      currencyOptions: new Map(),
    };
    const result = evaluateSubscription(
      { id: 'sub_1', customerId: 'cus_1', status: 'active', currency: 'usd', created: 0, cancelAtPeriodEnd: false, cancelAt: null, discounts: [], items: [{ id: 'si_1', price: oneTime, quantity: 1, discounts: [] }] },
      { countOnce: true, countRepeating: true, asOf: 0 },
    );
    expect(result.items).toEqual([]);
    expect(result.meteredItems).toEqual([]);
  });
});
