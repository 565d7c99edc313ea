import type { KpiSource } from '../kpi-config.js';
import { SourceError, type SourceContext, type SourcedValue } from './source-types.js';

type GithubSource = Extract<KpiSource, { type: 'github' }>;

/** Waiting longer than this for a rate limit to reset makes the KPI n/a instead. */
const MAX_RATE_LIMIT_WAIT_MS = 60_000;

/**
 * The handbook's Engineering Throughput: pull requests merged in the period, summed over
 * the repositories. Closed pull requests are listed newest-updated first, page by page
 * (Link headers), until they were last updated before the period began: a pull request
 * merged in the period was updated no earlier than its merge.
 */
export async function readGithubSource(source: GithubSource, context: SourceContext, sleep = defaultSleep): Promise<SourcedValue> {
  const base = (context.env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, '');
  const headers: Record<string, string> = { accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28', 'user-agent': 'kpi-cli' };
  if (context.env.GITHUB_TOKEN) headers.authorization = `Bearer ${context.env.GITHUB_TOKEN}`;
  const start = context.period.start.getTime();
  const end = context.period.end.getTime();
  let merged = 0;
  let pages = 0;
  for (const repository of source.repositories) {
    let url: string | null = `${base}/repos/${repository}/pulls?state=closed&sort=updated&direction=desc&per_page=100`;
    while (url) {
      const response = await getWithRateLimits(url, headers, repository, sleep);
      pages += 1;
      const pulls = await readPulls(response, repository);
      let older = false;
      for (const pull of pulls) {
        if (Date.parse(pull.updated_at) < start) {
          older = true;
          break;
        }
        const mergedAt = pull.merged_at ? Date.parse(pull.merged_at) : Number.NaN;
        if (mergedAt >= start && mergedAt < end) merged += 1;
      }
      url = older ? null : nextLink(response.headers.get('link'));
    }
  }
  return { value: merged, note: `${pages} page${pages === 1 ? '' : 's'} from ${source.repositories.length} repositor${source.repositories.length === 1 ? 'y' : 'ies'}` };
}

async function getWithRateLimits(url: string, headers: Record<string, string>, repository: string, sleep: (ms: number) => Promise<void>): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    let response: Response;
    try {
      response = await fetch(url, { headers, signal: AbortSignal.timeout(30_000) });
    } catch (error) {
      const cause = (error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : (error as Error).message;
      throw new SourceError(`could not reach ${new URL(url).origin}: ${cause}`);
    }
    if (response.ok) return response;
    if (response.status === 401) throw new SourceError('GitHub rejected GITHUB_TOKEN (HTTP 401)');
    if (response.status === 404) throw new SourceError(`repository ${repository} not found (or GITHUB_TOKEN cannot read it)`);
    if ((response.status === 403 || response.status === 429) && attempt <= 3) {
      const wait = rateLimitWait(response);
      if (wait !== null && wait <= MAX_RATE_LIMIT_WAIT_MS) {
        await sleep(wait);
        continue;
      }
      if (wait !== null) {
        const reset = new Date(Date.now() + wait).toISOString();
        throw new SourceError(`GitHub rate limit reached; it resets at ${reset} (set GITHUB_TOKEN for a higher limit)`);
      }
    }
    throw new SourceError(`GitHub answered HTTP ${response.status} for ${repository}`);
  }
}

/** How long GitHub asks us to wait: `retry-after` (secondary limits) or until `x-ratelimit-reset`. */
function rateLimitWait(response: Response): number | null {
  const retryAfter = response.headers.get('retry-after');
  if (retryAfter && /^\d+$/.test(retryAfter)) return Number(retryAfter) * 1000;
  if (response.headers.get('x-ratelimit-remaining') === '0') {
    const reset = Number(response.headers.get('x-ratelimit-reset'));
    if (Number.isFinite(reset)) return Math.max(0, reset * 1000 - Date.now()) + 1000;
  }
  return null;
}

async function readPulls(response: Response, repository: string): Promise<Array<{ merged_at: string | null; updated_at: string }>> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw new SourceError(`GitHub's answer for ${repository} is not JSON`);
  }
  if (!Array.isArray(body)) throw new SourceError(`GitHub's answer for ${repository} is not a list of pull requests`);
  return body as Array<{ merged_at: string | null; updated_at: string }>;
}

function nextLink(header: string | null): string | null {
  if (!header) return null;
  for (const part of header.split(',')) {
    const match = /<([^>]+)>\s*;\s*rel="next"/.exec(part);
    if (match) return match[1] as string;
  }
  return null;
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
