/**
 * Text from outside kpi (Stripe product names, configuration and OKR files, CSV and JSON
 * values, command output, file names) is shown to people only through this module.
 *
 * A terminal obeys the control characters in what it prints: ESC starts sequences that set
 * the window title (OSC 0), make hyperlinks (OSC 8) or colours; CR and TAB move the cursor
 * and break table rows; bidi overrides reorder what is read. Each of them is therefore shown
 * as a visible escape (`\x1b`, `\r`, `\t`, `\u202e`), so the reader sees what the source
 * really contains and the terminal does nothing it was not asked to by kpi itself.
 *
 * This must happen BEFORE colouring: the palette adds kpi's own escape codes, which escaping
 * afterwards would break. Machine formats (JSON, CSV, TSV) keep the exact text.
 *
 * Backslashes are left as they are (a Windows path stays readable); the escapes are for
 * reading, not for parsing back.
 */

/**
 * C0 controls (line feed included: outside text never breaks our lines), DEL, C1 controls,
 * the line and paragraph separators, the bidi embeddings, overrides, isolates and marks, and
 * the invisible characters that make two names look the same (soft hyphen, zero-width space,
 * word joiner and invisible operators, byte order mark). Zero-width (non-)joiners stay: scripts
 * and emoji need them.
 */
const INVISIBLE_OR_BIDI = '\\u00ad\\u061c\\u200b\\u200e\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2060-\\u2064\\u2066-\\u2069\\ufeff';
const UNSAFE = new RegExp(`[\\u0000-\\u001f\\u007f-\\u009f${INVISIBLE_OR_BIDI}]`, 'g');
const UNSAFE_EXCEPT_LINE_FEED = new RegExp(`[\\u0000-\\u0009\\u000b-\\u001f\\u007f-\\u009f${INVISIBLE_OR_BIDI}]`, 'g');

const SHORT_ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function visibleEscape(character: string): string {
  const short = SHORT_ESCAPES[character];
  if (short) return short;
  const code = character.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** One piece of outside text, fit for a table cell or a line: every control character visible, on one line. */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, visibleEscape);
}

/** Text whose line structure is kpi's own (commander's usage errors): every control character but the line feed shown. */
export function terminalSafeLines(text: string): string {
  return text.replace(UNSAFE_EXCEPT_LINE_FEED, visibleEscape);
}

/**
 * A whole message (error, warning, note) as kpi prints it to stderr. Our own messages may
 * span lines (a config file's list of problems), so line feeds stay; but every line after the
 * first is indented, so no outside text can start a line of its own that poses as
 * `kpi: error: ...`.
 */
export function terminalSafeMessage(text: string): string {
  return terminalSafeLines(text)
    .split('\n')
    .map((line, index) => (index === 0 || line === '' || /^\s/.test(line) ? line : `  ${line}`))
    .join('\n');
}

/**
 * A copy of a report model with every string in it (values and keys of plain objects and
 * arrays) made terminal-safe. Human renderers take their model through this once, so no
 * cell or note can be forgotten; numbers, bigints, dates and class instances stay as they are.
 */
export function terminalSafeCopy<T>(value: T): T {
  return copy(value, new Map()) as T;
}

/** `copies` keeps shared objects shared (and a cycle from recursing forever). */
function copy(value: unknown, copies: Map<object, unknown>): unknown {
  if (typeof value === 'string') return terminalSafe(value);
  if (value === null || typeof value !== 'object' || !(Array.isArray(value) || isPlainObject(value))) return value;
  const known = copies.get(value);
  if (known !== undefined) return known;
  const result: Record<string, unknown> | unknown[] = Array.isArray(value) ? [] : Object.create(Object.getPrototypeOf(value) as object | null);
  copies.set(value, result);
  if (Array.isArray(value)) {
    for (const entry of value) (result as unknown[]).push(copy(entry, copies));
  } else {
    // defineProperty, not assignment: an outside key named "__proto__" stays a key.
    for (const [key, entry] of Object.entries(value)) {
      Object.defineProperty(result, terminalSafe(key), { value: copy(entry, copies), enumerable: true, writable: true, configurable: true });
    }
  }
  return result;
}

function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
