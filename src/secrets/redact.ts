/**
 * The one step every message from a report source passes through before it is shown,
 * printed or recorded: no URL credentials or query strings, no header values, and none of
 * the secret values this run read from the environment.
 */

export const REDACTED = '[redacted]';

/**
 * Secret pieces shorter than this are not searched for: redacting every "1" or "abc" in a
 * message would destroy it, and values that short are refused as header values anyway
 * (they are not where a leak hides).
 */
const MIN_SECRET_LENGTH = 4;

/** The user information runs to the last "@" before the host, as URL parsers read it: a password may hold an "@". */
const URL_IN_TEXT = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#"'<>]*@)?([^\s?#"'<>]*)(\?[^\s#"'<>]*)?(#[^\s"'<>]*)?/gi;
/**
 * `Authorization: Bearer abc`, `"Bearer abc" is an invalid header value`, `Basic dXNlcjpwdw==`.
 * Basic and Token only as headers write them, and a credential starts like one (RFC 7235
 * token68): the plain words "basic" and "token" are in messages too, such as JSON.parse's
 * `Unexpected token 'x'`, which must reach the user whole.
 */
const AUTH_SCHEME_VALUE = /\b(Bearer|bearer|BEARER|Basic|Token)(\s+)([A-Za-z0-9._~+/-][^\s",;]*)/g;
/** Node's fetch quotes the whole offending header value, newlines included. */
const QUOTED_HEADER_VALUE = /(Headers\.\w+: )"[^"]*"/g;
const STRIPE_KEY = /\b(sk|rk|pk)_(live|test)_[A-Za-z0-9*_]+/g;

export class Redactor {
  private readonly secrets: string[];

  constructor(secretValues: Iterable<string | undefined>) {
    const pieces = new Set<string>();
    for (const value of secretValues) {
      if (!value) continue;
      // A value with a line break is shown split over lines: each piece is a secret too.
      for (const piece of [value, value.trim(), ...value.split(/[\r\n\0]+/)]) {
        if (piece.trim().length >= MIN_SECRET_LENGTH) pieces.add(piece.trim());
      }
    }
    // Longest first, so a secret that contains another is removed whole.
    this.secrets = [...pieces].sort((a, b) => b.length - a.length);
  }

  redact(text: string): string {
    let result = text;
    for (const secret of this.secrets) result = result.split(secret).join(REDACTED);
    return result
      .replace(QUOTED_HEADER_VALUE, `$1"${REDACTED}"`)
      .replace(URL_IN_TEXT, (_match, scheme: string, _userinfo, rest: string, query = '', fragment = '') => `${scheme}${rest}${trailingPunctuation(query + fragment)}`)
      .replace(AUTH_SCHEME_VALUE, (_match, scheme: string, space: string) => `${scheme}${space}${REDACTED}`)
      .replace(STRIPE_KEY, REDACTED);
  }
}

/** "see https://x/?a=1." drops the query, not the sentence's full stop. */
function trailingPunctuation(dropped: string): string {
  return /[.,:;)!]+$/.exec(dropped)?.[0] ?? '';
}

/** A URL as messages show it: no credentials, no query string (tokens often travel there). */
export function shownLocation(location: string): string {
  if (!/^https?:\/\//i.test(location)) return location;
  try {
    const url = new URL(location);
    return `${url.origin}${url.pathname}`;
  } catch {
    return new Redactor([]).redact(location);
  }
}

/**
 * Characters a header value may hold (RFC 9110 field-value: visible ASCII, space, tab and
 * obs-text); a CR, LF or NUL would split or end the header.
 */
export function isValidHeaderValue(value: string): boolean {
  return /^[\t\x20-\x7e\x80-\xff]*$/.test(value);
}

/** Loopback hosts: a secret sent over plain http there never crosses the network. */
export function isLoopback(url: URL): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** Secrets may travel over https, or over http to this machine only. */
export function isSafeForSecrets(url: URL): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url));
}
