import { createServer, type Server } from 'node:http';
import { addDays, type EcbDay } from '../../src/rates/ecb-day.js';
import { formatEcbXml } from '../../src/rates/ecb-xml.js';

export type EcbFault = 'none' | 'http-500' | 'malformed' | 'hang';

export interface EcbServer {
  /** The folder of the feeds, like https://www.ecb.europa.eu/stats/eurofxref/ (ends with "/"). */
  url: string;
  /** What the feeds serve; tests may publish a new day by replacing it. */
  days: EcbDay[];
  fault: EcbFault;
  /** Requests per path ("/stats/eurofxref/eurofxref-daily.xml"). */
  requests: Map<string, number>;
  /** What each request carried besides its path: the query and the Authorization header. */
  received: Array<{ path: string; query: string; authorization: string | undefined }>;
  requestCount(file?: string): number;
  close(): Promise<void>;
}

const FOLDER = '/stats/eurofxref/';

/**
 * ECB's three euro reference rate feeds on loopback, in ECB's own XML shape: the daily
 * file holds the newest day only, the 90-day file the days within 90 days of the newest,
 * the history file every day. `fault` makes every feed answer 500, answer a broken file,
 * or never answer (for the timeout); a closed server refuses connections.
 */
export async function startEcbServer(initialDays: EcbDay[]): Promise<EcbServer> {
  const requests = new Map<string, number>();
  const received: EcbServer['received'] = [];
  const state: EcbServer = {
    url: '',
    days: initialDays,
    fault: 'none',
    requests,
    received,
    requestCount: (file) => (file ? (requests.get(FOLDER + file) ?? 0) : [...requests.values()].reduce((sum, count) => sum + count, 0)),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server: Server = createServer((request, response) => {
    const { pathname: path, search } = new URL(request.url ?? '/', 'http://localhost');
    requests.set(path, (requests.get(path) ?? 0) + 1);
    received.push({ path, query: search, authorization: request.headers.authorization });
    if (state.fault === 'hang') return;
    if (state.fault === 'http-500') {
      response.writeHead(500, { 'content-type': 'text/plain' });
      return response.end('Internal Server Error');
    }
    const days = feedDays(path, state.days);
    if (!days) {
      response.writeHead(404, { 'content-type': 'text/html' });
      return response.end('<html><body>Not Found</body></html>');
    }
    const xml = formatEcbXml(days);
    response.writeHead(200, { 'content-type': 'text/xml' });
    // Cut mid-tag, as a broken proxy or a half-written mirror would serve it.
    response.end(state.fault === 'malformed' ? xml.slice(0, Math.floor(xml.length * 0.6)) : xml);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as { port: number }).port}${FOLDER}`;
  return state;
}

function feedDays(path: string, days: EcbDay[]): EcbDay[] | null {
  const sorted = [...days].sort((a, b) => (a.date < b.date ? -1 : 1));
  const newest = sorted.at(-1);
  if (!newest) return null;
  if (path === `${FOLDER}eurofxref-daily.xml`) return [newest];
  if (path === `${FOLDER}eurofxref-hist-90d.xml`) return sorted.filter((day) => day.date > addDays(newest.date, -90));
  if (path === `${FOLDER}eurofxref-hist.xml`) return sorted;
  return null;
}
