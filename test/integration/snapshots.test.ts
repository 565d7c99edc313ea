import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeRevenue } from '../../src/app/compute-revenue.js';
import { parseConfig } from '../../src/config/load.js';
import { DEFAULT_CONFIG } from '../../src/config/defaults.js';
import { DataSourceError } from '../../src/errors.js';
import { reconstructAccountAt } from '../../src/history/reconstruct.js';
import { renderRevenueJson } from '../../src/render/revenue-json.js';
import { snapshotReader } from '../../src/snapshots/snapshot-reader.js';
import { listSnapshots, readSnapshot, writeSnapshot } from '../../src/snapshots/snapshot-store.js';
import { takeSnapshot } from '../../src/snapshots/take-snapshot.js';
import { AccountFileReader } from '../../src/sources/stripe/account-file-reader.js';
import { StripeApiReader } from '../../src/sources/stripe/api-reader.js';
import { readApiBase } from '../../src/sources/stripe/credentials.js';
import { WireBillingSource } from '../../src/sources/stripe/wire-source.js';
import { account, AS_OF, price, product, subscription } from '../support/account-builder.js';
import { HANDWORKED_ACCOUNT } from '../support/handworked-account.js';
import { expectHandworkedMrrJson } from '../support/report-assertions.js';
import { startStripeServer, type RunningStripeServer } from '../support/stripe-server/index.js';

const KEY = 'rk_test_snapshotKey000000000';
const config = parseConfig(DEFAULT_CONFIG, 'built-in default');
let server: RunningStripeServer;
let directory: string;

beforeAll(async () => {
  server = await startStripeServer({ account: HANDWORKED_ACCOUNT, apiKeys: [KEY] });
  directory = mkdtempSync(join(tmpdir(), 'kpi-snapshots-'));
});
afterAll(() => server.close());

const apiReader = () =>
  new StripeApiReader({ credentials: { key: KEY, origin: 'STRIPE_API_KEY', mode: 'test' }, apiBase: readApiBase({ STRIPE_API_BASE: server.url }) });
const mrrJson = async (source: WireBillingSource) => JSON.parse(renderRevenueJson(await computeRevenue(source, config, { measure: 'mrr', explain: true, now: new Date(0) })));
const figures = ({ generated_at: _g, as_of: _a, source: _s, ...rest }: Record<string, unknown>) => rest;

