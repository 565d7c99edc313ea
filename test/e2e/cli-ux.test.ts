import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../src/config/load.js';
import { loadOkrFile } from '../../src/okr/okr-file.js';
import { HANDWORKED_ACCOUNT } from '../support/handworked-account.js';
import { KPI_BIN, runKpi } from '../support/run-kpi.js';
import { startStripeServer, type RunningStripeServer } from '../support/stripe-server/index.js';

describe('kpi init', () => {
  it('writes a valid commented config and OKR file, and refuses to overwrite without --force', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'kpi-init-'));
    const first = await runKpi(['init'], { cwd: directory, env: { KPI_NOW: '2026-11-22T10:00:00Z' } });
    expect(first.code).toBe(0);
    expect(first.stdout).toBe('wrote kpi.config.yaml\nwrote okrs.yaml\n');
    const config = loadConfigFile(join(directory, 'kpi.config.yaml'));
    expect(config.tiers.map((tier) => tier.names.at(-1))).toEqual(['Starter', 'Pro']);
    expect(config.report?.kpis.map((kpi) => kpi.id)).toEqual(['engineering_throughput', 'nr_active_instances', 'mqls', 'carr_projected', 'carr_closed', 'carr_goal', 'mrr', 'arr']);
    const template = readFileSync(join(directory, 'kpi.config.yaml'), 'utf8');
    expect(template).toContain('# source: { type: github');
    // Both ways to a reporting currency are shown, each valid once uncommented.
    const ecb = join(directory, 'ecb.yaml');
    writeFileSync(ecb, template.replace('# reporting: { currency: usd, rates: ecb }', 'reporting: { currency: usd, rates: ecb }'));
    expect(loadConfigFile(ecb).reporting).toEqual({ currency: 'usd', rates: 'ecb' });
    const fixed = join(directory, 'fixed.yaml');
    writeFileSync(fixed, template.replace('# reporting:\n#   currency: usd\n#   rates: { eur: "1.08" }', 'reporting:\n  currency: usd\n  rates: { eur: "1.08" }'));
    expect(loadConfigFile(fixed).reporting).toEqual({ currency: 'usd', rates: { eur: '1.08' } });
    // The commented hubspot examples are valid as they stand: uncommented, the config loads.
    writeFileSync(join(directory, 'hubspot.config.yaml'), template.replaceAll('# source: { type: hubspot', 'source: { type: hubspot'));
    const crm = loadConfigFile(join(directory, 'hubspot.config.yaml')).report?.kpis.filter((kpi) => kpi.source?.type === 'hubspot');
    expect(crm?.map((kpi) => [kpi.id, kpi.source?.type === 'hubspot' && kpi.source.preset])).toEqual([
      ['mqls', 'mqls'],
      ['carr_projected', 'carr_projected'],
      ['carr_closed', 'carr_closed'],
    ]);
    expect(loadOkrFile(join(directory, 'okrs.yaml')).period).toBe('2026-Q4');
    const lint = await runKpi(['okr', 'lint'], { cwd: directory });
    expect(lint.code).toBe(0);

    const again = await runKpi(['init'], { cwd: directory });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('kpi.config.yaml and okrs.yaml already exist');
    expect((await runKpi(['init', '--force'], { cwd: directory })).code).toBe(0);
  });
});

