import type { KpiSource } from '../kpi-config.js';
import { causeOf, formatBytes, readBodyWithin } from './bounded-read.js';
import { githubApiBase } from './source-environment.js';
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
  const apiBase = githubApiBase(context.env);
  const base = apiBase.href.replace(/\/+$/, '');
  const hasToken = Boolean(context.env.GITHUB_TOKEN);
  const headers: Record<string, string> = { accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28', 'user-agent': 'kpi-cli' };
  if (context.env.GITHUB_TOKEN) headers.authorization = `Bearer ${context.env.GITHUB_TOKEN}`;
  const start = context.period.start.getTime();
  const end = context.period.end.getTime();
  let merged = 0;
  let pages = 0;
  let requests = 0;
  let bytes = 0;
  for (const repository of source.repositories) {
    let url: string | null = `${base}/repos/${repository}/pulls?state=closed&sort=updated&direction=desc&per_page=100`;
    while (url) {
      const { response, attempts } = await getWithRateLimits(url, headers, repository, hasToken, sleep);
      pages += 1;
      requests += attempts;
      const { pulls, size } = await readPulls(response, repository, context.maxBodyBytes);
      bytes += size;
      let older = false;
      for (const pull of pulls) {
        if (Date.parse(pull.updated_at) < start) {
          older = true;
          break;
        }
        const mergedAt = pull.merged_at ? Date.parse(pull.merged_at) : Number.NaN;
        if (mergedAt >= start && mergedAt < end) merged += 1;
      }
      url = older ? null : nextPage(response.headers.get('link'), apiBase, repository);
    }
  }
  return {
    value: merged,
    note: `${pages} page${pages === 1 ? '' : 's'} from ${source.repositories.length} repositor${source.repositories.length === 1 ? 'y' : 'ies'}`,
    read: `${requests} request${requests === 1 ? '' : 's'} (${pages} page${pages === 1 ? '' : 's'}), ${formatBytes(bytes)} from ${apiBase.origin}`,
  };
}

async function getWithRateLimits(
  url: string,
  headers: Record<string, string>,
  repository: string,
  hasToken: boolean,
  sleep: (ms: number) => Promise<void>,
): Promise<{ response: Response; attempts: number }> {
  for (let attempt = 1; ; attempt++) {
    let response: Response;
    try {
      response = await fetch(url, { headers, signal: AbortSignal.timeout(30_000) });
    } catch (error) {
      throw new SourceError(`could not reach ${new URL(url).origin}: ${causeOf(error)}`);
    }
    if (response.ok) return { response, attempts: attempt };
    await response.body?.cancel().catch(() => {});
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
        throw new SourceError(`GitHub rate limit reached; it resets at ${reset}${hasToken ? " (GITHUB_TOKEN's limit is used up)" : ' (set GITHUB_TOKEN for a higher limit)'}`);
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

type Pull = { merged_at: string | null; updated_at: string };

async function readPulls(response: Response, repository: string, maxBytes: number): Promise<{ pulls: Pull[]; size: number }> {
  const { text, bytes } = await readBodyWithin(response, `GitHub's answer for ${repository}`, maxBytes);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new SourceError(`GitHub's answer for ${repository} is not JSON`);
  }
  if (!Array.isArray(body)) throw new SourceError(`GitHub's answer for ${repository} is not a list of pull requests`);
  return { pulls: body as Pull[], size: bytes };
}

/**
 * The `rel="next"` link, followed only on the API's own origin: a link elsewhere would
 * carry GITHUB_TOKEN to whoever the answer names.
 */
export function nextPage(header: string | null, apiBase: URL, repository: string): string | null {
  if (!header) return null;
  for (const part of header.split(',')) {
    const match = /<([^>]+)>\s*;\s*rel="next"/.exec(part);
    if (!match) continue;
    let next: URL;
    try {
      next = new URL(match[1] as string, apiBase);
    } catch {
      throw new SourceError(`GitHub's next-page link for ${repository} is not a URL`);
    }
    if (next.origin !== apiBase.origin) {
      throw new SourceError(`GitHub's next-page link for ${repository} points to ${next.origin}, not ${apiBase.origin}: kpi follows pages only on the API's own origin`);
    }
    return next.href;
  }
  return null;
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
