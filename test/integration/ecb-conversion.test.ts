import { describe, expect, it } from 'vitest';
import { computeRevenue } from '../../src/app/compute-revenue.js';
import { ratesForFigures } from '../../src/app/figure-rates.js';
import { ratesAtFor, type EcbQuoteSource, type EcbQuotes, type RatesAt } from '../../src/app/reporting-rates.js';
import { parseConfig } from '../../src/config/load.js';
import { ExitCode, UsageError } from '../../src/errors.js';
import { renderRevenueDelimited } from '../../src/render/revenue-delimited.js';
import { renderRevenueJson } from '../../src/render/revenue-json.js';
import { renderRevenueTable } from '../../src/render/revenue-table.js';
import { ratesInBrief } from '../../src/revenue/conversion.js';
import { AccountFileReader } from '../../src/sources/stripe/account-file-reader.js';
import { WireBillingSource } from '../../src/sources/stripe/wire-source.js';
import { makePalette } from '../../src/terminal/terminal.js';
import { snapshotSource } from '../../src/cli/billing-source-options.js';
import { DEMO_SNAPSHOTS_DIR } from '../../src/package-root.js';
import { listSnapshots } from '../../src/snapshots/snapshot-store.js';
import { account, price, product, subscription } from '../support/account-builder.js';

const platform = product('FlowFuse Pro Platform - Cloud');
const usd = price(platform, { unitAmount: 42500 });
const eur = price(platform, { unitAmount: 39900, currency: 'eur' });
const gbp = price(platform, { unitAmount: 30000, currency: 'gbp' });
const THREE_CURRENCIES = account({
  products: [platform],
  prices: [usd, eur, gbp],
  subscriptions: [
    subscription({ items: [{ price: usd }] }),
    subscription({ currency: 'eur', items: [{ price: eur }] }),
    subscription({ currency: 'eur', items: [{ price: eur }] }),
    subscription({ currency: 'gbp', items: [{ price: gbp }] }),
    subscription({ currency: 'gbp', items: [{ price: gbp }] }),
  ],
});
const tiers = [{ name: 'Pro', rule: 'billed', products: ['FlowFuse Pro Platform - Cloud'] }];
const config = parseConfig({ tiers, reporting: { currency: 'usd', rates: 'ecb' } }, 'test config');

/** Fake ECB publications by date; records the dates asked for. */
function fakeEcb(perEur: Record<string, string>): EcbQuoteSource & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    async dayFor(date: string): Promise<EcbQuotes> {
      asked.push(date);
      return { date: '2026-11-13', perEur };
    },
  };
}

async function reportWith(ecb: EcbQuoteSource, reportingConfig = config) {
  const source = new WireBillingSource(new AccountFileReader(THREE_CURRENCIES), 'test account', THREE_CURRENCIES.as_of);
  const rates = await ratesForFigures(reportingConfig, ratesAtFor(reportingConfig, () => ecb), source);
  return computeRevenue(source, reportingConfig, { measure: 'mrr', explain: false, now: new Date(0), rates });
}

