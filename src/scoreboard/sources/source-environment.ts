import { UsageError } from '../../errors.js';
import { isSafeForSecrets, isValidHeaderValue } from '../../secrets/redact.js';
import type { KpiDefinition } from '../kpi-config.js';

export const DEFAULT_GITHUB_API_URL = 'https://api.github.com';

/**
 * The environment the report's sources depend on, checked before any source runs: a
 * mistake there is the user's (exit 2, naming the variable, never its value), not a
 * source failing or a bug.
 */
export function checkSourceEnvironment(kpis: readonly KpiDefinition[], env: NodeJS.ProcessEnv): void {
  const sources = kpis.map((kpi) => kpi.source);
  if (sources.some((source) => source?.type === 'github')) {
    const base = githubApiBase(env);
    if (env.GITHUB_TOKEN) {
      checkHeaderValue('GITHUB_TOKEN', env.GITHUB_TOKEN);
      if (!isSafeForSecrets(base)) throw new UsageError('GITHUB_API_URL must be https (or http to this machine): GITHUB_TOKEN is sent to it');
    }
  }
  for (const source of sources) {
    if (source?.type !== 'json' || !source.auth) continue;
    const value = env[source.auth.env];
    if (value) checkHeaderValue(source.auth.env, value);
  }
}

/** `GITHUB_API_URL` (GitHub Enterprise) or github.com's API. */
export function githubApiBase(env: NodeJS.ProcessEnv): URL {
  const raw = env.GITHUB_API_URL?.trim() || DEFAULT_GITHUB_API_URL;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError('GITHUB_API_URL is not a URL', 'Expected something like https://github.example.com/api/v3 (or unset it for github.com).');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new UsageError(`GITHUB_API_URL must be an https URL, not ${url.protocol}`);
  if (url.username || url.password) throw new UsageError('GITHUB_API_URL must not hold a user name or password', 'Put the token in GITHUB_TOKEN instead.');
  if (url.search || url.hash) throw new UsageError('GITHUB_API_URL must not have a query string or fragment');
  return url;
}

function checkHeaderValue(name: string, value: string): void {
  if (!isValidHeaderValue(value)) {
    throw new UsageError(
      `${name} holds a character an HTTP header cannot carry (a line break or another control character)`,
      `Set ${name} to the token alone, without newlines.`,
    );
  }
}
