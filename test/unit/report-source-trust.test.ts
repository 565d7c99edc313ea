import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { kpiSource, reportSchema, type KpiDefinition, type KpiSource } from '../../src/scoreboard/kpi-config.js';
import { resolvePeriod } from '../../src/scoreboard/periods.js';
import { readCommandSource } from '../../src/scoreboard/sources/command-source.js';
import { readCsvSource } from '../../src/scoreboard/sources/csv-source.js';
import { readGithubSource } from '../../src/scoreboard/sources/github-source.js';
import { readJsonSource } from '../../src/scoreboard/sources/json-source.js';
import { checkSourceEnvironment } from '../../src/scoreboard/sources/source-environment.js';
import { SourceError, type SourceContext } from '../../src/scoreboard/sources/source-types.js';
import { Redactor } from '../../src/secrets/redact.js';

const directory = mkdtempSync(join(tmpdir(), 'kpi-source-trust-'));
const calendar = { timeZone: 'UTC', fiscalYearStartMonth: 1 };
const now = new Date('2026-11-25T12:00:00Z');

function kpiWith(source: unknown): KpiDefinition {
  return reportSchema.parse({ kpis: [{ id: 'k', name: 'K', unit: 'count', period: 'last_week', source }] }).kpis[0]!;
}

function contextFor(kpi: KpiDefinition, overrides: Partial<SourceContext> = {}): SourceContext {
  return { kpi, period: resolvePeriod(kpi.period, now, calendar), calendar, env: {}, baseDir: directory, allowCommands: true, maxBodyBytes: 50 * 1024 * 1024, ...overrides };
}

async function failure(promise: Promise<unknown> | (() => unknown)): Promise<Error> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}

const servers: Server[] = [];
async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

describe('the redactor', () => {
  it('removes URL credentials, query strings, header values and every secret of the run, also split over lines', () => {
    const redactor = new Redactor(['abcd\nSECRETPART', 'stats-secret-value', undefined, 'ab']);
    expect(redactor.redact('could not reach http://user:PASSWORD@host.example/x?token=T0KEN#frag: refused')).toBe('could not reach http://host.example/x: refused');
    // A password may hold an "@" (curl and browsers take the last one before the host): none of it stays.
    expect(redactor.redact('curl: (7) https://deploy:PASS@WORD@host.example/x failed')).toBe('curl: (7) https://host.example/x failed');
    expect(redactor.redact('Headers.append: "Bearer abcd\nSECRETPART" is an invalid header value.')).toBe('Headers.append: "[redacted]" is an invalid header value.');
    expect(redactor.redact('sent Authorization: Bearer xyz123 and Basic dXNlcjpwdw==')).toBe('sent Authorization: Bearer [redacted] and Basic [redacted]');
    expect(redactor.redact('the server said stats-secret-value; later SECRETPART alone')).toBe('the server said [redacted]; later [redacted] alone');
    // "ab" is too short to search for: it would cut every "about" apart.
    expect(redactor.redact('about rk_live_51Hzzzzzzzz')).toBe('about [redacted]');
  });

  it('leaves the words token, basic and bearer alone where they hold no credential', () => {
    const redactor = new Redactor([]);
    // JSON.parse's own message, which names the offending character in quotes.
    expect(redactor.redact('cannot read data.json: Unexpected token \'x\', "x" is not valid JSON')).toBe('cannot read data.json: Unexpected token \'x\', "x" is not valid JSON');
    expect(redactor.redact('the token expired; the basic plan has no API access')).toBe('the token expired; the basic plan has no API access');
    // Header syntax still is redacted, in any case of the scheme.
    expect(redactor.redact('authorization: bearer abc123XYZ, Authorization: Token ghp_0123abcd')).toBe('authorization: bearer [redacted], Authorization: Token [redacted]');
  });
});

