/**
 * Writes a StripeAccountFile as JSON in chunks, one array element at a time, so a
 * 100,000-subscription account never has to become one (possibly too long) string.
 * The pretty form is byte-identical to `JSON.stringify(account, null, 2)`, the compact
 * form to `JSON.stringify(account)`.
 */
import { closeSync, openSync, renameSync, writeSync } from 'node:fs';
import type { StripeAccountFile } from '../../src/sources/stripe/wire.js';

export function* serializeAccount(account: StripeAccountFile, pretty: boolean): Generator<string> {
  const entries = Object.entries(account);
  const nl = pretty ? '\n' : '';
  const sep = pretty ? ': ' : ':';
  yield '{' + nl;
  for (let e = 0; e < entries.length; e++) {
    const [key, value] = entries[e] as [string, unknown];
    const comma = e < entries.length - 1 ? ',' : '';
    const head = (pretty ? '  ' : '') + JSON.stringify(key) + sep;
    if (Array.isArray(value) && value.length > 0) {
      yield head + '[' + nl;
      for (let i = 0; i < value.length; i++) {
        const elementComma = i < value.length - 1 ? ',' : '';
        const json = pretty ? '    ' + JSON.stringify(value[i], null, 2).replace(/\n/g, '\n    ') : JSON.stringify(value[i]);
        yield json + elementComma + nl;
      }
      yield (pretty ? '  ' : '') + ']' + comma + nl;
    } else {
      const json = pretty ? JSON.stringify(value, null, 2).replace(/\n/g, '\n  ') : JSON.stringify(value);
      yield head + json + comma + nl;
    }
  }
  yield '}' + nl;
}

/** Total UTF-8 size of the serialized account, without keeping it in memory. */
export function serializedSize(account: StripeAccountFile, pretty: boolean): number {
  let size = 0;
  for (const chunk of serializeAccount(account, pretty)) size += Buffer.byteLength(chunk);
  return size;
}

/** Writes the account to `path` (through a temporary file, renamed at the end); returns bytes written. */
export function writeAccountFile(path: string, account: StripeAccountFile, pretty: boolean): number {
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w');
  let size = 0;
  try {
    let buffer: string[] = [];
    let buffered = 0;
    const flush = (): void => {
      if (buffered === 0) return;
      const bytes = Buffer.from(buffer.join(''), 'utf8');
      writeSync(fd, bytes);
      size += bytes.length;
      buffer = [];
      buffered = 0;
    };
    for (const chunk of serializeAccount(account, pretty)) {
      buffer.push(chunk);
      buffered += chunk.length;
      if (buffered > 1 << 20) flush();
    }
    flush();
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  return size;
}
