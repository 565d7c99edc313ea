import { UsageError } from '../../errors.js';
import { isSafeForSecrets, isValidHeaderValue } from '../../secrets/redact.js';
import type { KpiDefinition } from '../kpi-config.js';

export const DEFAULT_GITHUB_API_URL = 'https://api.github.com';
export const DEFAULT_HUBSPOT_API_URL = 'https://api.hubapi.com';

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
  const hubspotTokens = [...new Set(sources.flatMap((source) => (source?.type === 'hubspot' ? [source.token_env] : [])))];
  if (hubspotTokens.length > 0) {
    const base = hubspotApiBase(env);
    for (const name of hubspotTokens) {
      const value = env[name];
      if (!value) continue;
      checkHeaderValue(name, value);
      if (!isSafeForSecrets(base)) throw new UsageError(`HUBSPOT_API_URL must be https (or http to this machine): ${name} is sent to it`);
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
  return apiBase(env, 'GITHUB_API_URL', DEFAULT_GITHUB_API_URL, 'Expected something like https://github.example.com/api/v3 (or unset it for github.com).', 'GITHUB_TOKEN');
}

/** `HUBSPOT_API_URL` (a proxy, a test server) or HubSpot's API. */
export function hubspotApiBase(env: NodeJS.ProcessEnv): URL {
  return apiBase(env, 'HUBSPOT_API_URL', DEFAULT_HUBSPOT_API_URL, `Expected something like ${DEFAULT_HUBSPOT_API_URL} (or unset it for HubSpot's API).`, 'HUBSPOT_TOKEN');
}

function apiBase(env: NodeJS.ProcessEnv, variable: string, fallback: string, example: string, tokenVariable: string): URL {
  const raw = env[variable]?.trim() || fallback;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`${variable} is not a URL`, example);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new UsageError(`${variable} must be an https URL, not ${url.protocol}`);
  if (url.username || url.password) throw new UsageError(`${variable} must not hold a user name or password`, `Put the token in ${tokenVariable} instead.`);
  if (url.search || url.hash) throw new UsageError(`${variable} must not have a query string or fragment`);
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
