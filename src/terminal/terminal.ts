/**
 * Everything about the terminal lives here: whether to colour, and progress on stderr.
 * Renderers get a `Palette` and never look at TTYs or environment variables themselves.
 */
import { Chalk, type ChalkInstance } from 'chalk';

export interface Palette {
  heading(text: string): string;
  dim(text: string): string;
  emphasis(text: string): string;
  warning(text: string): string;
  danger(text: string): string;
  success(text: string): string;
}

const PLAIN: Palette = { heading: same, dim: same, emphasis: same, warning: same, danger: same, success: same };

function same(text: string): string {
  return text;
}

/**
 * Colour only for people: never when the stream is not a terminal, with NO_COLOR set (any
 * value), TERM=dumb or --no-color; FORCE_COLOR turns it on regardless (chalk 5 itself does
 * not honour NO_COLOR, so the decision is made here).
 */
export function colourEnabled(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv, noColorFlag: boolean): boolean {
  if (noColorFlag) return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false') return true;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  return stream.isTTY === true;
}

export function makePalette(enabled: boolean): Palette {
  if (!enabled) return PLAIN;
  const chalk: ChalkInstance = new Chalk({ level: 1 });
  return {
    heading: (text) => chalk.bold(text),
    dim: (text) => chalk.dim(text),
    emphasis: (text) => chalk.bold(text),
    warning: (text) => chalk.yellow(text),
    danger: (text) => chalk.red(text),
    success: (text) => chalk.green(text),
  };
}

/** What a human-readable rendering may assume about where it is shown, besides colour. */
export interface Screen {
  /** Columns to fit tables and charts into; null: do not fit (piped output, a file, `--wide`). */
  width: number | null;
  /** Whether Unicode block and box characters show (else plain ASCII, e.g. with `--ascii`). */
  unicode: boolean;
}

/** The width a terminal reports, 80 when a terminal does not say; null when not a terminal. */
export function screenFor(stream: { isTTY?: boolean; columns?: number }, env: NodeJS.ProcessEnv, flags: { wide?: boolean; ascii?: boolean } = {}): Screen {
  const width = flags.wide || stream.isTTY !== true ? null : stream.columns && stream.columns > 0 ? stream.columns : 80;
  return { width, unicode: !flags.ascii && unicodeCapable(env) };
}

/**
 * Unicode unless the environment says the terminal cannot show it: TERM=linux (the kernel
 * console's font) or dumb, or a locale that names another character set than UTF-8.
 */
function unicodeCapable(env: NodeJS.ProcessEnv): boolean {
  if (env.TERM === 'linux' || env.TERM === 'dumb') return false;
  const locale = env.LC_ALL || env.LC_CTYPE || env.LANG;
  if (locale && locale !== 'C' && locale !== 'POSIX' && !/utf-?8/i.test(locale)) return false;
  return true;
}

export interface Progress {
  update(message: string): void;
  done(): void;
}

/**
 * A single self-overwriting status line on stderr, only when stderr is a terminal and at
 * most every 100 ms; otherwise nothing, so logs and pipes stay clean.
 */
export function makeProgress(stream: NodeJS.WriteStream | { isTTY?: boolean; write(text: string): unknown }): Progress {
  if (!stream.isTTY) return { update() {}, done() {} };
  let last = 0;
  let shown = false;
  return {
    update(message) {
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      shown = true;
      stream.write(`\r\x1b[2K${message}`);
    },
    done() {
      if (shown) stream.write('\r\x1b[2K');
    },
  };
}
