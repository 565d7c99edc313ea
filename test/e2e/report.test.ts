import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGithubServer, type GithubServer } from '../support/github-server.js';
import { runKpi } from '../support/run-kpi.js';

/**
 * The demo company's scoreboard (fixtures/demo), worked out by hand; the demo is frozen at
 * Monday 2026-11-16 00:00 UTC, so last week is 2026-11-09 to 2026-11-15 and this quarter Q4.
 * Money converts at the ECB rates in force then (the demo's bundled file; a day's rates count
 * from 16:00 UTC, so Monday 00:00 takes Friday 2026-11-13's): 1 EUR = 1.0926 USD.
 * - Engineering Throughput: 8 pull requests merged last week (4099 and 4112 fall outside): red against 10
 *   (yellow would need 9, within 10 %).
 * - MQLs (the recorded HubSpot CRM, fixtures/demo/hubspot/crm.json): contacts whose MQL date is
 *   in last week: 1001, 1002, 1004, 1005, 1009 = 5 (1003 and 1008 never were MQLs, 1006 at the
 *   week's end is too late, 1007 a second before it too early): red against 6 (yellow from 5.4).
 * - NR Active Instances: 2290 against 2500: yellow (2250 or more).
 * - CARR Closed: closed-won deals closing in Q4: Acme 48,000 + Globex 24,500 + Initech 12,000 +
 *   Soylent 5,000 EUR x 1.0926 = 5,463 = 89,963 USD (Umbrella has no ARR, Hooli closed in Q3):
 *   red against the 150,000 goal (yellow from 135,000).
 * - CARR Projected: the same plus the open deals weighted: Stark 60,000 x 0.8 = 48,000, Wayne
 *   18,000 x 0.4 = 7,200: 89,963 + 55,200 = 145,163 USD (Cyberdyne is closed lost): yellow
 *   (135,000 or more); unweighted 89,963 + 60,000 + 18,000 = 167,963.
 */
const EXPECTED = {
  engineering_throughput: { value: 8, target: 10, status: 'red' },
  mqls: { value: 5, target: 6, status: 'red' },
  nr_active_instances: { value: 2290, target: 2500, status: 'yellow' },
  carr_closed: { value: 8_996_300, target: 15_000_000, status: 'red' },
  carr_projected: { value: 14_516_300, target: 15_000_000, status: 'yellow' },
  carr_goal: { value: 15_000_000, target: null, status: 'no_target' },
  // Past due: 411.67 + 8,896.00 = 9,307.67 USD (kpi mrr --demo --at-risk) of the converted MRR
  // 121,868.50 USD (see below): 930,767 / 12,186,850 = 7.6375 % -> 7.64, lower is better,
  // beyond 5 + 10 % of 5 = 5.5: red.
  past_due_share: { value: 7.64, target: 5, status: 'red', unit: 'percent' },
  // Last 28 days = the snapshots of 2026-10-19 and 2026-11-16; USD customers paying on
  // 2026-10-19 held 112,864.93 USD then and 109,747.43 USD at the end: 10,974,743 /
  // 11,286,493 = 97.24 %, within 10 % of the 100 % target: yellow.
  nrr: { value: 97.24, target: 100, status: 'yellow', unit: 'percent' },
};

