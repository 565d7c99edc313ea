import { createServer, type Server } from 'node:http';
import { listenOnLoopback } from './loopback-server.js';

export interface PullRequest {
  number: number;
  merged_at: string | null;
  updated_at: string;
}

export interface GithubServer {
  url: string;
  requests: Array<{ path: string; authorization: string | undefined }>;
  close(): Promise<void>;
}

/**
 * A GitHub-compatible REST server for tests: `GET /repos/:owner/:repo/pulls` with
 * `state=closed&sort=updated&direction=desc`, `per_page` and `page`, and Link headers
 * like GitHub's. The first `rateLimited` requests are refused with a primary rate limit
 * (403, x-ratelimit-remaining 0, reset a second later).
 */
export async function startGithubServer(options: { repositories: Record<string, PullRequest[]>; token?: string; rateLimited?: number }): Promise<GithubServer> {
  const requests: GithubServer['requests'] = [];
  let refused = 0;
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    requests.push({ path: url.pathname + url.search, authorization: request.headers.authorization });
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      response.writeHead(status, { 'content-type': 'application/json', ...headers });
      response.end(JSON.stringify(body));
    };
    if (options.token && request.headers.authorization !== `Bearer ${options.token}`) return send(401, { message: 'Bad credentials' });
    if (refused < (options.rateLimited ?? 0)) {
      refused += 1;
      return send(403, { message: 'API rate limit exceeded' }, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 1) });
    }
    const match = /^\/repos\/([^/]+\/[^/]+)\/pulls$/.exec(url.pathname);
    const pulls = match ? options.repositories[match[1] as string] : undefined;
    if (!pulls) return send(404, { message: 'Not Found' });
    const perPage = Math.min(100, Number(url.searchParams.get('per_page') ?? 30));
    const page = Number(url.searchParams.get('page') ?? 1);
    const sorted = [...pulls].sort((a, b) => Date.parse(b.updated_at) - Date.parse(a.updated_at));
    const slice = sorted.slice((page - 1) * perPage, page * perPage);
    const last = Math.max(1, Math.ceil(sorted.length / perPage));
    const link = (target: number, rel: string) => {
      const next = new URL(url.toString());
      next.searchParams.set('page', String(target));
      return `<http://${request.headers.host}${next.pathname}${next.search}>; rel="${rel}"`;
    };
    const links = [...(page < last ? [link(page + 1, 'next'), link(last, 'last')] : []), ...(page > 1 ? [link(1, 'first'), link(page - 1, 'prev')] : [])];
    send(200, slice, links.length > 0 ? { link: links.join(', ') } : {});
  });
  return { ...(await listenOnLoopback(server)), requests };
}
