import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { KpiSource } from '../kpi-config.js';
import { SourceError, type SourceContext, type SourcedValue } from './source-types.js';

type JsonSource = Extract<KpiSource, { type: 'json' }>;

/** A number picked by a JSON pointer from a file or an HTTP(S) endpoint (a platform's statistics). */
export async function readJsonSource(source: JsonSource, context: SourceContext): Promise<SourcedValue> {
  const document = /^https?:\/\//.test(source.location) ? await fetchJson(source, context) : readJsonFile(source, context);
  const value = pointTo(document, source.pointer);
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number)) {
    const shown = JSON.stringify(value)?.slice(0, 60) ?? 'missing';
    throw new SourceError(`${source.pointer || '(the document)'} in ${shownLocation(source.location)} is ${shown}, not a number`);
  }
  return { value: number };
}

function readJsonFile(source: JsonSource, context: SourceContext): unknown {
  const path = isAbsolute(source.location) ? source.location : join(context.baseDir, source.location);
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new SourceError(`cannot read ${source.location}: ${code === 'ENOENT' ? 'file not found' : (error as Error).message}`);
  }
}

async function fetchJson(source: JsonSource, context: SourceContext): Promise<unknown> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (source.auth) {
    const secret = context.env[source.auth.env];
    if (!secret) throw new SourceError(`${source.auth.env} is not set (it holds the ${source.auth.header} for ${new URL(source.location).host})`);
    headers[source.auth.header.toLowerCase()] = source.auth.scheme ? `${source.auth.scheme} ${secret}` : secret;
  }
  let response: Response;
  try {
    // A secret header must not follow a redirect to another host.
    response = await fetch(source.location, { headers, redirect: source.auth ? 'manual' : 'follow', signal: AbortSignal.timeout(30_000) });
  } catch (error) {
    throw new SourceError(`could not reach ${shownLocation(source.location)}: ${(error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : (error as Error).message}`);
  }
  if (!response.ok) throw new SourceError(`${shownLocation(source.location)} answered HTTP ${response.status}`);
  try {
    return await response.json();
  } catch {
    throw new SourceError(`${shownLocation(source.location)} did not answer with JSON`);
  }
}

/** A URL as messages show it: no credentials, no query string (tokens often travel there). */
export function shownLocation(location: string): string {
  if (!/^https?:\/\//.test(location)) return location;
  const url = new URL(location);
  return `${url.origin}${url.pathname}`;
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