describe('kpi report --demo', () => {
  it('scores every KPI of the demo company as JSON', async () => {
    const run = await runKpi(['report', '--demo', '--format', 'json']);
    expect(run.code).toBe(0);
    const document = JSON.parse(run.stdout);
    expect(document).toMatchObject({ schema_version: 1, kind: 'kpi_report', time_zone: 'UTC', all_on_track: false });
    expect(run.stderr).toBe('');
    const byId = Object.fromEntries(document.kpis.map((kpi: { id: string }) => [kpi.id, kpi]));
    for (const [id, expected] of Object.entries(EXPECTED)) expect(byId[id]).toMatchObject(expected);
    expect(byId.mqls.period).toEqual({ name: 'last_week', start: '2026-11-09T00:00:00.000Z', end: '2026-11-16T00:00:00.000Z' });
    expect(byId.carr_closed.note).toBe('5 closed-won deals; EUR converted to USD with the ECB rates of 2026-11-13; 1 of 5 deals without "hs_arr" left out');
    expect(byId.carr_closed).toMatchObject({ unit: 'money', currency: 'usd', source: 'hubspot' });
    expect(byId.carr_projected.note).toMatch(/^5 closed-won and 2 open deals; weighted by stage probability; unweighted 167963\.00 USD; EUR converted to USD with the ECB rates of 2026-11-13; /);
    // MRR converted at the ECB rate of 2026-11-13, the exact amounts rounded once:
    // 120,041.675 USD (shown 120,041.68) + 1,672.00 EUR x 1.0926 (= 1,826.8272) = 121,868.5022
    // -> 121,868.50 USD, against the Q4 target of 125,000: yellow (112,500 or more).
    expect(byId.mrr).toMatchObject({ value: 12_186_850, target: 12_500_000, status: 'yellow', currency: 'usd' });
    // ARR now (the 2026-11-16 snapshot, as `kpi arr --demo --weekly` shows it): 1,540,500.10 USD
    // + 20,064.00 EUR x 1.0926 (= 21,921.9264) = 1,562,422.0264 -> 1,562,422.03 USD.
    // Its target: last week's ARR at the rates in force when that snapshot was taken (Monday
    // 2026-11-09 00:00 UTC: Friday 2026-11-06's, 1 EUR = 1.0922 USD): 1,527,128.10 USD +
    // 20,064.00 x 1.0922 (= 21,913.9008) = 1,549,042.0008 USD, plus 10 % = 1,703,946.20088,
    // rounded 1,703,946.20 USD. Short of it by 141,524.17, within 10 % of it (170,394.62): yellow.
    expect(byId.arr).toMatchObject({ value: 156_242_203, target: 170_394_620, status: 'yellow', currency: 'usd' });
    // Both say they are in the reporting currency, and by which rates (the demo's are ECB's).
    const spring10 = 'coupon SPRING10 is no longer listed (deleted?), so its product restriction is unknown; it was applied to every product on 2 subscriptions';
    expect(byId.mrr.note).toBe(`USD at ECB rates of 2026-11-13; ${spring10}`);
    expect(byId.arr.note).toBe(`USD at ECB rates of 2026-11-13; ${spring10}`);
  });

  it('prints a table that reads without colour, off-track first', async () => {
    const run = await runKpi(['report', '--demo']);
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(/^KPI report · 2026-11-16 00:00 UTC/);
    expect(run.stdout).not.toMatch(/\x1b\[/);
    const statusOrder = lines.filter((line) => /^(✖|▲|✔|·|\?) /.test(line)).map((line) => line.split(/\s+/)[1]);
    expect(statusOrder.slice(0, 3)).toEqual(['RED', 'RED', 'RED']);
    expect(statusOrder.at(-1)).toBe('no');
    expect(run.stdout).toMatch(/^MRR: USD at ECB rates of 2026-11-13; coupon SPRING10/m);
  });

  it('writes CSV and Markdown for the pre-read doc', async () => {
    const csv = await runKpi(['report', '--demo', '--format', 'csv']);
    const rows = csv.stdout.trim().split('\r\n');
    expect(rows[0]).toBe('id,name,status,value,unit,currency,target,period,period_start,period_end,trend,source,reason');
    expect(rows.find((row) => row.startsWith('carr_closed,'))).toBe(
      // 48,000 + 24,500 + 12,000 + 5,000 EUR x 1.0926 (= 5,463) = 89,963 USD (see EXPECTED).
      'carr_closed,CARR Closed (This Q),red,89963.00,money,usd,150000.00,this_quarter,2026-10-01T00:00:00.000Z,2027-01-01T00:00:00.000Z,,hubspot,',
    );
    const markdown = await runKpi(['report', '--demo', '--format', 'markdown']);
    expect(markdown.stdout.split('\n')[0]).toBe('# KPI report, 2026-11-16');
    expect(markdown.stdout).toContain('| ✖ RED | Engineering Throughput | 8 | 10 |');
    expect(markdown.stdout).toMatch(/^- ARR: USD at ECB rates of 2026-11-13; coupon SPRING10/m);
    expect(markdown.stdout.indexOf('RED')).toBeLessThan(markdown.stdout.indexOf('no target'));
  });

  it('--verbose tells on stderr what each source read, and what reading Stripe cost', async () => {
    const run = await runKpi(['report', '--demo', '--format', 'json', '--verbose']);
    expect(run.code).toBe(0);
    const lines = run.stderr.trim().split('\n');
    // One line for the Stripe read, one for the config, one per KPI (10), in config order.
    expect(lines[0]).toMatch(/^kpi: stripe: .+: \d+ subscriptions read; peak memory \d+ MB$/);
    expect(lines.slice(2).map((line) => /^kpi: (\w+) \((\w+)\)/.exec(line)?.slice(1).join(' '))).toEqual([
      'engineering_throughput csv',
      'nr_active_instances json',
      'mqls hubspot',
      'carr_projected hubspot',
      'carr_closed hubspot',
      'carr_goal value',
      'mrr stripe',
      'arr stripe',
      'nrr stripe',
      'past_due_share stripe',
    ]);
    expect(run.stderr).toMatch(/kpi: mqls \(hubspot\): 1 request \(1 search page\), [\d.]+ (bytes|kB) from the demo CRM; \d+\.\d\d s/);
    expect(run.stderr).toMatch(/kpi: nr_active_instances \(json\): [\d.]+ (bytes|kB) from platform-stats\.json; /);
    expect(JSON.parse(run.stdout).kpis).toHaveLength(10);
  });

  it('okr status --verbose tells what the linked KPIs read', async () => {
    const run = await runKpi(['okr', 'status', '--demo', '--format', 'json', '--verbose']);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^kpi: stripe: .+: \d+ subscriptions read; peak memory \d+ MB$/m);
    // The pipelines and one search page; no properties read: other deals carry hs_arr, so
    // the name is right even where one deal lacks it.
    expect(run.stderr).toMatch(/^kpi: carr_closed \(hubspot\): 2 requests \(1 search page\), [\d.]+ (bytes|kB) from the demo CRM; \d+\.\d\d s$/m);
    expect(run.stderr).toMatch(/^kpi: mrr \(stripe\): \d+ subscriptions \(one read shared by every stripe KPI\); /m);
  });

  it('--only off-track shows red and yellow only; --fail-on exits 3', async () => {
    const only = JSON.parse((await runKpi(['report', '--demo', '--only', 'off-track', '--format', 'json'])).stdout);
    // 4 red (throughput, MQLs, CARR closed, past-due share) and 5 yellow (instances, CARR
    // projected, MRR, ARR, NRR).
    expect(only.kpis.map((kpi: { status: string }) => kpi.status)).toEqual(expect.arrayContaining(['red', 'yellow']));
    expect(only.kpis).toHaveLength(9);
    expect(only.kpis.every((kpi: { status: string }) => kpi.status === 'red' || kpi.status === 'yellow')).toBe(true);
    expect(only.kpis.some((kpi: { id: string }) => kpi.id === 'carr_goal')).toBe(false);
    const failing = await runKpi(['report', '--demo', '--fail-on', 'red', '--format', 'json']);
    expect(failing.code).toBe(3);
    expect(JSON.parse(failing.stdout).kpis).toHaveLength(10);
  });
});

