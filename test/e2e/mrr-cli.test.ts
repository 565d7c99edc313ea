import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HANDWORKED_ACCOUNT } from '../support/handworked-account.js';
import { expectHandworkedMrrJson } from '../support/report-assertions.js';
import { runKpi } from '../support/run-kpi.js';
import { startStripeServer, type RunningStripeServer } from '../support/stripe-server/index.js';

const KEY = 'rk_test_e2eSECRETkey000111222';
let server: RunningStripeServer;
let workdir: string;
const live = () => ({ STRIPE_API_KEY: KEY, STRIPE_API_BASE: server.url });

beforeAll(async () => {
  server = await startStripeServer({ account: HANDWORKED_ACCOUNT, apiKeys: [KEY] });
  workdir = mkdtempSync(join(tmpdir(), 'kpi-e2e-'));
});
afterAll(() => server.close());

describe('kpi mrr against a Stripe-compatible server', () => {
  it('prints the hand-worked figures as JSON and nothing on stderr', async () => {
    const run = await runKpi(['mrr', '--format', 'json'], { env: live(), cwd: workdir });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const document = JSON.parse(run.stdout);
    expectHandworkedMrrJson(document);
    expect(document.source).toMatch(/test mode/);
  });

  it('prints a table with tiers, totals and the comparison with Stripe', async () => {
    const run = await runKpi(['mrr'], { env: live(), cwd: workdir });
    expect(run.code).toBe(0);
    // Piped stdout: no colour codes.
    expect(run.stdout).not.toMatch(/\x1b\[/);
    expect(run.stdout).toMatch(/Starter total\s+4\s+118\.33 USD/);
    expect(run.stdout).toMatch(/Pro total\s+9\s+4,073\.67 USD/);
    expect(run.stdout).toMatch(/Total\s+13\s+4,192\.00 USD/);
    expect(run.stdout).toMatch(/Starter\s+118\.33 USD\s+105\.33 USD\s+13\.00 USD/);
    expect(run.stdout).toContain('Left out: 1 metered (usage-based) item');
  });

  it('prints CSV and TSV rows per product, in major units', async () => {
    const csv = await runKpi(['mrr', '--format', 'csv'], { env: live(), cwd: workdir });
    expect(csv.code).toBe(0);
    const lines = csv.stdout.split('\r\n');
    expect(lines[0]).toBe('tier,product,rule,subscriptions,quantity,mrr,currency,stripe_mrr,difference');
    // List: 2000 + 2000 + 1500 + 22000/12 = 7333.33; Stripe: 2000 + 2000 x 0.8 + 1500 + 1833.33 = 6933.33
    expect(lines[1]).toBe('Starter,FlowFuse Cloud - Starter,list-price,4,4,73.33,usd,69.33,4.00');
    // 2 x 1500 at list price; Stripe: 3000 x 0.8 = 2400
    expect(lines[2]).toBe('Starter,Starter - Small Instance Add-On,list-price,1,2,30.00,usd,24.00,6.00');
    expect(lines[5]).toBe('Pro,Pro - Small Instance Add-On,billed,4,31,221.00,usd,221.00,0.00');
    expect(lines).toHaveLength(1 + 8 + 1);
    const tsv = await runKpi(['mrr', '--format', 'tsv'], { env: live(), cwd: workdir });
    expect(tsv.stdout.split('\n')[1]).toBe('Starter\tFlowFuse Cloud - Starter\tlist-price\t4\t4\t73.33\tusd\t69.33\t4.00');
  });

  it('explains each subscription', async () => {
    const run = await runKpi(['mrr', '--format', 'csv', '--explain'], { env: live(), cwd: workdir });
    const rows = run.stdout.trim().split('\r\n');
    expect(rows[0]).toBe('subscription,customer,status,tier,product,quantity,mrr,currency,stripe_mrr,difference,causes');
    const lines = rows.slice(1).map((row) => row.split(','));
    expect(new Set(lines.map((line) => line[0])).size).toBe(13);
    // past_due: #3 (one Starter row) and #10 (platform and large add-on)
    expect(lines.filter((line) => line[2] === 'past_due')).toHaveLength(3);
    // Starter rows, each rounded on its own: 20.00 + (20.00 + 30.00 + 15.00) + 15.00 + 18.33 = 118.33 list price;
    // Stripe's view of #2 is 80 % of it: 16.00 + 24.00 + 12.00
    const starter = lines.filter((line) => line[3] === 'Starter');
    const sum = (column: number) => starter.reduce((total, line) => total + Math.round(Number(line[column]) * 100), 0);
    expect(starter).toHaveLength(6);
    expect(sum(6)).toBe(2000 + 2000 + 3000 + 1500 + 1500 + 1833);
    expect(sum(8)).toBe(2000 + 1600 + 2400 + 1200 + 1500 + 1833);
  });
});

describe('errors', () => {
  it('without a key: says how to set one and that --demo needs none (exit 4)', async () => {
    const run = await runKpi(['mrr'], { cwd: workdir });
    expect(run.code).toBe(4);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('STRIPE_API_KEY');
    expect(run.stderr).toContain('--demo');
  });

  it('with a rejected key: says so and never shows the key (exit 4)', async () => {
    const wrong = 'sk_test_THISisNOTvalid99999999';
    const run = await runKpi(['mrr', '--verbose'], { env: { STRIPE_API_KEY: wrong, STRIPE_API_BASE: server.url }, cwd: workdir });
    expect(run.code).toBe(4);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('Stripe rejected the API key');
    expect(run.stderr).not.toContain(wrong);
    expect(run.stderr).not.toContain('THISisNOTvalid');
  });

  it('never prints the key, even verbose', async () => {
    const run = await runKpi(['mrr', '--verbose', '--format', 'json'], { env: live(), cwd: workdir });
    expect(run.code).toBe(0);
    expect(run.stdout + run.stderr).not.toContain(KEY);
    expect(run.stderr).toContain('kpi: config: built-in default');
  });

  it('reads the key from --api-key-file', async () => {
    const keyFile = join(workdir, 'stripe-key');
    writeFileSync(keyFile, `${KEY}\n`);
    const run = await runKpi(['mrr', '--api-key-file', keyFile, '--format', 'json'], { env: { STRIPE_API_BASE: server.url }, cwd: workdir });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).mrr).toBe(419_200);
  });

  it('refuses a bad config file, naming the file and the field (exit 2)', async () => {
    const configFile = join(workdir, 'bad.yaml');
    writeFileSync(configFile, 'tiers:\n  - name: Starter\n    rule: list_price\n    products: [FlowFuse Cloud - Starter]\n');
    const run = await runKpi(['mrr', '--config', configFile], { env: live(), cwd: workdir });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`config file ${configFile} is invalid`);
    expect(run.stderr).toMatch(/tiers\[0\]\.rule: .*"list-price"/);
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('names the closest products when a configured product does not exist (exit 2)', async () => {
    const configFile = join(workdir, 'kpi.config.json');
    writeFileSync(configFile, JSON.stringify({ tiers: [{ name: 'Starter', rule: 'list-price', products: ['FlowFuse Cloud Starter'] }] }));
    const run = await runKpi(['mrr'], { env: live(), cwd: workdir });
    const { rmSync } = await import('node:fs');
    rmSync(configFile);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('"FlowFuse Cloud Starter", but no Stripe product has that name');
    expect(run.stderr).toContain('Closest product names in the account: "FlowFuse Cloud - Starter"');
  });

  it('reports an unreachable API (exit 1)', async () => {
    const run = await runKpi(['mrr'], { env: { STRIPE_API_KEY: KEY, STRIPE_API_BASE: 'http://127.0.0.1:9' }, cwd: workdir });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('could not reach http://127.0.0.1:9');
  });

  it('rejects unknown options and formats (exit 2)', async () => {
    const format = await runKpi(['mrr', '--format', 'xml'], { cwd: workdir });
    expect(format.code).toBe(2);
    expect(format.stderr).toContain('Allowed choices are table, json, csv, tsv');
    const command = await runKpi(['mmr'], { cwd: workdir });
    expect(command.code).toBe(2);
    expect(command.stderr).toContain('Did you mean mrr?');
  });
});
