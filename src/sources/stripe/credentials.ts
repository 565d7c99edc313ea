import { readFileSync } from 'node:fs';
import { AuthenticationError, UsageError } from '../../errors.js';

/** Where the key came from, for messages; never the key itself. */
export interface StripeCredentials {
  readonly key: string;
  readonly origin: string;
  readonly mode: 'live' | 'test';
}

const KEY_SHAPE = /^(sk|rk)_(live|test)_[A-Za-z0-9_]+$/;

/**
 * The secret key, from `--api-key-file` or `STRIPE_API_KEY`; never from a flag, so it stays
 * out of shell history and process listings. Messages name the source, never the value.
 */
export function readStripeCredentials(options: { apiKeyFile?: string; env: NodeJS.ProcessEnv }): StripeCredentials {
  let key: string;
  let origin: string;
  if (options.apiKeyFile) {
    origin = `key file ${options.apiKeyFile}`;
    try {
      key = readFileSync(options.apiKeyFile, 'utf8').trim();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new UsageError(`cannot read --api-key-file ${options.apiKeyFile}: ${code === 'ENOENT' ? 'file not found' : code ?? 'unreadable'}`);
    }
  } else {
    origin = 'STRIPE_API_KEY';
    key = (options.env.STRIPE_API_KEY ?? '').trim();
  }
  if (!key) {
    throw new AuthenticationError(
      options.apiKeyFile ? `the key file ${options.apiKeyFile} is empty` : 'no Stripe API key: STRIPE_API_KEY is not set',
      'Set STRIPE_API_KEY to a restricted read-only key (rk_...) or a secret key, or pass --api-key-file FILE. To try kpi without a key, run it with --demo.',
    );
  }
  const shape = KEY_SHAPE.exec(key);
  if (!shape) {
    throw new AuthenticationError(
      `the key in ${origin} does not look like a Stripe secret key`,
      'Expected a key starting with sk_live_, sk_test_, rk_live_ or rk_test_ (publishable pk_ keys cannot read subscriptions).',
    );
  }
  return { key, origin, mode: shape[2] === 'live' ? 'live' : 'test' };
}

/**
 * `STRIPE_API_BASE` points the SDK at another Stripe-compatible endpoint (a local emulator,
 * the test server). Absent means Stripe itself.
 */
export function readApiBase(env: NodeJS.ProcessEnv): { host: string; port: number; protocol: 'http' | 'https' } | null {
  const raw = env.STRIPE_API_BASE?.trim();
  if (!raw) return null;
  let url: URL;
  // Messages never repeat the value: a user name, password or token in it is a secret.
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError('STRIPE_API_BASE is not a URL', 'Expected something like http://127.0.0.1:12111');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`STRIPE_API_BASE must use http or https, not ${url.protocol}`);
  }
  // The SDK takes only host and port: credentials would be dropped without a word.
  if (url.username || url.password) throw new UsageError('STRIPE_API_BASE must not hold a user name or password', 'The key goes in STRIPE_API_KEY.');
  if (url.search || url.hash) throw new UsageError('STRIPE_API_BASE must not have a query string or fragment');
  if (url.pathname !== '/' && url.pathname !== '') {
    throw new UsageError('STRIPE_API_BASE must not have a path: the SDK always adds /v1/');
  }
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  return { host: url.hostname, port: url.port ? Number(url.port) : protocol === 'http' ? 80 : 443, protocol };
}