describe('snapshots', () => {
  it('live -> snapshot -> identical numbers', async () => {
    const live = await mrrJson(new WireBillingSource(apiReader(), 'live', AS_OF));
    const snapshot = await takeSnapshot(apiReader(), { takenAt: AS_OF, source: 'test server', livemode: false });
    const path = writeSnapshot(directory, snapshot);
    const file = readSnapshot(path);
    const fromSnapshot = await mrrJson(new WireBillingSource(snapshotReader(file, path), 'snapshot', file.taken_at));
    expectHandworkedMrrJson(fromSnapshot);
    expect(figures(fromSnapshot)).toEqual(figures(live));
    // Every status is kept, so lifecycles can be told later: all 19 subscriptions.
    expect(file.subscriptions).toHaveLength(19);
    expect(server.requests.every((request) => request.method === 'GET')).toBe(true);
  });

  it('keeps no customer details', async () => {
    const platform = product('FlowFuse Pro Platform - Cloud');
    const monthly = price(platform, { unitAmount: 42500 });
    const withPii = subscription({ items: [{ price: monthly }] });
    Object.assign(withPii, {
      customer: { id: 'cus_PII1', object: 'customer', name: 'Ada Lovelace', email: 'ada@example.com', address: { line1: '12 Analytical Row' } },
      metadata: { contact: 'ada@example.com' },
      description: 'Ada Lovelace, Analytical Engines Ltd',
      default_payment_method: { id: 'pm_1', card: { last4: '4242' } },
      shipping: { name: 'Ada Lovelace', phone: '+44 20 7946 0000' },
    });
    const data = account({ products: [platform], prices: [monthly], subscriptions: [withPii] });
    const snapshot = await takeSnapshot(new AccountFileReader(data), { takenAt: AS_OF, source: 'test', livemode: false });
    const text = JSON.stringify(snapshot);
    for (const secret of ['Ada', 'Lovelace', 'example.com', 'Analytical', '4242', '7946', 'pm_1']) expect(text).not.toContain(secret);
    expect(snapshot.subscriptions[0]?.customer).toBe('cus_PII1');
  });

  it('refuses damaged, truncated and foreign files, naming the file and the problem', () => {
    const good = writeSnapshot(directory, { object: 'kpi.snapshot', version: 1, taken_at: AS_OF, source: 't', livemode: false, products: [], prices: [], coupons: [], subscriptions: [] });
    const bytes = readFileSync(good);
    const truncated = join(directory, 'truncated.json.gz');
    writeFileSync(truncated, bytes.subarray(0, bytes.length - 12));
    const flipped = join(directory, 'flipped.json.gz');
    const damaged = Buffer.from(bytes);
    damaged[damaged.length - 10] = (damaged[damaged.length - 10] as number) ^ 0xff;
    writeFileSync(flipped, damaged);
    const foreign = join(directory, 'foreign.json.gz');
    writeFileSync(foreign, gzipSync(JSON.stringify({ object: 'list', data: [] })));
    const plain = join(directory, 'plain.json');
    writeFileSync(plain, '{"object":"kpi.snapshot"}');
    const wrongShape = join(directory, 'wrong.json.gz');
    writeFileSync(wrongShape, gzipSync(JSON.stringify({ object: 'kpi.snapshot', version: 1, taken_at: AS_OF, source: 't', livemode: false, products: [{ id: 1 }], prices: [], coupons: [], subscriptions: [] })));
    const newer = join(directory, 'newer.json.gz');
    writeFileSync(newer, gzipSync(JSON.stringify({ object: 'kpi.snapshot', version: 9 })));

    const failure = (path: string) => {
      try {
        readSnapshot(path);
      } catch (error) {
        expect(error).toBeInstanceOf(DataSourceError);
        return (error as Error).message;
      }
      throw new Error(`${path} was accepted`);
    };
    expect(failure(truncated)).toMatch(new RegExp(`^snapshot ${truncated} is damaged or truncated`));
    expect(failure(flipped)).toMatch(/is damaged or truncated|is damaged/);
    expect(failure(foreign)).toBe(`snapshot ${foreign} is not a kpi snapshot (no "object": "kpi.snapshot")`);
    expect(failure(plain)).toBe(`snapshot ${plain} is not a kpi snapshot (not gzip-compressed)`);
    expect(failure(wrongShape)).toBe(`snapshot ${wrongShape} is damaged: products[0].id: Invalid input: expected string, received number`);
    expect(failure(newer)).toContain('was written by a newer kpi (format version 9');
    // Only properly named snapshots are listed; the stray files above are not.
    expect(listSnapshots(directory).map((entry) => entry.path)).toContain(good);
    expect(listSnapshots(directory).some((entry) => entry.path.endsWith('truncated.json.gz'))).toBe(false);
  });

  it('reconstructs an earlier week from lifecycle dates', async () => {
    const platform = product('FlowFuse Pro Platform - Cloud');
    const monthly = price(platform, { unitAmount: 10000 });
    const DAY = 86_400;
    const data = account({
      products: [platform],
      prices: [monthly],
      subscriptions: [
        subscription({ created: AS_OF - 100 * DAY, items: [{ price: monthly }] }), // counted then and now
        subscription({ created: AS_OF - 5 * DAY, items: [{ price: monthly }] }), // did not exist 10 days ago
        Object.assign(subscription({ created: AS_OF - 60 * DAY, status: 'canceled', items: [{ price: monthly }] }), { canceled_at: AS_OF - 3 * DAY, ended_at: AS_OF - 3 * DAY }), // ran until 3 days ago
        Object.assign(subscription({ created: AS_OF - 20 * DAY, items: [{ price: monthly }] }), { trial_end: AS_OF - 8 * DAY }), // trialing 10 days ago
      ],
    });
    const tiers = parseConfig({ tiers: [{ name: 'Pro', rule: 'billed', products: ['FlowFuse Pro Platform - Cloud'] }] }, 't');
    const at = AS_OF - 10 * DAY;
    const past = reconstructAccountAt(data, at);
    const report = await computeRevenue(new WireBillingSource(new AccountFileReader(past), 'r', at), tiers, { measure: 'mrr', explain: false, now: new Date(0) });
    // 10 days ago: the first and the later-canceled one: 2 x 10000
    expect(report.amount.total).toBe(20_000n);
    const today = await computeRevenue(new WireBillingSource(new AccountFileReader(data), 'r', AS_OF), tiers, { measure: 'mrr', explain: false, now: new Date(0) });
    // today: the first, the new one and the converted trial: 3 x 10000
    expect(today.amount.total).toBe(30_000n);
  });
});
