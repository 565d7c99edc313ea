import { describe, expect, it } from 'vitest';
import { colourEnabled, screenFor } from '../../src/terminal/terminal.js';
import { redact } from '../../src/sources/stripe/api-reader.js';
import { readApiBase } from '../../src/sources/stripe/credentials.js';
import { UsageError } from '../../src/errors.js';
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

describe('screen decision', () => {
  const utf8 = { LANG: 'en_US.UTF-8', TERM: 'xterm-256color' };
  it('fits a terminal to its width, 80 when it does not say, and never a pipe or --wide', () => {
    expect(screenFor({ isTTY: true, columns: 132 }, utf8)).toEqual({ width: 132, unicode: true });
    expect(screenFor({ isTTY: true }, utf8).width).toBe(80);
    expect(screenFor({ isTTY: false, columns: 132 }, utf8).width).toBeNull();
    expect(screenFor({ isTTY: true, columns: 60 }, utf8, { wide: true }).width).toBeNull();
  });
  it('uses Unicode unless --ascii, the kernel console, TERM=dumb or a non-UTF-8 locale says otherwise', () => {
    expect(screenFor({ isTTY: true }, {}).unicode).toBe(true);
    expect(screenFor({ isTTY: true }, utf8, { ascii: true }).unicode).toBe(false);
    expect(screenFor({ isTTY: true }, { ...utf8, TERM: 'linux' }).unicode).toBe(false);
    expect(screenFor({ isTTY: true }, { TERM: 'dumb' }).unicode).toBe(false);
    expect(screenFor({ isTTY: true }, { LANG: 'de_DE.ISO-8859-1' }).unicode).toBe(false);
    expect(screenFor({ isTTY: true }, { LANG: 'de_DE.ISO-8859-1', LC_ALL: 'C.UTF-8' }).unicode).toBe(true);
  });
});

describe('secrets in messages', () => {
  it('removes the key and even Stripe-masked keys', () => {
    const key = 'rk_live_51Habcdefghijklmnop';
    expect(redact(`Invalid API Key provided: ${key}`, key)).toBe('Invalid API Key provided: [redacted key]');
    expect(redact('The provided key rk_live_****mnop does not have access', key)).toBe('The provided key [redacted key] does not have access');
    expect(redact('nothing secret here', key)).toBe('nothing secret here');
  });

  it('never repeats STRIPE_API_BASE in a refusal, and refuses credentials, query strings and fragments in it', () => {
    const refusal = (base: string) => {
      try {
        readApiBase({ STRIPE_API_BASE: base });
      } catch (error) {
        expect(error).toBeInstanceOf(UsageError);
        const { message, hint } = error as UsageError;
        expect(`${message} ${hint ?? ''}`).not.toContain('PASSWORD');
        return message;
      }
      return null;
    };
    // Port 99999 makes the URL unparsable: the raw text (password and all) must not be shown.
    expect(refusal('http://admin:PASSWORD@127.0.0.1:99999')).toBe('STRIPE_API_BASE is not a URL');
    // The SDK would drop the user name and password without a word; say so instead.
    expect(refusal('http://admin:PASSWORD@127.0.0.1:12111')).toBe('STRIPE_API_BASE must not hold a user name or password');
    expect(refusal('http://127.0.0.1:12111/?token=PASSWORD')).toBe('STRIPE_API_BASE must not have a query string or fragment');
    expect(refusal('http://127.0.0.1:12111/#PASSWORD')).toBe('STRIPE_API_BASE must not have a query string or fragment');
    expect(refusal('ftp://admin:PASSWORD@127.0.0.1')).toBe('STRIPE_API_BASE must use http or https, not ftp:');
    expect(refusal('http://127.0.0.1:12111/PASSWORD')).toBe('STRIPE_API_BASE must not have a path: the SDK always adds /v1/');
    expect(readApiBase({ STRIPE_API_BASE: 'http://127.0.0.1:12111' })).toEqual({ host: '127.0.0.1', port: 12111, protocol: 'http' });
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