describe('kpi config check', () => {
  it('shows the products each name matched and each KPI with its source, without secrets', async () => {
    const run = await runKpi(['config', 'check', '--demo'], { env: { STATS_TOKEN: 'secret-token-value' } });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Pro - Small Instance Add-On: prod_\w+ "Team - Small Instance Add-On" \(archived\), prod_\w+ "Pro - Small Instance Add-On"/);
    expect(run.stdout).toContain('hubspot preset carr_closed (token from $HUBSPOT_TOKEN)');
    expect(run.stdout).not.toContain('secret-token-value');
  });

  it('refuses the environment a report would refuse (GITHUB_API_URL, a token a header cannot carry), exit 2', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'kpi-check-env-'));
    writeFileSync(join(directory, 'kpi.config.yaml'), 'report:\n  kpis:\n    - { id: prs, name: PRs, unit: count, source: { type: github, repositories: [acme/app] } }\n');
    const badUrl = await runKpi(['config', 'check', '--demo', '--config', 'kpi.config.yaml'], { cwd: directory, env: { GITHUB_API_URL: 'not a url' } });
    expect({ code: badUrl.code, stdout: badUrl.stdout }).toEqual({ code: 2, stdout: '' });
    expect(badUrl.stderr).toContain('kpi: error: GITHUB_API_URL is not a URL');
    const badToken = await runKpi(['config', 'check', '--demo', '--config', 'kpi.config.yaml'], { cwd: directory, env: { GITHUB_TOKEN: 'ghp_abc\nSECRETPART' } });
    expect({ code: badToken.code, stdout: badToken.stdout }).toEqual({ code: 2, stdout: '' });
    expect(badToken.stderr).toContain('kpi: error: GITHUB_TOKEN holds a character an HTTP header cannot carry');
    expect(badToken.stderr).not.toContain('SECRETPART');
    // The same report refuses it the same way.
    expect((await runKpi(['report', '--config', 'kpi.config.yaml'], { cwd: directory, env: { GITHUB_API_URL: 'not a url' } })).code).toBe(2);
  });

  it('still shows the KPIs when Stripe cannot be read, and exits with that failure', async () => {
    const run = await runKpi(['config', 'check'], { cwd: mkdtempSync(join(tmpdir(), 'kpi-check-')) });
    expect(run.code).toBe(4);
    expect(run.stdout).toContain('Tiers not checked against Stripe: no Stripe API key');
    expect(run.stdout).toContain('mrr: MRR [money, now, no target, higher is better]');
  });
});

describe('bounds', () => {
  it('reads JSON config and OKR files that start with a UTF-8 BOM, as YAML ones are', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'kpi-bom-'));
    const config = { report: { kpis: [{ id: 'goal', name: 'Goal', unit: 'count', source: { type: 'value', value: 7 }, target: 5 }] } };
    writeFileSync(join(directory, 'kpi.config.json'), `\uFEFF${JSON.stringify(config)}`);
    const okrs = { period: '2026-Q4', objectives: [{ title: 'O', owner: 'Ana', type: 'committed', key_results: [{ title: 'Goal', kpi: 'goal', start: 0, target: 10 }] }] };
    writeFileSync(join(directory, 'okrs.json'), `\uFEFF${JSON.stringify(okrs)}`);
    const env = { KPI_NOW: '2026-11-16T00:00:00Z', KPI_DATA_DIR: directory };
    const report = await runKpi(['report', '--format', 'json'], { cwd: directory, env });
    expect(report.stderr).toBe('');
    expect(JSON.parse(report.stdout).kpis[0]).toMatchObject({ id: 'goal', value: 7, target: 5, status: 'green' });
    // A JSON source file saved by the same editor reads too.
    writeFileSync(join(directory, 'stats.json'), `\uFEFF${JSON.stringify({ active: 42 })}`);
    const withStats = { report: { kpis: [{ id: 'active', name: 'Active', unit: 'count', source: { type: 'json', location: 'stats.json', pointer: '/active' } }] } };
    writeFileSync(join(directory, 'stats-config.json'), `\uFEFF${JSON.stringify(withStats)}`);
    const stats = await runKpi(['report', '--config', 'stats-config.json', '--format', 'json'], { cwd: directory, env });
    expect(stats.stderr).toBe('');
    expect(JSON.parse(stats.stdout).kpis[0]).toMatchObject({ id: 'active', value: 42, error: null });
    const status = await runKpi(['okr', 'status', 'okrs.json', '--format', 'json'], { cwd: directory, env });
    expect(status.stderr).toBe('');
    // 7 of 10 from 0: 0.7.
    expect(JSON.parse(status.stdout).objectives[0].key_results[0]).toMatchObject({ current: 7, score: 0.7 });
  });

  it.each(['0.01', '1e-300', '1001', '0', 'fast'])('--max-rps %s is a usage error', async (rate) => {
    const run = await runKpi(['mrr', '--max-rps', rate], { env: { STRIPE_API_KEY: 'rk_test_neverUsed000000000' } });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain("option '--max-rps <n>' argument");
    expect(run.stderr).toContain('expected a number of requests per second from 0.1 to 1000');
  });

  it.each(['99999999', '523', '0'])('--weeks %s is a usage error, not a series that exhausts memory', async (weeks) => {
    const run = await runKpi(['arr', '--demo', '--weekly', '--weeks', weeks]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('expected a whole number of weeks (ten years) from 1 to 522');
  });

  it.each(['2026-02-30', '2026-02-30T12:00:00Z', '2026-13-01', 'yesterday'])('KPI_NOW=%s is a usage error, like --from', async (now) => {
    const run = await runKpi(['mrr', '--demo'], { env: { KPI_NOW: now } });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`KPI_NOW is not a timestamp: "${now}"`);
  });
});

