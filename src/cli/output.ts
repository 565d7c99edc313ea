import { stageOutputFile, writeOutputFile, type StagedFile } from '../files/atomic-file.js';
import type { CliContext } from './context.js';
import type { Delimited } from '../render/delimited.js';
import { colourEnabled, makePalette, screenFor, type Palette, type Screen } from '../terminal/terminal.js';
import { messagesTo } from '../terminal/messages.js';

/**
 * Where a command's result goes: stdout, or `-o FILE`, written whole or not at all. A new
 * file is private (0600 under the umask); an existing one keeps its mode (and a link its target).
 */
export function emitOutput(context: CliContext, output: string, file?: string): void {
  if (!file) {
    context.stdout.write(output);
    return;
  }
  writeOutputFile(file, output);
}

/**
 * `emitOutput` in two steps, for a command with one more thing to do that may fail: a file
 * is written aside now (so a place that cannot take it fails first) and emitted by `commit`.
 */
export function stageOutput(context: CliContext, output: string, file?: string): Pick<StagedFile, 'commit' | 'discard'> {
  if (file) return stageOutputFile(file, output);
  return { commit: () => void context.stdout.write(output), discard: () => {} };
}

/** The stream colour decisions are made for: a file given with -o is never a terminal. */
export function outputStream(context: CliContext, file?: string): { isTTY?: boolean; columns?: number } {
  return file ? { isTTY: false } : context.stdout;
}

/** Side remarks for the user (a key that could be safer): on stderr, never mixed with results. */
export function notifier(context: CliContext): (remark: string) => void {
  const messages = messagesTo(context.stderr);
  return (remark) => messages.note(remark);
}

export interface Renderers {
  json(): string;
  table(palette: Palette, screen: Screen): string;
  delimited(format: Delimited): string;
  markdown?(): string;
  /** A self-contained page; only commands that offer `--format html` have one. */
  html?(): string;
}

/** Renders in the chosen format (colour decided for where the output goes) and emits it. */
/** What every rendering flag set has; `wide` and `ascii` only where a command offers them. */
export interface RenderFlags {
  format: string;
  color: boolean;
  output?: string;
  wide?: boolean;
  ascii?: boolean;
}

export function emitFormatted(context: CliContext, flags: RenderFlags, renderers: Renderers): void {
  emitOutput(context, renderFormatted(context, flags, renderers), flags.output);
}

/** The output in the chosen format, not yet emitted: for a command that has more to do before it may print. */
export function renderFormatted(context: CliContext, flags: RenderFlags, renderers: Renderers): string {
  if (flags.format === 'json') return renderers.json();
  if (flags.format === 'markdown' && renderers.markdown) return renderers.markdown();
  if (flags.format === 'html') {
    if (!renderers.html) throw new Error('--format html was offered to a command without an HTML renderer');
    return renderers.html();
  }
  if (flags.format === 'csv' || flags.format === 'tsv') return renderers.delimited(flags.format);
  const stream = outputStream(context, flags.output);
  return renderers.table(makePalette(colourEnabled(stream, context.env, !flags.color)), screenFor(stream, context.env, flags));
}
