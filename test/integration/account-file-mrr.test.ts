import { describe, expect, it } from 'vitest';
import { computeRevenue } from '../../src/app/compute-revenue.js';
import { parseConfig } from '../../src/config/load.js';
import { DEFAULT_CONFIG } from '../../src/config/defaults.js';
import { renderRevenueJson } from '../../src/render/revenue-json.js';
import { AccountFileReader } from '../../src/sources/stripe/account-file-reader.js';
import { WireBillingSource } from '../../src/sources/stripe/wire-source.js';
import { HANDWORKED_ACCOUNT, HANDWORKED_IDS } from '../support/handworked-account.js';
import { expectHandworkedMrrJson } from '../support/report-assertions.js';
import type { StripeAccountFile } from '../../src/sources/stripe/wire.js';

const NOW = new Date('2026-11-16T12:00:00Z');

async function mrrJson(account: StripeAccountFile, config = parseConfig(DEFAULT_CONFIG, 'test'), explain = false) {
  const source = new WireBillingSource(new AccountFileReader(account), 'test account', account.as_of);
  return JSON.parse(renderRevenueJson(await computeRevenue(source, config, { measure: 'mrr', explain, now: NOW })));
}

describe('kpi mrr over an account file (the demo path)', () => {
  it('gives the hand-worked figures', async () => {
    const document = await mrrJson(HANDWORKED_ACCOUNT);
    expectHandworkedMrrJson(document);
    expect(document.tiers[1].products[1].product_ids).toEqual([HANDWORKED_IDS.teamSmall, HANDWORKED_IDS.proSmall]);
    expect(document.generated_at).toBe('2026-11-16T12:00:00.000Z');
  });

  it('counts repeating coupons when the config says so', async () => {
    const config = parseConfig({ ...DEFAULT_CONFIG, discounts: { count_repeating: true } }, 'test');
    const document = await mrrJson(HANDWORKED_ACCOUNT, config);
    // Subscription 7 (56100, LAUNCH50 repeating 50 %) now counts 28050: Pro 407366.667 - 28050 = 379316.667 -> 379317
    expect(document.tiers[1].mrr).toBe(379_317);
    // Starter ignores every discount whatever the setting.
    expect(document.tiers[0].mrr).toBe(11_833);
  });

  it('calls the tier Team on an account from before the rename', async () => {
    const renamed = structuredClone(HANDWORKED_ACCOUNT);
    for (const product of renamed.products) product.name = product.name.replace(/^Pro - /, 'Team - ').replace('FlowFuse Pro Platform', 'FlowFuse Team Platform');
    const document = await mrrJson(renamed);
    expect(document.tiers[1].name).toBe('Team');
    expect(document.tiers[1].products[0].name).toBe('FlowFuse Team Platform - Cloud');
    expect(document.mrr).toBe(419_200);
  });

  it('explains each counted subscription, and the rows add up to the totals', async () => {
    const document = await mrrJson(HANDWORKED_ACCOUNT, undefined, true);
    const rows: Array<{ tier: string; mrr: number; subscription: string }> = document.explain;
    expect(new Set(rows.map((row) => row.subscription)).size).toBe(13);
    // Per-row rounding: the two yearly subscriptions contribute 1833 and 31167 + 7700; exact totals differ by under a cent per row.
    const starterSum = rows.filter((row) => row.tier === 'Starter').reduce((sum, row) => sum + row.mrr, 0);
    expect(starterSum).toBe(2000 + 6500 + 1500 + 1833);
  });
});

describe('configurable counted statuses', () => {
  it('counts only the configured statuses', async () => {
    const config = parseConfig({ ...DEFAULT_CONFIG, counted_statuses: ['active'] }, 'test');
    const document = await mrrJson(HANDWORKED_ACCOUNT, config);
    // Without past_due: Starter loses #3 (1500), Pro loses #10 (56500):
    // 419200 - 1500 - 56500 = 361200, 13 - 2 = 11 subscriptions, and the metered item went with #10.
    expect(document.mrr).toBe(361_200);
    expect(document.subscriptions).toBe(11);
    expect(document.excluded.metered_items).toBe(0);
    expect(document.counted_statuses).toEqual(['active']);
  });

  it('can count trialing subscriptions when asked to', async () => {
    const config = parseConfig({ ...DEFAULT_CONFIG, counted_statuses: ['active', 'past_due', 'trialing'] }, 'test');
    // #5 is a trialing Starter at 2000: 419200 + 2000
    expect((await mrrJson(HANDWORKED_ACCOUNT, config)).mrr).toBe(421_200);
  });
});
