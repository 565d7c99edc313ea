import { closeSync, openSync, readSync } from 'node:fs';
import { SourceError } from './source-types.js';

/**
 * Files and HTTP bodies are read with a size limit, counted while they arrive: a 2 GB
 * export (or /dev/zero, whose size says 0) is refused at the limit, not after it filled
 * the memory.
 */

export function readFileWithin(path: string, shownName: string, limit: number): { text: string; bytes: number } {
  let descriptor: number;
  try {
    descriptor = openSync(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new SourceError(`cannot read ${shownName}: ${code === 'ENOENT' ? 'file not found' : code === 'EACCES' ? 'permission denied' : (error as Error).message}`);
  }
  try {
    const chunks: Buffer[] = [];
    let bytes = 0;
    for (;;) {
      const chunk = Buffer.alloc(64 * 1024);
      let read: number;
      try {
        read = readSync(descriptor, chunk, 0, chunk.length, null);
      } catch (error) {
        throw new SourceError(`cannot read ${shownName}: ${(error as NodeJS.ErrnoException).code === 'EISDIR' ? 'it is a folder' : (error as Error).message}`);
      }
      if (read === 0) break;
      bytes += read;
      if (bytes > limit) throw tooLarge(shownName, limit);
      chunks.push(chunk.subarray(0, read));
    }
    return { text: Buffer.concat(chunks).toString('utf8'), bytes };
  } finally {
    closeSync(descriptor);
  }
}

/** The body of a response as text, stopping (and closing the connection) past the limit. */
export async function readBodyWithin(response: Response, shownName: string, limit: number): Promise<{ text: string; bytes: number }> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) {
    await response.body?.cancel().catch(() => {});
    throw tooLarge(shownName, limit);
  }
  if (!response.body) return { text: '', bytes: 0 };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      if (bytes > limit) {
        await reader.cancel().catch(() => {});
        throw tooLarge(shownName, limit);
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof SourceError) throw error;
    throw new SourceError(`the answer of ${shownName} broke off: ${causeOf(error)}`);
  }
  return { text: Buffer.concat(chunks).toString('utf8'), bytes };
}

function tooLarge(shownName: string, limit: number): SourceError {
  return new SourceError(`${shownName} is too large (over the ${formatBytes(limit)} limit)`);
}

/** fetch() hides the useful part ("ECONNREFUSED") in its error's cause. */
export function causeOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? error.cause.message : error.message;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} kB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