describe('kpi report with its own sources', () => {
  let github: GithubServer;
  let stats: Server;
  let statsUrl: string;
  let directory: string;
  const token = 'ghp_testTokenThatMustNotLeak';

  beforeAll(async () => {
    // 250 closed pull requests, one merged per hour back from Monday 2026-11-23 00:00 UTC:
    // last week (2026-11-16 to 2026-11-23) holds 168 of them; every third was closed unmerged.
    const pulls = Array.from({ length: 250 }, (_, index) => {
      const at = new Date(Date.UTC(2026, 10, 23) - (index + 1) * 3_600_000).toISOString();
      return { number: index + 1, merged_at: index % 3 === 2 ? null : at, updated_at: at };
    });
    github = await startGithubServer({ repositories: { 'acme/app': pulls, 'acme/lib': pulls.slice(0, 10) }, token, rateLimited: 1 });
    stats = createServer((request, response) => {
      const ok = request.headers.authorization === 'Bearer stats-secret';
      response.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
      response.end(JSON.stringify(ok ? { instances: { active: 1234 } } : { error: 'unauthorised' }));
    });
    await new Promise<void>((resolve) => stats.listen(0, '127.0.0.1', resolve));
    statsUrl = `http://127.0.0.1:${(stats.address() as { port: number }).port}/stats`;
    directory = mkdtempSync(join(tmpdir(), 'kpi-report-'));
  });
  afterAll(async () => {
    await github.close();
    await new Promise((resolve) => stats.close(resolve));
  });

  const writeConfig = (kpis: unknown[]) => {
    const path = join(directory, 'kpi.config.json');
    writeFileSync(path, JSON.stringify({ report: { kpis } }));
    return path;
  };

  it('counts merged pull requests through pages and a rate limit, and reads a JSON endpoint with a token', async () => {
    const config = writeConfig([
      { id: 'throughput', name: 'Engineering Throughput', unit: 'count', period: 'last_week', source: { type: 'github', repositories: ['acme/app', 'acme/lib'] }, target: 100 },
      { id: 'active', name: 'Active Instances', unit: 'count', source: { type: 'json', location: statsUrl, pointer: '/instances/active', auth: { env: 'STATS_TOKEN' } }, target: 1000 },
    ]);
    // KPI_NOW fixes the clock on Wednesday 2026-11-25, so last week is 2026-11-16 to 2026-11-23.
    const run = await runKpi(['report', '--config', config, '--format', 'json'], {
      env: { GITHUB_API_URL: github.url, GITHUB_TOKEN: token, STATS_TOKEN: 'stats-secret', KPI_DATA_DIR: directory, KPI_NOW: '2026-11-25T12:00:00Z' },
    });
    expect(run.stderr).toBe('');
    const byId = Object.fromEntries(JSON.parse(run.stdout).kpis.map((kpi: { id: string }) => [kpi.id, kpi]));
    // acme/app: hours 1..168 before 2026-11-23 are last week; of those, indexes 0..167 with index % 3 != 2 merged: 112.
    // acme/lib: its 10 pull requests are all last week, 7 of them merged (indexes 2, 5, 8 unmerged). 112 + 7 = 119.
    expect(byId.throughput).toMatchObject({ value: 119, target: 100, status: 'green' });
    expect(byId.active).toMatchObject({ value: 1234, status: 'green' });
    // Two pages for acme/app (100 + the page reaching back before the week), one for acme/lib, one refused.
    expect(github.requests.filter((request) => request.path.startsWith('/repos/acme/app')).length).toBe(3);
    expect(github.requests.every((request) => request.authorization === `Bearer ${token}`)).toBe(true);
    expect(run.stdout).not.toContain(token);
  });

  it('keeps reporting when a source fails, and says so with exit 1', async () => {
    const config = writeConfig([
      { id: 'goal', name: 'Goal', unit: 'count', source: { type: 'value', value: 10 } },
      { id: 'broken', name: 'Broken', unit: 'count', source: { type: 'command', run: 'echo oops; exit 3' } },
      { id: 'slow', name: 'Slow', unit: 'count', source: { type: 'command', run: 'sleep 5; echo 1', timeout_seconds: 0.5 } },
      { id: 'printed', name: 'Printed', unit: 'count', source: { type: 'command', run: 'echo 41; echo 42' }, target: { kpi: 'goal' } },
      { id: 'missing', name: 'Missing file', unit: 'count', source: { type: 'csv', file: 'nope.csv' } },
    ]);
    const run = await runKpi(['report', '--config', config, '--format', 'json', '--allow-commands'], { env: { KPI_DATA_DIR: directory } });
    expect(run.code).toBe(1);
    const byId = Object.fromEntries(JSON.parse(run.stdout).kpis.map((kpi: { id: string }) => [kpi.id, kpi]));
    expect(byId.printed).toMatchObject({ value: 42, target: 10, status: 'green' });
    expect(byId.broken).toMatchObject({ status: 'error', value: null, error: 'command failed (exit 3)' });
    expect(byId.slow).toMatchObject({ status: 'error', error: 'command did not finish within 0.5 s' });
    expect(byId.missing.error).toBe('cannot read nope.csv: file not found');
    expect(run.stderr).toContain('kpi: warning: Broken is n/a: command failed (exit 3)');
    // Exception-based reporting does not hide what could not be read.
    const exceptions = JSON.parse((await runKpi(['report', '--config', config, '--only', 'off-track', '--format', 'json'], { env: { KPI_DATA_DIR: directory, KPI_ALLOW_COMMANDS: '1' } })).stdout);
    expect(exceptions.all_on_track).toBe(false);
    expect(exceptions.kpis.map((kpi: { id: string }) => kpi.id).sort()).toEqual(['broken', 'missing', 'slow']);
  });

  it('records values and shows the trend next time; an empty off-track list says all is green', async () => {
    const history = join(directory, 'history.jsonl');
    const config = writeConfig([{ id: 'count', name: 'Count', unit: 'count', source: { type: 'command', run: 'cat value.txt' }, target: 5 }]);
    writeFileSync(join(directory, 'value.txt'), '7\n');
    const first = await runKpi(['report', '--config', config, '--record', '--history-file', history, '--format', 'json', '--allow-commands']);
    expect(JSON.parse(first.stdout).kpis[0].trend).toBeNull();
    writeFileSync(join(directory, 'value.txt'), '9\n');
    const second = await runKpi(['report', '--config', config, '--record', '--history-file', history, '--format', 'json', '--allow-commands']);
    expect(JSON.parse(second.stdout).kpis[0].trend).toMatchObject({ direction: 'up', previous: 7 });
    const lines = readFileSync(history, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(lines.map((line) => line.kpis.count.value)).toEqual([7, 9]);
    expect(Object.keys(lines[0].kpis.count).sort()).toEqual(['currency', 'period_end', 'period_start', 'status', 'unit', 'value']);
    const table = await runKpi(['report', '--config', config, '--history-file', history, '--only', 'off-track', '--allow-commands']);
    expect(table.stdout).toContain('All KPIs are green: nothing is off track.');
  });

  it('never shows a secret: not on stdout, stderr, in the table, the JSON or the history, also when sources fail', async () => {
    const history = join(directory, 'secret-history.jsonl');
    const querySecret = 'QUERYSECRET1234';
    const config = writeConfig([
      { id: 'gone', name: 'Gone repository', unit: 'count', source: { type: 'github', repositories: ['acme/gone'] } },
      { id: 'refused', name: 'Refused stats', unit: 'count', source: { type: 'json', location: `${statsUrl}?api_key=${querySecret}`, pointer: '/instances/active', auth: { env: 'STATS_TOKEN' } } },
      // A hostile or careless command prints the secrets it was given: the redactor removes them.
      { id: 'chatty', name: 'Chatty', unit: 'count', source: { type: 'command', run: 'echo "got $STATS_TOKEN and $GITHUB_TOKEN" >&2; exit 2', env: ['STATS_TOKEN', 'GITHUB_TOKEN'] } },
      // Not listed under env: the Stripe key never reaches a command.
      { id: 'stripe_key', name: 'Stripe key', unit: 'count', source: { type: 'command', run: 'echo "key: $STRIPE_API_KEY" >&2; exit 3' } },
    ]);
    const stripeKey = 'rk_test_mustNotLeak1234567';
    const env = { GITHUB_API_URL: github.url, GITHUB_TOKEN: token, STATS_TOKEN: 'wrong-stats-secret', STRIPE_API_KEY: stripeKey, KPI_DATA_DIR: directory };
    const secrets = [token, 'wrong-stats-secret', querySecret, stripeKey];
    const json = await runKpi(['report', '--config', config, '--format', 'json', '--allow-commands', '--record', '--history-file', history], { env });
    const table = await runKpi(['report', '--config', config, '--allow-commands', '--verbose'], { env });
    expect(json.code).toBe(1);
    expect(table.code).toBe(1);
    const byId = Object.fromEntries(JSON.parse(json.stdout).kpis.map((kpi: { id: string }) => [kpi.id, kpi]));
    expect(byId.gone.error).toBe('repository acme/gone not found (or GITHUB_TOKEN cannot read it)');
    expect(byId.refused.error).toBe(`${statsUrl} answered HTTP 401`);
    expect(byId.chatty.error).toBe('command failed (exit 2): got [redacted] and [redacted]');
    expect(byId.stripe_key.error).toBe('command failed (exit 3): key:');
    expect(table.stdout).toContain('Chatty: command failed (exit 2): got [redacted] and [redacted]');
    const everything = [json.stdout, json.stderr, table.stdout, table.stderr, readFileSync(history, 'utf8')].join('\n');
    for (const secret of secrets) expect(everything).not.toContain(secret);
  });

  it('refuses a token a header cannot carry, naming the variable and not its value, before printing anything', async () => {
    const config = writeConfig([{ id: 'throughput', name: 'Throughput', unit: 'count', source: { type: 'github', repositories: ['acme/app'] } }]);
    const run = await runKpi(['report', '--config', config, '--format', 'json'], { env: { GITHUB_API_URL: github.url, GITHUB_TOKEN: 'ghp_abc\nSECRETPART', KPI_DATA_DIR: directory } });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('kpi: error: GITHUB_TOKEN holds a character an HTTP header cannot carry');
    expect(run.stderr).not.toContain('SECRETPART');
    const url = await runKpi(['report', '--config', config], { env: { GITHUB_API_URL: 'http://admin:PASSWORD@127.0.0.1:1', KPI_DATA_DIR: directory } });
    expect(url.code).toBe(2);
    expect(url.stderr).toBe('kpi: error: GITHUB_API_URL must not hold a user name or password\n  Put the token in GITHUB_TOKEN instead.\n');
    const notUrl = await runKpi(['report', '--config', config], { env: { GITHUB_API_URL: 'not a url', KPI_DATA_DIR: directory } });
    expect(notUrl.code).toBe(2);
    expect(notUrl.stderr).toContain('kpi: error: GITHUB_API_URL is not a URL');
  });

  it('runs command sources only with --allow-commands or KPI_ALLOW_COMMANDS=1', async () => {
    const config = writeConfig([{ id: 'count', name: 'Count', unit: 'count', source: { type: 'command', run: 'echo 7' } }]);
    const off = await runKpi(['report', '--config', config, '--format', 'json'], { env: { KPI_DATA_DIR: directory } });
    expect(off.code).toBe(1);
    expect(JSON.parse(off.stdout).kpis[0]).toMatchObject({
      value: null,
      status: 'error',
      error: 'command sources are off: run kpi with --allow-commands (or KPI_ALLOW_COMMANDS=1 in CI) if you trust this configuration',
    });
    const ci = await runKpi(['report', '--config', config, '--format', 'json'], { env: { KPI_DATA_DIR: directory, KPI_ALLOW_COMMANDS: '1' } });
    expect(ci.code).toBe(0);
    expect(JSON.parse(ci.stdout).kpis[0].value).toBe(7);
    expect((await runKpi(['help', 'environment'])).stdout).toMatch(/KPI_ALLOW_COMMANDS\n\s+Set to 1 to let kpi report and kpi okr status run the config's/);
    const described = await runKpi(['config', 'check', '--config', config]);
    expect(described.stdout).toContain('command: echo 7 (timeout 30 s; runs only with --allow-commands)');
  });

  it('refuses an unparsable json location at config time, in report and config check', async () => {
    const config = writeConfig([{ id: 'stats', name: 'Stats', unit: 'count', source: { type: 'json', location: 'http://[::1/x', pointer: '/a' } }]);
    for (const command of [['report'], ['config', 'check']]) {
      const run = await runKpi([...command, '--config', config], { env: { KPI_DATA_DIR: directory } });
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain('report.kpis[0].source.location: is not a valid URL');
    }
  });

  it('refuses a bad report config with the field path', async () => {
    const config = writeConfig([{ id: 'Bad Id', name: 'x', unit: 'count', period: 'fortnight' }]);
    const run = await runKpi(['report', '--config', config]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/report\.kpis\[0\]\.id: must be lower_snake_case/);
    expect(run.stderr).toMatch(/report\.kpis\[0\]\.period: must be now, this_week/);
  });
});

describe('kpi report with Stripe figures', () => {
  it('reads MRR, one tier and subscription counts from one pass over the account', async () => {
    const { startStripeServer } = await import('../support/stripe-server/index.js');
    const { HANDWORKED_ACCOUNT } = await import('../support/handworked-account.js');
    const key = 'rk_test_reportStripe00000000';
    const server = await startStripeServer({ account: HANDWORKED_ACCOUNT, apiKeys: [key] });
    try {
      const directory = mkdtempSync(join(tmpdir(), 'kpi-report-stripe-'));
      writeFileSync(
        join(directory, 'kpi.config.yaml'),
        `report:
  kpis:
    - { id: mrr, name: MRR, unit: money, source: { type: stripe, metric: mrr }, target: 4000 }
    - { id: starter_mrr, name: Starter MRR, unit: money, source: { type: stripe, metric: mrr, tier: starter }, target: 200 }
    - { id: subscriptions, name: Paying subscriptions, unit: count, source: { type: stripe, metric: subscriptions } }
    - { id: pro_subscriptions, name: Pro subscriptions, unit: count, source: { type: stripe, metric: subscriptions, tier: Pro } }
    - { id: bad_tier, name: Bad tier, unit: count, source: { type: stripe, metric: subscriptions, tier: Gold } }
`,
      );
      const run = await runKpi(['report', '--format', 'json'], { cwd: directory, env: { STRIPE_API_KEY: key, STRIPE_API_BASE: server.url, KPI_DATA_DIR: directory } });
      const byId = Object.fromEntries(JSON.parse(run.stdout).kpis.map((kpi: { id: string }) => [kpi.id, kpi]));
      // The hand-worked account: 4,192.00 USD against 4,000: green; Starter 118.33 against 200: red (yellow from 180).
      expect(byId.mrr).toMatchObject({ value: 419_200, target: 400_000, status: 'green', currency: 'usd' });
      expect(byId.starter_mrr).toMatchObject({ value: 11_833, target: 20_000, status: 'red' });
      expect(byId.subscriptions.value).toBe(13);
      expect(byId.pro_subscriptions.value).toBe(9);
      expect(byId.bad_tier).toMatchObject({ status: 'error', error: 'no tier "Gold" (tiers: Starter, Pro)' });
      expect(run.code).toBe(1);
      // Subscriptions were listed once per counted status, not once per KPI.
      expect(server.requests.filter((request) => request.path === '/v1/subscriptions')).toHaveLength(2);
    } finally {
      await server.close();
    }
  });
});
