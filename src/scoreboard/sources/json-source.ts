import { isAbsolute, join } from 'node:path';
import { withoutBom } from '../../config/load.js';
import { shownLocation } from '../../secrets/redact.js';
import type { KpiSource } from '../kpi-config.js';
import { causeOf, formatBytes, readBodyWithin, readFileWithin } from './bounded-read.js';
import { SourceError, type SourceContext, type SourcedValue } from './source-types.js';

type JsonSource = Extract<KpiSource, { type: 'json' }>;

/** A number picked by a JSON pointer from a file or an HTTP(S) endpoint (a platform's statistics). */
export async function readJsonSource(source: JsonSource, context: SourceContext): Promise<SourcedValue> {
  const { document, read } = /^https?:\/\//i.test(source.location) ? await fetchJson(source, context) : readJsonFile(source, context);
  const value = pointTo(document, source.pointer);
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number)) {
    throw new SourceError(`${source.pointer || '(the document)'} in ${shownLocation(source.location)} is ${kindOf(value)}, not a number`);
  }
  return { value: number, read };
}

function readJsonFile(source: JsonSource, context: SourceContext): { document: unknown; read: string } {
  const path = isAbsolute(source.location) ? source.location : join(context.baseDir, source.location);
  const { text, bytes } = readFileWithin(path, source.location, context.maxBodyBytes);
  try {
    return { document: JSON.parse(withoutBom(text)), read: `${formatBytes(bytes)} from ${source.location}` };
  } catch {
    // Not the parser's message: it quotes the file, and a config may point at any file.
    throw new SourceError(`cannot read ${source.location}: it is not valid JSON`);
  }
}

/**
 * What was found instead of a number, without its content: a config from someone's
 * repository may point at any file (a credential store, say), and messages end up in CI logs.
 */
function kindOf(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (typeof value === 'string') return value.trim() === '' ? 'an empty string' : `a text of ${value.length} characters`;
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'boolean') return `${value}`;
  return 'not finite';
}

/** The secret header (its value was checked by checkSourceEnvironment before any source ran). */
function authHeader(source: JsonSource, env: NodeJS.ProcessEnv): [string, string] | null {
  if (!source.auth) return null;
  const secret = env[source.auth.env];
  if (!secret) throw new SourceError(`${source.auth.env} is not set (it holds the ${source.auth.header} for ${shownLocation(source.location)})`);
  return [source.auth.header.toLowerCase(), source.auth.scheme ? `${source.auth.scheme} ${secret}` : secret];
}

async function fetchJson(source: JsonSource, context: SourceContext): Promise<{ document: unknown; read: string }> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const auth = authHeader(source, context.env);
  if (auth) headers[auth[0]] = auth[1];
  const shown = shownLocation(source.location);
  let response: Response;
  try {
    // A secret header must not follow a redirect to another host.
    response = await fetch(source.location, { headers, redirect: auth ? 'manual' : 'follow', signal: AbortSignal.timeout(30_000) });
  } catch (error) {
    throw new SourceError(`could not reach ${shown}: ${causeOf(error)}`);
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => {});
    throw new SourceError(`${shown} answered HTTP ${response.status}`);
  }
  const { text, bytes } = await readBodyWithin(response, shown, context.maxBodyBytes);
  try {
    return { document: JSON.parse(withoutBom(text)), read: `1 request, ${formatBytes(bytes)} from ${shown}` };
  } catch {
    throw new SourceError(`${shown} did not answer with JSON`);
  }
}

/** RFC 6901: "/a/0/b~1c" walks a, then index 0, then key "b/c". */
export function pointTo(document: unknown, pointer: string): unknown {
  if (pointer === '') return document;
  let current: unknown = document;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(current)) current = /^(0|[1-9]\d*)$/.test(key) ? current[Number(key)] : undefined;
    else if (current !== null && typeof current === 'object' && Object.hasOwn(current, key)) current = (current as Record<string, unknown>)[key];
    else return undefined;
  }
  return current;
}
