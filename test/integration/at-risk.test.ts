import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { computeRevenue } from '../../src/app/compute-revenue.js';
import { parseConfig } from '../../src/config/load.js';
import type { ConfigFile } from '../../src/config/schema.js';
import { renderRevenueJson } from '../../src/render/revenue-json.js';
import { renderRevenueDelimited } from '../../src/render/revenue-delimited.js';
import { renderRevenueTable } from '../../src/render/revenue-table.js';
import { makePalette } from '../../src/terminal/terminal.js';
import { AccountFileReader } from '../../src/sources/stripe/account-file-reader.js';
import { WireBillingSource } from '../../src/sources/stripe/wire-source.js';
import { AS_OF } from '../support/account-builder.js';
import { CONFIG, DAY, plantedAccount } from '../support/at-risk-account.js';

const NOW = new Date(AS_OF * 1000);

async function atRisk(options: { horizon?: number; explain?: boolean; config?: Partial<ConfigFile> } = {}) {
  const data = plantedAccount();
  const source = new WireBillingSource(new AccountFileReader(data), 'planted account', data.as_of);
  return computeRevenue(source, parseConfig({ ...CONFIG, ...options.config }, 'test'), {
    measure: 'mrr',
    explain: options.explain ?? false,
    now: NOW,
    atRiskHorizonDays: options.horizon ?? 30,
  });
}

const json = async (options: Parameters<typeof atRisk>[0] = {}) => JSON.parse(renderRevenueJson(await atRisk(options)));

