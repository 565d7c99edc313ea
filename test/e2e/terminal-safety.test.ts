import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { account, price, product, subscription } from '../support/account-builder.js';
import { runKpi } from '../support/run-kpi.js';
import { startStripeServer, type RunningStripeServer } from '../support/stripe-server/index.js';

/**
 * A product name that, printed raw, sets the terminal title (OSC 0), makes a hyperlink
 * (OSC 8), turns the rest red and breaks the table row (CR, TAB).
 */
const EVIL = 'Evil\x1b]0;pwned\x07 \x1b]8;;http://x\x07link\x1b]8;;\x07 \x1b[31mred\r\tX';
/** The same name as the terminal must show it: each control character as a visible escape. */
const EVIL_SHOWN = String.raw`Evil\x1b]0;pwned\x07 \x1b]8;;http://x\x07link\x1b]8;;\x07 \x1b[31mred\r\tX`;
/** Any control character but the line feed that ends our own lines. */
const CONTROL = /[\x00-\x09\x0b-\x1f\x7f-\x9f]/;
const literally = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const KEY = 'rk_test_terminalSafety000111';
const evilProduct = product(EVIL);
const evilPrice = price(evilProduct, { unitAmount: 2000 });
let server: RunningStripeServer;
let directory: string;
const env = () => ({ STRIPE_API_KEY: KEY, STRIPE_API_BASE: server.url, KPI_DATA_DIR: directory });

const writeConfig = (name: string, config: unknown) => {
  const path = join(directory, name);
  writeFileSync(path, JSON.stringify(config));
  return path;
};
/** The evil product pinned by id, so its Stripe name is what the output shows. */
const pinnedConfig = () =>
  writeConfig('pinned.config.json', { tiers: [{ name: 'Starter', rule: 'list-price', products: [{ id: evilProduct.id }] }], arr: { other_recurring: [] } });

beforeAll(async () => {
  // One subscription of 20.00 USD a month.
  const stripeAccount = account({ products: [evilProduct], prices: [evilPrice], subscriptions: [subscription({ items: [{ price: evilPrice }] })] });
  server = await startStripeServer({ account: stripeAccount, apiKeys: [KEY] });
  directory = mkdtempSync(join(tmpdir(), 'kpi-terminal-'));
});
afterAll(() => server.close());

describe('a Stripe product name with control characters', () => {
  it('is shown with visible escapes in the mrr table, on one table row', async () => {
    const run = await runKpi(['mrr', '--config', pinnedConfig()], { env: env() });
    expect(run.code).toBe(0);
    expect(run.stdout).not.toMatch(CONTROL);
    const row = run.stdout.split('\n').find((line) => line.includes('Evil'));
    // The whole product row on one line: tier, name, rule, 1 subscription, quantity 1, 20.00 USD.
    expect(row).toMatch(/^Starter\s+/);
    expect(row).toContain(EVIL_SHOWN);
    expect(row).toMatch(/list-price\s+1\s+1\s+20\.00 USD$/);
  });

  it('keeps its exact text in JSON and CSV', async () => {
    const json = await runKpi(['mrr', '--config', pinnedConfig(), '--format', 'json'], { env: env() });
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout).tiers[0].products[0].name).toBe(EVIL);
    const csv = await runKpi(['mrr', '--config', pinnedConfig(), '--format', 'csv'], { env: env() });
    expect(csv.code).toBe(0);
    // Quoted (it holds a CR a parser would otherwise split the row at), every character as Stripe has it;
    // 20.00 list price, Stripe's view the same.
    expect(csv.stdout).toContain(`\r\nStarter,"${EVIL}",list-price,1,1,20.00,usd,20.00,0.00\r\n`);
    expect(parse(csv.stdout, { columns: true })).toEqual([
      { tier: 'Starter', product: EVIL, rule: 'list-price', subscriptions: '1', quantity: '1', mrr: '20.00', currency: 'usd', stripe_mrr: '20.00', difference: '0.00' },
    ]);
  });

  it('is shown with visible escapes by config check', async () => {
    const run = await runKpi(['config', 'check', '--config', pinnedConfig()], { env: env() });
    expect(run.code).toBe(0);
    expect(run.stdout).not.toMatch(CONTROL);
    expect(run.stdout).toContain(`    ${EVIL_SHOWN}: ${evilProduct.id} "${EVIL_SHOWN}"`);
  });

  it('is shown with visible escapes among the closest product names (exit 2, stdout empty)', async () => {
    const config = writeConfig('typo.config.json', { tiers: [{ name: 'Starter', rule: 'list-price', products: ['Evil product'] }], arr: { other_recurring: [] } });
    const run = await runKpi(['mrr', '--config', config], { env: env() });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).not.toMatch(CONTROL);
    expect(run.stderr).toContain(`Closest product names in the account: "${EVIL_SHOWN}"`);
  });
});

