import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { UsageError } from '../errors.js';
import type { CliContext } from './context.js';
import type { Delimited } from '../render/delimited.js';
import { colourEnabled, makePalette, type Palette } from '../terminal/terminal.js';
import { messagesTo } from '../terminal/messages.js';

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

/** Side remarks for the user (a key that could be safer): on stderr, never mixed with results. */
export function notifier(context: CliContext): (remark: string) => void {
  const messages = messagesTo(context.stderr);
  return (remark) => messages.note(remark);
}

export interface Renderers {
  json(): string;
  table(palette: Palette): string;
  delimited(format: Delimited): string;
  markdown?(): string;
}

/** Renders in the chosen format (colour decided for where the output goes) and emits it. */
export function emitFormatted(context: CliContext, flags: { format: string; color: boolean; output?: string }, renderers: Renderers): void {
  let output: string;
  if (flags.format === 'json') output = renderers.json();
  else if (flags.format === 'markdown' && renderers.markdown) output = renderers.markdown();
  else if (flags.format === 'csv' || flags.format === 'tsv') output = renderers.delimited(flags.format);
  else output = renderers.table(makePalette(colourEnabled(outputStream(context, flags.output), context.env, !flags.color)));
  emitOutput(context, output, flags.output);
}
