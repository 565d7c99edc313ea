import { describe, expect, it } from 'vitest';
import { computeRevenue } from '../../src/app/compute-revenue.js';
import { parseConfig } from '../../src/config/load.js';
import { renderRevenueJson } from '../../src/render/revenue-json.js';
import { renderRevenueDelimited } from '../../src/render/revenue-delimited.js';
import { renderRevenueTable } from '../../src/render/revenue-table.js';
import { makePalette } from '../../src/terminal/terminal.js';
import { AccountFileReader } from '../../src/sources/stripe/account-file-reader.js';
import { WireBillingSource } from '../../src/sources/stripe/wire-source.js';
import { UsageError } from '../../src/errors.js';
import { account, price, product, subscription } from '../support/account-builder.js';

const platform = product('FlowFuse Pro Platform - Cloud');
const usd = price(platform, { unitAmount: 42500 });
const eur = price(platform, { unitAmount: 39900, currency: 'eur' });
const jpyYearly = price(platform, { unitAmount: 700000, currency: 'jpy', interval: 'year' });
const MULTI = account({
  products: [platform],
  prices: [usd, eur, jpyYearly],
  subscriptions: [
    subscription({ items: [{ price: usd }] }),
    subscription({ currency: 'eur', items: [{ price: eur }] }),
    subscription({ currency: 'eur', items: [{ price: eur }] }),
    subscription({ currency: 'jpy', items: [{ price: jpyYearly }] }),
  ],
});
const tiers = [{ name: 'Pro', rule: 'billed', products: ['FlowFuse Pro Platform - Cloud'] }];

async function report(config: unknown) {
  const source = new WireBillingSource(new AccountFileReader(MULTI), 'test account', MULTI.as_of);
  return computeRevenue(source, parseConfig(config, 'test'), { measure: 'mrr', explain: false, now: new Date(0) });
}

describe('several currencies', () => {
  it('totals each currency apart and never adds them without rates', async () => {
    const document = JSON.parse(renderRevenueJson(await report({ tiers })));
    // usd 42500; eur 2 x 39900 = 79800; jpy 700000 / 12 = 58333.33 -> 58333 (zero-decimal currency)
    expect(document.mrr_by_currency).toEqual({ eur: 79800, jpy: 58333, usd: 42500 });
    expect(document.currency).toBeNull();
    expect(document.mrr).toBeNull();
    expect(document.currencies).toEqual(['eur', 'jpy', 'usd']);
  });

  it('converts with configured rates and says which', async () => {
    const result = await report({ tiers, reporting: { currency: 'usd', rates: { eur: '1.08', jpy: '0.0065' } } });
    const document = JSON.parse(renderRevenueJson(result));
    // eur: 79800 cents x 1.08 = 86184 cents; jpy: 58333.33 yen x 0.0065 = 379.1667 usd = 37916.67 cents;
    // usd 42500: 42500 + 86184 + 37916.667 = 166600.667 -> 166601
    expect(document.mrr).toBe(166_601);
    expect(document.currency).toBe('usd');
    expect(document.conversion).toEqual({ currency: 'usd', source: 'config', date: null, quoted: { eur: '1.08', jpy: '0.0065' }, rates: { eur: '1.08', jpy: '0.0065' } });
    expect(renderRevenueTable(result, makePalette(false))).toContain('Converted to USD at the configured rates: 1 EUR = 1.08 USD, 1 JPY = 0.0065 USD.');
  });

  it('refuses to convert a currency without a rate', async () => {
    await expect(report({ tiers, reporting: { currency: 'usd', rates: { eur: '1.08' } } })).rejects.toThrow(UsageError);
    await expect(report({ tiers, reporting: { currency: 'usd', rates: { eur: '1.08' } } })).rejects.toThrow(/no rate for JPY/);
  });

  it('writes one CSV row per product and currency, counts and amounts of that currency only', async () => {
    const csv = renderRevenueDelimited(await report({ tiers }), 'csv');
    expect(csv.split('\r\n')).toEqual([
      'tier,product,rule,subscriptions,quantity,mrr,currency,stripe_mrr,difference',
      'Pro,FlowFuse Pro Platform - Cloud,billed,2,2,798.00,eur,798.00,0.00',
      'Pro,FlowFuse Pro Platform - Cloud,billed,1,1,58333,jpy,58333,0',
      'Pro,FlowFuse Pro Platform - Cloud,billed,1,1,425.00,usd,425.00,0.00',
      '',
    ]);
  });

  it('names the reporting currency and the rate on every CSV row when converting', async () => {
    const csv = renderRevenueDelimited(await report({ tiers, reporting: { currency: 'usd', rates: { eur: '1.08', jpy: '0.0065' } } }), 'csv');
    expect(csv.split('\r\n').slice(0, 3)).toEqual([
      'tier,product,rule,subscriptions,quantity,mrr,currency,stripe_mrr,difference,reporting_currency,rate,rates_source,rates_date',
      'Pro,FlowFuse Pro Platform - Cloud,billed,2,2,798.00,eur,798.00,0.00,usd,1.08,config,',
      'Pro,FlowFuse Pro Platform - Cloud,billed,1,1,58333,jpy,58333,0,usd,0.0065,config,',
    ]);
  });

  it('says "0" in the catalog currency when nothing counts, rather than nothing', async () => {
    const empty = account({ products: [platform], prices: [usd], subscriptions: [subscription({ status: 'trialing', items: [{ price: usd }] })] });
    const source = new WireBillingSource(new AccountFileReader(empty), 'test', empty.as_of);
    const document = JSON.parse(renderRevenueJson(await computeRevenue(source, parseConfig({ tiers }, 't'), { measure: 'mrr', explain: false, now: new Date(0) })));
    expect(document).toMatchObject({ currency: 'usd', mrr: 0, subscriptions: 0, currencies: [] });
    expect(document.tiers[0].mrr).toBe(0);
  });
});