describe('kpi report with outside text', () => {
  const kpiName = 'Leads\x1b[2J\rfrom\tCRM\u202egnp.exe';
  const kpiShown = String.raw`Leads\x1b[2J\rfrom\tCRM\u202egnp.exe`;
  const reportConfig = () => {
    // A CSV whose header carries an escape sequence: the "no such column" reason quotes it.
    writeFileSync(join(directory, 'leads.csv'), 'Amount\x1b]0;owned\x07,Stage\n10,won\n');
    return writeConfig('report.config.json', {
      report: {
        kpis: [
          { id: 'leads', name: kpiName, unit: 'count', source: { type: 'value', value: 7 }, target: 5 },
          { id: 'deals', name: 'Deals\r\nkpi: error: fake', unit: 'count', source: { type: 'csv', file: 'leads.csv', sum: 'Amount' } },
        ],
      },
    });
  };

  it('shows KPI names and source errors with visible escapes, in the table and on stderr', async () => {
    const run = await runKpi(['report', '--config', reportConfig()], { env: { KPI_DATA_DIR: directory } });
    expect(run.code).toBe(1);
    expect(run.stdout).not.toMatch(CONTROL);
    expect(run.stderr).not.toMatch(CONTROL);
    // 7 against a target of 5: green, on one row.
    expect(run.stdout).toMatch(new RegExp(`GREEN\\s+${literally(kpiShown)}\\s+7\\s+5`));
    const reason = String.raw`leads.csv has no column "Amount" (columns: Amount\x1b]0;owned\x07, Stage)`;
    // A name cannot start a line of its own that poses as kpi's: its line break is shown.
    const name = String.raw`Deals\r\nkpi: error: fake`;
    expect(run.stdout).toContain(`${name}: ${reason}`);
    expect(run.stderr).toBe(`kpi: warning: ${name} is n/a: ${reason}\n`);
  });

  it('keeps the exact text in JSON and CSV', async () => {
    const json = await runKpi(['report', '--config', reportConfig(), '--format', 'json'], { env: { KPI_DATA_DIR: directory } });
    const kpis = JSON.parse(json.stdout).kpis;
    expect(kpis[0].name).toBe(kpiName);
    expect(kpis[1].error).toBe('leads.csv has no column "Amount" (columns: Amount\x1b]0;owned\x07, Stage)');
    const csv = await runKpi(['report', '--config', reportConfig(), '--format', 'csv'], { env: { KPI_DATA_DIR: directory } });
    const rows = parse(csv.stdout, { columns: true }) as Array<Record<string, string>>;
    expect(rows[0]).toMatchObject({ id: 'leads', name: kpiName, status: 'green', value: '7', target: '5' });
  });
});

describe('Markdown for a pre-read doc', () => {
  const script = '<script>alert(1)</script>';
  const attribute = '"><img src=x onerror=alert(1)>';

  it('escapes HTML in KPI names in the report', async () => {
    const config = writeConfig('html.config.json', {
      report: {
        kpis: [
          { id: 'a', name: script, unit: 'count', source: { type: 'value', value: 1 } },
          { id: 'b', name: attribute, unit: 'count', source: { type: 'value', value: 2 } },
          { id: 'c', name: 'R&D | spend', unit: 'count', source: { type: 'value', value: 3 } },
        ],
      },
    });
    const run = await runKpi(['report', '--config', config, '--format', 'markdown'], { env: { KPI_DATA_DIR: directory } });
    expect(run.code).toBe(0);
    expect(run.stdout).not.toMatch(/<(script|img)/);
    expect(run.stdout).toContain('| · no target | &lt;script&gt;alert(1)&lt;/script&gt; | 1 |');
    expect(run.stdout).toContain('| · no target | "&gt;&lt;img src=x onerror=alert(1)&gt; | 2 |');
    expect(run.stdout).toContain('| · no target | R&amp;D \\| spend | 3 |');
  });

  it('escapes HTML in objective, owner and key result texts of the OKR status', async () => {
    const okrs = join(directory, 'okrs.json');
    writeFileSync(
      okrs,
      JSON.stringify({
        period: '2026-Q4',
        objectives: [{ title: script, owner: attribute, type: 'committed', key_results: [{ title: `${attribute}\x1b[31m`, start: 0, target: 10, current: 5 }] }],
      }),
    );
    const run = await runKpi(['okr', 'status', okrs, '--config', writeConfig('empty.config.json', {}), '--format', 'markdown'], {
      env: { KPI_DATA_DIR: directory, KPI_NOW: '2026-11-16T00:00:00Z' },
    });
    expect(run.code).toBe(0);
    expect(run.stdout).not.toMatch(/<(script|img)/);
    expect(run.stdout).not.toMatch(CONTROL);
    expect(run.stdout).toContain('## &lt;script&gt;alert(1)&lt;/script&gt;: ');
    expect(run.stdout).toContain('Owner: "&gt;&lt;img src=x onerror=alert(1)&gt; (committed)');
    expect(run.stdout).toContain(String.raw`| "&gt;&lt;img src=x onerror=alert(1)&gt;\x1b\[31m | 0.50 |`);
  });
});
