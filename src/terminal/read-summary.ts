import type { ReadStats } from '../sources/billing-source.js';

/** The progress line while subscriptions arrive. */
export function describeProgress(subscriptionsRead: number, stats: ReadStats | undefined): string {
  if (!stats) return `Reading subscriptions… ${subscriptionsRead}`;
  return `Reading subscriptions… ${subscriptionsRead} · ${stats.requests} requests · ${stats.requestsPerSecond().toFixed(1)}/s`;
}

/** The `--verbose` line: what the run cost. */
export function describeReadCost(subscriptionsRead: number, stats: ReadStats | undefined): string {
  const memory = `peak memory ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`;
  if (!stats) return `${subscriptionsRead} subscriptions read; ${memory}`;
  return (
    `${subscriptionsRead} subscriptions read with ${stats.requests} requests in ${stats.elapsedSeconds().toFixed(1)} s ` +
    `(${stats.requestsPerSecond().toFixed(1)}/s), ${stats.retries} retries, ${stats.rateLimited} rate-limited (429); CPU ${stats.cpuSeconds().toFixed(2)} s; ${memory}`
  );
}