describe('CSV safety', () => {
  it('quotes per RFC 4180 and defuses formula-like text, keeping numbers numeric', async () => {
    const hostile = account({
      products: [product('=HYPERLINK("http://x"), "Pro"')],
      prices: [],
      subscriptions: [],
    });
    const source = new WireBillingSource(new AccountFileReader(hostile), 'test', hostile.as_of);
    const config = parseConfig({ tiers: [{ name: '-Pro', rule: 'billed', products: ['=HYPERLINK("http://x"), "Pro"'] }] }, 't');
    const result = await computeRevenue(source, config, { measure: 'mrr', explain: false, now: new Date(0) });
    const tsv = renderRevenueDelimited(result, 'tsv');
    expect(tsv.split('\n')[1]).toBe(`'-Pro\t"'=HYPERLINK(""http://x""), ""Pro"""\tbilled\t0\t0\t0\t\t0\t0`);
    const csv = renderRevenueDelimited(result, 'csv');
    expect(csv.split('\r\n')[1]).toBe(`'-Pro,"'=HYPERLINK(""http://x""), ""Pro""",billed,0,0,0,,0,0`);
  });
});

describe('multi-currency prices (currency_options)', () => {
  it('bills a EUR subscription on a USD price at its EUR amount', async () => {
    const platform = product('FlowFuse Pro Platform - Cloud');
    const multi = price(platform, { unitAmount: 42500 });
    multi.currency_options = { eur: { unit_amount: 39900, unit_amount_decimal: '39900' } };
    const data = account({
      products: [platform],
      prices: [multi],
      subscriptions: [subscription({ currency: 'eur', items: [{ price: multi, quantity: 2 }] }), subscription({ items: [{ price: multi }] })],
    });
    const source = new WireBillingSource(new AccountFileReader(data), 'test', data.as_of);
    const result = await computeRevenue(source, parseConfig({ tiers }, 't'), { measure: 'mrr', explain: false, now: new Date(0) });
    // eur: 2 x 39900 = 79800; usd: 42500
    expect(result.amount.byCurrency).toEqual({ eur: 79800n, usd: 42500n });
  });
});