describe('the configuration a repository may hold', () => {
  it('refuses unparsable and credential-carrying URLs, the Stripe key in auth.env or env, and secrets over plain http', () => {
    const issues = (source: unknown) => kpiSource.safeParse(source).error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`) ?? [];
    expect(issues({ type: 'json', location: 'http://[::1/x', pointer: '/a' })).toEqual(['location: is not a valid URL (expected something like "https://stats.example.com/api/stats")']);
    const withPassword = issues({ type: 'json', location: 'http://user:PASSWORD@stats.example/x', pointer: '/a' });
    expect(withPassword).toEqual(['location: must not hold a user name or password: give the secret with auth: { env: VARIABLE }']);
    expect(issues({ type: 'json', location: 'https://stats.example/x', pointer: '/a', auth: { env: 'STRIPE_API_KEY' } })).toEqual([
      'auth.env: may not be STRIPE_API_KEY: the Stripe key goes to Stripe only (use a stripe source)',
    ]);
    expect(issues({ type: 'json', location: 'http://stats.example/x', pointer: '/a', auth: { env: 'STATS_TOKEN' } })).toEqual([
      'location: must be https (or http to this machine) when auth sends a secret',
    ]);
    expect(issues({ type: 'json', location: 'http://127.0.0.1:8080/x', pointer: '/a', auth: { env: 'STATS_TOKEN' } })).toEqual([]);
    expect(issues({ type: 'json', location: 'http://[::1]:8080/x', pointer: '/a', auth: { env: 'STATS_TOKEN' } })).toEqual([]);
    expect(issues({ type: 'command', run: 'true', env: ['STRIPE_API_KEY'] })).toEqual(['env.0: may not be STRIPE_API_KEY: the Stripe key goes to Stripe only (use a stripe source)']);
  });

  it('refuses GITHUB_API_URL that is no URL or holds credentials, and secrets a header cannot carry, naming the variable only', () => {
    const github = [kpiWith({ type: 'github', repositories: ['acme/app'] })];
    const refusal = (kpis: KpiDefinition[], env: NodeJS.ProcessEnv) => {
      try {
        checkSourceEnvironment(kpis, env);
      } catch (error) {
        expect(error).toBeInstanceOf(UsageError);
        return (error as Error).message;
      }
      return null;
    };
    expect(refusal(github, { GITHUB_API_URL: 'not a url' })).toBe('GITHUB_API_URL is not a URL');
    expect(refusal(github, { GITHUB_API_URL: 'http://admin:PASSWORD@127.0.0.1:1' })).toBe('GITHUB_API_URL must not hold a user name or password');
    expect(refusal(github, { GITHUB_TOKEN: 'abc\nSECRET' })).toBe('GITHUB_TOKEN holds a character an HTTP header cannot carry (a line break or another control character)');
    expect(refusal(github, { GITHUB_API_URL: 'http://github.example', GITHUB_TOKEN: 'ghp_x' })).toBe('GITHUB_API_URL must be https (or http to this machine): GITHUB_TOKEN is sent to it');
    expect(refusal(github, { GITHUB_API_URL: 'http://127.0.0.1:9', GITHUB_TOKEN: 'ghp_x' })).toBeNull();
    const json = [kpiWith({ type: 'json', location: 'https://stats.example/x', pointer: '/a', auth: { env: 'STATS_TOKEN' } })];
    expect(refusal(json, { STATS_TOKEN: 'one\r\ntwo' })).toBe('STATS_TOKEN holds a character an HTTP header cannot carry (a line break or another control character)');
    expect(refusal(json, { STATS_TOKEN: 'fine-token' })).toBeNull();
  });
});

describe('github pages', () => {
  it('follows a next link only on the API origin: a link elsewhere stops with an error and the token goes nowhere else', async () => {
    const elsewhere: Array<string | undefined> = [];
    const other = await serve((request, response) => {
      elsewhere.push(request.headers.authorization);
      response.end('[]');
    });
    const api = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', link: `<${other}/repos/acme/app/pulls?page=2>; rel="next"` });
      response.end(JSON.stringify([{ merged_at: '2026-11-20T00:00:00Z', updated_at: '2026-11-20T00:00:00Z' }]));
    });
    const kpi = kpiWith({ type: 'github', repositories: ['acme/app'] });
    const error = await failure(readGithubSource(kpi.source as Extract<KpiSource, { type: 'github' }>, contextFor(kpi, { env: { GITHUB_API_URL: api, GITHUB_TOKEN: 'ghp_secret' } })));
    expect(error).toBeInstanceOf(SourceError);
    expect(error.message).toBe(`GitHub's next-page link for acme/app points to ${other}, not ${api}: kpi follows pages only on the API's own origin`);
    expect(elsewhere).toEqual([]);
  });

  it('does not advise setting GITHUB_TOKEN when it is set', async () => {
    const api = await serve((_request, response) => {
      // The primary limit is used up for an hour: longer than kpi waits.
      response.writeHead(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 3600) });
      response.end('{"message":"API rate limit exceeded"}');
    });
    const kpi = kpiWith({ type: 'github', repositories: ['acme/app'] });
    const source = kpi.source as Extract<KpiSource, { type: 'github' }>;
    const withToken = await failure(readGithubSource(source, contextFor(kpi, { env: { GITHUB_API_URL: api, GITHUB_TOKEN: 'ghp_secret' } })));
    expect(withToken.message).toMatch(/^GitHub rate limit reached; it resets at \S+ \(GITHUB_TOKEN's limit is used up\)$/);
    const without = await failure(readGithubSource(source, contextFor(kpi, { env: { GITHUB_API_URL: api } })));
    expect(without.message).toMatch(/\(set GITHUB_TOKEN for a higher limit\)$/);
  });
});

describe('size limits', () => {
  it('refuses an endless JSON body at the limit, while it streams', async () => {
    let closed = false;
    const api = await serve((request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"pad":"');
      const timer = setInterval(() => response.write('x'.repeat(65_536)), 1);
      request.socket.on('close', () => {
        closed = true;
        clearInterval(timer);
      });
    });
    const kpi = kpiWith({ type: 'json', location: `${api}/stats`, pointer: '/pad' });
    const error = await failure(readJsonSource(kpi.source as Extract<KpiSource, { type: 'json' }>, contextFor(kpi, { maxBodyBytes: 1024 * 1024 })));
    expect(error.message).toBe(`${api}/stats is too large (over the 1.0 MB limit)`);
    await new Promise<void>((resolve) => {
      const check = () => (closed ? resolve() : setTimeout(check, 10));
      check();
    });
  });

  it('refuses JSON and CSV files over the limit', async () => {
    writeFileSync(join(directory, 'big.json'), JSON.stringify({ n: 1, pad: 'x'.repeat(2000) }));
    writeFileSync(join(directory, 'big.csv'), `a\n${'1\n'.repeat(1000)}`);
    const json = kpiWith({ type: 'json', location: 'big.json', pointer: '/n' });
    const jsonError = await failure(readJsonSource(json.source as Extract<KpiSource, { type: 'json' }>, contextFor(json, { maxBodyBytes: 1000 })));
    expect(jsonError.message).toBe('big.json is too large (over the 1000 bytes limit)');
    const csv = kpiWith({ type: 'csv', file: 'big.csv' });
    const csvError = await failure(() => readCsvSource(csv.source as Extract<KpiSource, { type: 'csv' }>, contextFor(csv, { maxBodyBytes: 1000 })));
    expect(csvError.message).toBe('big.csv is too large (over the 1000 bytes limit)');
    // Under the limit both read: "a" and 1000 rows of "1" is 2 + 2000 bytes.
    expect(readCsvSource(csv.source as Extract<KpiSource, { type: 'csv' }>, contextFor(csv, { maxBodyBytes: 2002 })).value).toBe(1000);
  });
});

describe('what a json source shows of a file', () => {
  it('names the kind of value it found, never its content (a config may point at a credential file)', async () => {
    writeFileSync(join(directory, 'creds.json'), JSON.stringify({ auths: { registry: { auth: 'c2VjcmV0OnBhc3N3b3Jk' } }, list: [1, 2] }));
    writeFileSync(join(directory, 'environ'), 'PATH=/root/secret\0TOKEN=abc');
    const read = (location: string, pointer: string) => {
      const kpi = kpiWith({ type: 'json', location, pointer });
      return failure(readJsonSource(kpi.source as Extract<KpiSource, { type: 'json' }>, contextFor(kpi)));
    };
    expect((await read('creds.json', '/auths/registry/auth')).message).toBe('/auths/registry/auth in creds.json is a text of 20 characters, not a number');
    expect((await read('creds.json', '/auths')).message).toBe('/auths in creds.json is an object, not a number');
    expect((await read('creds.json', '/list')).message).toBe('/list in creds.json is a list of 2, not a number');
    expect((await read('creds.json', '/nothing')).message).toBe('/nothing in creds.json is missing, not a number');
    // Node's parser would quote the start of the file ("PATH=/root"...).
    expect((await read('environ', '')).message).toBe('cannot read environ: it is not valid JSON');
  });
});

describe('command sources', () => {
  const command = (source: Record<string, unknown>) => kpiWith({ type: 'command', ...source });
  const run = (kpi: KpiDefinition, overrides: Partial<SourceContext> = {}) => readCommandSource(kpi.source as Extract<KpiSource, { type: 'command' }>, contextFor(kpi, overrides));

  it('run only with the opt-in, and say how to give it', async () => {
    const error = await failure(run(command({ run: 'echo 1' }), { allowCommands: false }));
    expect(error).toBeInstanceOf(SourceError);
    expect(error.message).toBe('command sources are off: run kpi with --allow-commands (or KPI_ALLOW_COMMANDS=1 in CI) if you trust this configuration');
  });

  it('see PATH, HOME, LANG, TZ and the variables listed under env only', async () => {
    const env = { PATH: process.env.PATH, HOME: '/home/x', STRIPE_API_KEY: 'rk_test_x', OTHER_SECRET: 's', LISTED: 'yes' };
    // 1 for each variable present: PATH, HOME and LISTED = 3; STRIPE_API_KEY and OTHER_SECRET are not passed on.
    const script = 'n=0; for v in "$PATH" "$HOME" "$LISTED"; do [ -n "$v" ] && n=$((n+1)); done; [ -n "$STRIPE_API_KEY$OTHER_SECRET" ] && n=$((n+100)); echo $n';
    expect((await run(command({ run: script, env: ['LISTED'] }), { env })).value).toBe(3);
  });

  it('kill the whole process group on timeout: nothing the shell started keeps running', async () => {
    const pidFile = join(directory, 'child.pid');
    const error = await failure(run(command({ run: `sleep 30 & echo $! > ${pidFile}; wait`, timeout_seconds: 0.5 })));
    expect(error.message).toBe('command did not finish within 0.5 s');
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    // A killed process may linger as a zombie until it is reaped: that counts as gone.
    const alive = () => {
      try {
        return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
      } catch {
        return false;
      }
    };
    for (let attempt = 0; attempt < 200 && alive(); attempt++) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(alive()).toBe(false);
  });

  it('say "output too large" past the output limit', async () => {
    const error = await failure(run(command({ run: 'yes 1 | head -c 3000000' })));
    expect(error.message).toBe('command output too large (over 1.0 MB; a command source prints one number)');
  });
});