describe('help, completion and suggestions', () => {
  it('kpi help environment names every variable kpi reads', async () => {
    const run = await runKpi(['help', 'environment']);
    expect(run.code).toBe(0);
    // A long name stands on a line of its own, its description below.
    const names = run.stdout.split('\n').map((line) => /^ {2}([A-Z_]+)(?: |$)/.exec(line)?.[1]).filter(Boolean);
    expect(names).toEqual(['STRIPE_API_KEY', 'STRIPE_API_BASE', 'GITHUB_TOKEN', 'GITHUB_API_URL', 'HUBSPOT_TOKEN', 'HUBSPOT_API_URL', 'KPI_DATA_DIR', 'KPI_ECB_URL', 'KPI_ALLOW_COMMANDS', 'KPI_NOW', 'KPI_DEBUG', 'NO_COLOR', 'NODE_OPTIONS']);
    expect(run.stdout).toContain('FORCE_COLOR turns it on');
    // Every variable the code reads by name is in the topic (HOME as the ~ of a default path).
    const read = new Set<string>();
    for (const file of readdirSync(new URL('../../src/', import.meta.url), { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.ts'))) {
      const code = readFileSync(new URL(`../../src/${file}`, import.meta.url), 'utf8');
      for (const match of code.matchAll(/\benv\.([A-Z][A-Z0-9_]*)/g)) read.add(match[1] as string);
    }
    expect(read.size).toBeGreaterThan(10);
    for (const name of read) expect(run.stdout, name).toContain(name === 'HOME' ? '~/' : name);
  });

  it('kpi help formats describes each --format value', async () => {
    const run = await runKpi(['help', 'formats']);
    expect(run.code).toBe(0);
    const formats = run.stdout.split('\n').map((line) => /^ {2}([a-z][a-z, ]*?) {2,}/.exec(line)?.[1]).filter(Boolean);
    expect(formats).toEqual(['table', 'json', 'csv, tsv', 'markdown', 'html']);
    expect(run.stdout).toContain('-o FILE writes the result to FILE');
  });

  it('kpi help exit-codes lists every code kpi exits with, as the README table does', async () => {
    const run = await runKpi(['help', 'exit-codes']);
    expect(run.code).toBe(0);
    const codes = run.stdout.split('\n').map((line) => /^ {2}(\d+) {2,}/.exec(line)?.[1]).filter(Boolean);
    expect(codes).toEqual(['0', '1', '2', '3', '4', '70']);
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const table = readme.slice(readme.indexOf('## Exit codes'), readme.indexOf('## The weekly KPI report'));
    expect([...table.matchAll(/^\| (\d+) \|/gm)].map((match) => match[1])).toEqual(codes);
    // kpi reconcile reads Stripe alone too: a missing key is exit 4 there (below), so both lists name it.
    expect(run.stdout.replace(/\s+/g, ' ')).toContain('for commands that read Stripe alone (mrr, arr, snapshot, reconcile, config check)');
    expect(table).toContain('(`mrr`, `arr`, `snapshot`, `reconcile`, `config check`)');
    const list = join(mkdtempSync(join(tmpdir(), 'kpi-exit4-')), 'list.csv');
    writeFileSync(list, 'customer_id,mrr,currency\ncus_a,1.00,usd\n');
    const noKey = await runKpi(['reconcile', '--against', list]);
    expect(noKey.code).toBe(4);
    expect(noKey.stdout).toBe('');
  });

  it('kpi metrics --help offers no Stripe key flags and no exit 4: it reads snapshots only', async () => {
    const run = await runKpi(['metrics', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain('--api-key-file');
    expect(run.stdout).not.toContain('--max-rps');
    expect(run.stdout).not.toContain('STRIPE_API_KEY');
    expect(run.stdout).toContain('Exit codes: 0 ok, 1 a snapshot is damaged, 2 bad usage/config/input (no snapshot at or before a date), 70 internal error (a bug).');
  });

  it('the top-level help lists every exit code', async () => {
    const run = await runKpi(['--help']);
    expect(run.stdout).toContain('Exit codes: 0 ok, 1 a data source failed, 2 bad usage/config/input, 3 a KPI or OKR at or beyond --fail-on (kpi reconcile: a customer differs), 4 authentication failed, 70 internal error (a bug).');
  });

  it('README and `okr status --help` state the same status rules as the code', async () => {
    const oneLine = (text: string) => text.replace(/`/g, '').replace(/\s+/g, ' ');
    const readme = oneLine(readFileSync(new URL('../../README.md', import.meta.url), 'utf8'));
    const help = oneLine((await runKpi(['okr', 'status', '--help'])).stdout);
    // The code's rule (test/unit/okr.test.ts): measured and not moving is Off-Track mid-quarter.
    const rule = 'a key result measured at its start value is Off-Track, not Not Started';
    expect(help).toContain(rule);
    expect(readme).toContain(rule);
    expect(readme).not.toContain('Not Started while the score is 0');
    expect(help).toContain('Exit codes: 0 ok, 1 a linked KPI\'s source failed');
  });

  it('every command has examples in its help', async () => {
    for (const command of [['mrr'], ['arr'], ['metrics'], ['report'], ['snapshot'], ['okr'], ['okr', 'status'], ['okr', 'lint'], ['reconcile'], ['init'], ['config'], ['config', 'check'], ['completion'], ['help']]) {
      const run = await runKpi([...command, '--help']);
      expect(run.code, command.join(' ')).toBe(0);
      expect(run.stdout, command.join(' ')).toContain('Examples:');
    }
    expect((await runKpi(['help', 'okr', 'lint'])).stdout).toContain('Usage: kpi okr lint');
  });

  it('suggests the closest command and option', async () => {
    const command = await runKpi(['reprot']);
    expect(command.code).toBe(2);
    expect(command.stderr).toContain('Did you mean report?');
    const option = await runKpi(['mrr', '--explian']);
    expect(option.code).toBe(2);
    expect(option.stderr).toContain('Did you mean --explain?');
  });

  it('bash completion completes commands and options', async () => {
    const script = (await runKpi(['completion', 'bash'])).stdout;
    const complete = (line: string) => {
      const words = line.split(' ');
      const program = `${script}\nCOMP_WORDS=(${words.map((word) => `'${word}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _kpi_complete; printf '%s\\n' "\${COMPREPLY[@]}"`;
      return spawnSync('bash', ['-c', program], { encoding: 'utf8' }).stdout.trim().split('\n');
    };
    expect(complete('kpi re')).toEqual(['report', 'reconcile']);
    expect(complete('kpi okr l')).toEqual(['lint']);
    expect(complete('kpi arr --wee')).toEqual(['--weekly', '--weeks']);
    expect(complete('kpi metrics --fr')).toEqual(['--from']);
    expect((await runKpi(['completion', 'fish'])).stdout).toContain("complete -c kpi -n '__fish_use_subcommand' -a 'mrr arr metrics report okr");
    expect((await runKpi(['completion', 'zsh'])).stdout).toContain('bashcompinit');
  });
});

describe('terminal behaviour and output files', () => {
  it('FORCE_COLOR turns colour on for a pipe (even over NO_COLOR); --no-color turns it off', async () => {
    const forced = await runKpi(['report', '--demo'], { env: { FORCE_COLOR: '1' } });
    expect(forced.stdout).toMatch(/\x1b\[31m/);
    const plain = await runKpi(['report', '--demo'], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } });
    expect(plain.stdout).toMatch(/\x1b\[31m/); // FORCE_COLOR wins over NO_COLOR
    const flagged = await runKpi(['report', '--demo', '--no-color'], { env: { FORCE_COLOR: '1' } });
    expect(flagged.stdout).not.toMatch(/\x1b\[/);
  });

  it('-o writes the whole output to a file and nothing to stdout', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'kpi-output-'));
    const file = join(directory, 'mrr.json');
    const run = await runKpi(['mrr', '--demo', '--format', 'json', '-o', file]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    expect(JSON.parse(readFileSync(file, 'utf8')).kind).toBe('mrr');
    const table = join(directory, 'report.txt');
    await runKpi(['report', '--demo', '-o', table]);
    // A file is not a terminal: plain text.
    expect(readFileSync(table, 'utf8')).not.toMatch(/\x1b\[/);
    expect(existsSync(table)).toBe(true);
    const refused = await runKpi(['mrr', '--demo', '-o', join(directory, 'missing', 'x.json')]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('cannot write');
  });
});

describe('keys', () => {
  let server: RunningStripeServer;
  beforeAll(async () => {
    server = await startStripeServer({ account: HANDWORKED_ACCOUNT, apiKeys: ['sk_live_fullAccess000000000', 'rk_test_restricted000000000'] });
  });
  afterAll(() => server.close());

  it('kpi report with a rejected key: the Stripe KPIs are n/a, the rest prints, exit 1 as its help says', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'kpi-report-rejected-'));
    writeFileSync(
      join(directory, 'kpi.config.yaml'),
      'report:\n  kpis:\n    - { id: goal, name: Goal, unit: count, source: { type: value, value: 3 }, target: 2 }\n    - { id: mrr, name: MRR, unit: money, source: { type: stripe, metric: mrr } }\n',
    );
    const rejectedKey = 'rk_test_rejectedByServer0000';
    const run = await runKpi(['report', '--format', 'json'], { cwd: directory, env: { STRIPE_API_KEY: rejectedKey, STRIPE_API_BASE: server.url, KPI_DATA_DIR: directory } });
    expect(run.code).toBe(1);
    const byId = Object.fromEntries(JSON.parse(run.stdout).kpis.map((kpi: { id: string }) => [kpi.id, kpi]));
    expect(byId.goal).toMatchObject({ value: 3, status: 'green' });
    expect(byId.mrr).toMatchObject({ value: null, status: 'error' });
    expect(byId.mrr.error).toContain('Stripe rejected the API key from STRIPE_API_KEY (HTTP 401)');
    expect(run.stderr).toContain('kpi: warning: MRR is n/a: Stripe rejected the API key');
    expect(run.stdout + run.stderr).not.toContain('rejectedByServer');
    const help = (await runKpi(['report', '--help'])).stdout.replace(/\s+/g, ' ');
    expect(help).toContain("Exit codes: 0 ok, 1 a KPI's source failed, a missing or rejected Stripe key included (the report still prints; this wins over 3)");
    expect(help).not.toContain('4 Stripe authentication failed');
  });

  it('notes a full-access key and a live key on stderr, never showing either', async () => {
    const full = await runKpi(['mrr', '--format', 'json'], { env: { STRIPE_API_KEY: 'sk_live_fullAccess000000000', STRIPE_API_BASE: server.url } });
    expect(full.code).toBe(0);
    expect(full.stderr).toContain('kpi: warning: the key from STRIPE_API_KEY is a full-access secret key; kpi only reads, so a restricted key (rk_...) with Read access to Products, Prices, Coupons and Subscriptions is enough');
    expect(full.stderr).toContain('kpi: note: using a live-mode key from STRIPE_API_KEY');
    expect(full.stderr + full.stdout).not.toContain('fullAccess');
    const restricted = await runKpi(['mrr', '--format', 'json'], { env: { STRIPE_API_KEY: 'rk_test_restricted000000000', STRIPE_API_BASE: server.url } });
    expect(restricted.stderr).toBe('');
  });
});

it('the binary is executable as installed', () => {
  const version = spawnSync(process.execPath, [KPI_BIN, '--version'], { encoding: 'utf8' });
  expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version);
});