describe('ECB reference rates', () => {
  it('converts EUR, GBP and USD through the euro at the rates of the figures’ date, rounding the total once', async () => {
    const ecb = fakeEcb({ usd: '1.0823', gbp: '0.8712', jpy: '162.30' });
    const result = await reportWith(ecb);
    // One publication looked up for the figures' moment, however many currencies convert.
    expect(ecb.asked).toHaveLength(1);
    const document = JSON.parse(renderRevenueJson(result));
    // usd: 42500 cents.
    // eur: 2 x 39900 = 79800 cents x 1.0823 = 86367.54 cents.
    // gbp: 2 x 30000 = 60000 pence x (1.0823 / 0.8712 USD per GBP, exactly 10823/8712)
    //      = 649380000 / 8712 = 74538.5674931... cents.
    // Sum: 42500 + 86367.54 + 74538.5674931 = 203406.1074931 -> 203406 (rounded once;
    // rounding each currency first would give 42500 + 86368 + 74539 = 203407).
    expect(document.mrr).toBe(203_406);
    expect(document.mrr_by_currency).toEqual({ eur: 79_800, gbp: 60_000, usd: 42_500 });
    // The quotes relied on, as the ECB printed them (JPY was not needed); GBP's cross rate
    // 1.24230945... shown to 6 places, the euro's as quoted.
    expect(document.conversion).toEqual({
      currency: 'usd',
      source: 'ecb',
      date: '2026-11-13',
      quoted: { gbp: '0.8712', usd: '1.0823' },
      rates: { eur: '1.0823', gbp: '1.242309' },
    });
    expect(renderRevenueTable(result, makePalette(false))).toContain(
      'Converted to USD at the ECB reference rates of 2026-11-13: 1 EUR = 1.0823 USD (1 GBP = 1.242309 USD through the euro).',
    );
    expect(renderRevenueDelimited(result, 'csv').split('\r\n').slice(0, 2)).toEqual([
      'tier,product,rule,subscriptions,quantity,mrr,currency,stripe_mrr,difference,reporting_currency,rate,rates_source,rates_date',
      'Pro,FlowFuse Pro Platform - Cloud,billed,2,2,798.00,eur,798.00,0.00,usd,1.0823,ecb,2026-11-13',
    ]);
    expect(ratesInBrief(result.exchangeRates!)).toBe('USD at ECB rates of 2026-11-13');
  });

  it('reports in euros with the inverse of each quote, none of them a cross rate', async () => {
    const inEuros = parseConfig({ tiers, reporting: { currency: 'eur', rates: 'ecb' } }, 'test config');
    const result = await reportWith(fakeEcb({ usd: '1.0823', gbp: '0.8712' }), inEuros);
    // usd: 42500 / 1.0823 = 39268.2250762 cents; gbp: 60000 / 0.8712 = 68870.5234160 cents;
    // eur: 79800. Sum 187938.7484922 -> 187939 EUR cents.
    const document = JSON.parse(renderRevenueJson(result));
    expect(document.mrr).toBe(187_939);
    expect(document.conversion).toEqual({ currency: 'eur', source: 'ecb', date: '2026-11-13', quoted: { gbp: '0.8712', usd: '1.0823' }, rates: { gbp: '1.147842', usd: '0.923958' } });
    expect(renderRevenueTable(result, makePalette(false))).toContain('Converted to EUR at the ECB reference rates of 2026-11-13: 1 GBP = 1.147842 EUR, 1 USD = 0.923958 EUR.');
  });

  it("converts a snapshot's figures at the rates of the moment it was taken, whenever they are viewed", async () => {
    const moments: string[] = [];
    const ratesAt: RatesAt = async (moment) => {
      moments.push(moment.toISOString());
      return null;
    };
    // Two of the demo's weekly snapshots: last week's ARR behind a growth target is one of them.
    const [earlier, later] = listSnapshots(DEMO_SNAPSHOTS_DIR).slice(-2);
    await ratesForFigures(config, ratesAt, snapshotSource(earlier!.path));
    await ratesForFigures(config, ratesAt, snapshotSource(later!.path));
    expect(moments).toEqual(['2026-11-09T00:00:00.000Z', '2026-11-16T00:00:00.000Z']);
  });

  it('converts figures with the rates a snapshot pinned, without asking for any', async () => {
    const ratesAt: RatesAt = async () => {
      throw new Error('pinned rates must be used');
    };
    const pinned = { source: 'ecb' as const, date: '2026-11-13', per_eur: { usd: '1.0823', gbp: '0.8712' } };
    const source = new WireBillingSource(new AccountFileReader(THREE_CURRENCIES), 'pinned snapshot', THREE_CURRENCIES.as_of, pinned);
    expect(await ratesForFigures(config, ratesAt, source)).toEqual({ currency: 'usd', source: 'ecb', date: '2026-11-13', quoted: { usd: '1.0823', gbp: '0.8712' } });
  });

  it('refuses a currency the ECB does not quote, naming it, with fixed rates as the way out (exit 2)', async () => {
    const failure = await reportWith(fakeEcb({ usd: '1.0823' })).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(UsageError);
    expect((failure as UsageError).exitCode).toBe(ExitCode.BadInput);
    expect((failure as UsageError).message).toBe('config test config: the ECB reference rates of 2026-11-13 have no rate for GBP, which the account bills in');
    expect((failure as UsageError).hint).toContain('Use fixed rates instead');
  });
});
