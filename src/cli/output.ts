import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { UsageError } from '../errors.js';
import type { CliContext } from './context.js';

/** Where a command's result goes: stdout, or `-o FILE`, written whole or not at all. */
export function emitOutput(context: CliContext, output: string, file?: string): void {
  if (!file) {
    context.stdout.write(output);
    return;
  }
  const temporary = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  try {
    const descriptor = openSync(temporary, 'w');
    try {
      writeSync(descriptor, output);
      fsyncSync(descriptor);
    } finally {
      closeSync(descriptor);
    }
    renameSync(temporary, file);
  } catch (error) {
    try {
      unlinkSync(temporary);
    } catch {
      // Nothing was written.
    }
    throw new UsageError(`cannot write ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

/** The stream colour decisions are made for: a file given with -o is never a terminal. */
export function outputStream(context: CliContext, file?: string): { isTTY?: boolean } {
  return file ? { isTTY: false } : context.stdout;
}
