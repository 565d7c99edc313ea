import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSnapshot } from '../../src/snapshots/snapshot-store.js';
import { takeSnapshot } from '../../src/snapshots/take-snapshot.js';
import type { SnapshotFile } from '../../src/snapshots/snapshot-format.js';
import { AccountFileReader } from '../../src/sources/stripe/account-file-reader.js';
import type { StripeAccountFile } from '../../src/sources/stripe/wire.js';
import { HANDWORKED_ACCOUNT } from '../support/handworked-account.js';
import { runKpi } from '../support/run-kpi.js';
import { startStripeServer } from '../support/stripe-server/index.js';

/** The examples: each was a figure (exit 0) or "a bug in kpi" (exit 70). */
type Damage = (data: Pick<SnapshotFile, 'prices' | 'coupons' | 'subscriptions'>) => void;

// Subscription 7 of the hand-worked account is counted and holds the Pro platform price first.
const counted = () => HANDWORKED_ACCOUNT.subscriptions[6]!;
const PRO_PRICE = counted().items.data[0]!.price.id;
const proPrice = (data: Parameters<Damage>[0]) => data.prices.find((price) => price.id === PRO_PRICE)!;
const coupon = (data: Parameters<Damage>[0], id: string) => data.coupons.find((entry) => entry.id === id)!;

const EXAMPLES: Array<[string, Damage, string, string]> = [
  ['a negative unit_amount', (data) => Object.assign(proPrice(data), { unit_amount: -2000, unit_amount_decimal: '-2000' }), 'unit_amount', 'must not be negative'],
  ['a negated amount_off', (data) => Object.assign(coupon(data, 'PARTNER50'), { amount_off: -5000 }), 'amount_off', 'must not be negative'],
  ['percent_off 250', (data) => Object.assign(coupon(data, 'NONPROFIT20'), { percent_off: 250 }), 'percent_off', 'must be at most 100'],
  ['unit_amount_decimal "12.3.4"', (data) => Object.assign(proPrice(data), { unit_amount_decimal: '12.3.4' }), 'unit_amount_decimal', 'must be a non-negative decimal string with at most 12 decimal places, got "12.3.4"'],
  ['percent_off "twenty"', (data) => Object.assign(coupon(data, 'NONPROFIT20'), { percent_off: 'twenty' }), 'percent_off', 'must be a number'],
  ['a quantity of 1e15', (data) => Object.assign(data.subscriptions.find((entry) => entry.id === counted().id)!.items.data[0]!, { quantity: 1e15 }), 'quantity', 'must be at most 1000000000000'],
];

describe('impossible values in a snapshot', () => {
  let directory: string;
  let snapshot: SnapshotFile;
  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'kpi-impossible-'));
    snapshot = await takeSnapshot(new AccountFileReader(HANDWORKED_ACCOUNT), { takenAt: HANDWORKED_ACCOUNT.as_of, source: 'test', livemode: false });
  });

  it.each(EXAMPLES)('%s is a data error naming the file and field', async (_name, damage, field, problem) => {
    const damaged = structuredClone(snapshot);
    damage(damaged);
    const path = writeSnapshot(directory, damaged);
    for (const format of ['table', 'json']) {
      const run = await runKpi(['mrr', '--snapshot', path, '--format', format], { cwd: directory });
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(new RegExp(`^kpi: error: snapshot ${path} is damaged: [a-z_]+\\[\\d+\\][.a-z_\\[\\]\\d]*\\.${field}: ${escape(problem)}\\n`));
      expect(run.stderr).not.toContain('internal error');
    }
  });
});

describe('impossible values from the Stripe API', () => {
  const KEY = 'rk_test_impossibleValues0000';
  it.each(EXAMPLES)('%s is a data error naming the Stripe object and field', async (name, damage, field, problem) => {
    const account: StripeAccountFile = structuredClone(HANDWORKED_ACCOUNT);
    damage(account);
    const server = await startStripeServer({ account, apiKeys: [KEY] });
    try {
      const run = await runKpi(['mrr', '--format', 'json'], { env: { STRIPE_API_KEY: KEY, STRIPE_API_BASE: server.url }, cwd: tmpdir() });
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      if (name.startsWith('unit_amount_decimal')) {
        // The SDK reads decimals itself and fails before kpi sees the price: the list and value are named.
        expect(run.stderr).toMatch(/^kpi: error: http:\/\/127\.0\.0\.1:\d+ sent an impossible value while listing prices: Failed to coerce decimal_string value: expected a decimal string, got '12\.3\.4'\n/);
      } else {
        expect(run.stderr).toMatch(new RegExp(`^kpi: error: subscription sub_\\w+(, item si_\\w+)?(: (price|coupon) \\w+)? has an impossible value: ${field}: ${escape(problem)}\\n`));
      }
      expect(run.stderr).not.toContain('internal error');
    } finally {
      await server.close();
    }
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