describe('kpi mrr --at-risk on a planted account', () => {
  it('leaves MRR itself alone: trialing subscriptions are read for the upside only', async () => {
    const document = await json();
    // Starter: A 2000 + B 4000 + H 2000 = 8000.
    // Pro: C 45000 + D 50000 + E 50000 + F 50000 + G 37500 + I 35000 + J 45000 + N 10000 = 322500.
    expect(document.mrr_by_currency).toEqual({ usd: 330_500 });
    expect(document.subscriptions).toBe(11);
  });

  it('past due: amount, subscriptions and share of MRR, per tier and currency', async () => {
    const pastDue = (await json()).at_risk.past_due;
    // B 4000 (Starter) + C 45000 + N 10000 (Pro) = 59000 on 3 subscriptions.
    expect(pastDue.mrr_by_currency).toEqual({ usd: 59_000 });
    expect(pastDue.subscriptions).toBe(3);
    expect(pastDue.tiers).toEqual([
      { name: 'Starter', mrr: 4_000, mrr_by_currency: { usd: 4_000 }, subscriptions: 1 },
      { name: 'Pro', mrr: 55_000, mrr_by_currency: { usd: 55_000 }, subscriptions: 2 },
    ]);
    // 59000 / 330500 = 0.17851... -> "0.1785". The euro trial does not take past due's single total away.
    expect(pastDue.mrr).toBe(59_000);
    expect(pastDue.share_of_mrr_by_currency).toEqual({ usd: '0.1785' });
    expect(pastDue.share_of_mrr).toBe('0.1785');
  });

  it('scheduled to end: cancel_at, or the period end when Stripe left it empty, inside the horizon', async () => {
    const scheduled = (await json({ explain: true })).at_risk.scheduled_to_end;
    // D 50000 + F 50000 + N 10000 = 110000; E ends after the horizon.
    expect(scheduled.mrr_by_currency).toEqual({ usd: 110_000 });
    expect(scheduled.subscriptions).toBe(3);
    expect(scheduled.explain.map((line: any) => [line.mrr, line.date])).toEqual([
      [50_000, new Date((AS_OF + 20 * DAY) * 1000).toISOString()],
      [50_000, new Date((AS_OF + 22 * DAY) * 1000).toISOString()],
      [10_000, new Date((AS_OF + 25 * DAY) * 1000).toISOString()],
    ]);
  });

  it('discounts ending: the exact MRR change per coupon, only where rule billed counts a coupon', async () => {
    const ending = (await json()).at_risk.discounts_ending;
    // G +12500 (R25); I +5000 (AMT50), +10000 (R20): 27500 on 2 subscriptions. H (Starter) and J (after the horizon) add nothing.
    expect(ending.mrr_by_currency).toEqual({ usd: 27_500 });
    expect(ending.subscriptions).toBe(2);
    expect(ending.coupons.map((line: any) => [line.coupon, line.mrr_by_currency.usd, line.subscriptions])).toEqual([
      ['AMT50', 5_000, 1],
      ['R20', 10_000, 1],
      ['R25', 12_500, 1],
    ]);
  });

  it('trials ending: the MRR a conversion would add, per currency, with the trial end', async () => {
    const trials = (await json({ explain: true })).at_risk.trials_ending;
    // K 50000 USD (AS_OF + 7 d), M 40000 EUR (AS_OF + 3 d); L ends after the horizon.
    expect(trials.mrr_by_currency).toEqual({ eur: 40_000, usd: 50_000 });
    // Two currencies and no rates: no single figure.
    expect(trials.mrr).toBeNull();
    expect(trials.subscriptions).toBe(2);
    expect(trials.explain.map((line: any) => [line.currency, line.mrr, line.date])).toEqual([
      ['eur', 40_000, new Date((AS_OF + 3 * DAY) * 1000).toISOString()],
      ['usd', 50_000, new Date((AS_OF + 7 * DAY) * 1000).toISOString()],
    ]);
  });

  it('a shorter horizon keeps only what ends within it', async () => {
    const document = await json({ horizon: 7 });
    // 7 days: nothing set to end (the soonest is day 20); only AMT50 (day 5) of the discounts,
    // valued with R20 still on: 40000 - 35000 = +5000; both trials (day 3, day 7 inclusive).
    expect(document.at_risk.horizon_days).toBe(7);
    expect(document.at_risk.scheduled_to_end.mrr_by_currency).toEqual({});
    expect(document.at_risk.discounts_ending.mrr_by_currency).toEqual({ usd: 5_000 });
    expect(document.at_risk.trials_ending.mrr_by_currency).toEqual({ eur: 40_000, usd: 50_000 });
    expect(document.at_risk.past_due.mrr_by_currency).toEqual({ usd: 59_000 });
  });

  it('converts to the reporting currency when rates are configured, so past due has one share', async () => {
    const document = await json({ config: { reporting: { currency: 'usd', rates: { eur: '1.5' } } } as Partial<ConfigFile> });
    // Trials: 50000 + 40000 x 1.5 = 110000 USD cents. Share: 59000 / 330500 -> "0.1785".
    expect(document.at_risk.trials_ending.mrr).toBe(110_000);
    expect(document.at_risk.past_due.share_of_mrr).toBe('0.1785');
  });

  it('is absent without --at-risk, and the table and CSV show it', async () => {
    const data = plantedAccount();
    const plain = await computeRevenue(new WireBillingSource(new AccountFileReader(data), 'planted', data.as_of), parseConfig(CONFIG, 'test'), {
      measure: 'mrr',
      explain: false,
      now: NOW,
    });
    expect(JSON.parse(renderRevenueJson(plain)).at_risk).toBeUndefined();
    expect(plain.amount.byCurrency).toEqual({ usd: 330_500n });

    const report = await atRisk();
    const table = renderRevenueTable(report, makePalette(false));
    expect(table).toContain('MRR at risk within 30 days (to 2026-12-16)');
    expect(table).toMatch(/Past due\s+3\s+590\.00 USD\s+17\.9 %/);
    expect(renderRevenueDelimited(report, 'csv').split('\r\n')).toEqual([
      'category,tier,subscriptions,mrr,currency',
      'past_due,Starter,1,40.00,usd',
      'past_due,Pro,2,550.00,usd',
      'scheduled_to_end,Pro,3,1100.00,usd',
      'discounts_ending,Pro,2,275.00,usd',
      'trials_ending,Pro,2,400.00,eur',
      'trials_ending,Pro,2,500.00,usd',
      '',
    ]);
  });

  it('every line, date and coupon fits the published JSON Schema', async () => {
    const schema = JSON.parse(readFileSync(new URL('../../schemas/mrr.schema.json', import.meta.url), 'utf8'));
    const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);
    const document = await json({ explain: true });
    validate(document);
    expect(validate.errors ?? []).toEqual([]);
    expect(document.at_risk.discounts_ending.explain.map((line: any) => line.coupon)).toEqual(['AMT50', 'R25', 'R20']);
  });
});
