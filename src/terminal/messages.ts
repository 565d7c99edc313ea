import { terminalSafeMessage } from './safe-text.js';

/**
 * The one writer of kpi's messages on stderr. Messages carry outside text (a product name,
 * a file name, a command's stderr), so each goes through `terminalSafeMessage` here and no
 * command writes `kpi: ...` lines itself.
 */
export interface Messages {
  error(message: string, hint?: string): void;
  warning(message: string): void;
  /** A side remark or a `--verbose` line: `kpi: ...`. */
  note(message: string): void;
}

export function messagesTo(stream: { write(text: string): unknown }): Messages {
  const line = (prefix: string, text: string) => stream.write(`${prefix}${terminalSafeMessage(text)}\n`);
  return {
    error(message, hint) {
      line('kpi: error: ', message);
      if (hint) line('  ', hint);
    },
    warning: (message) => line('kpi: warning: ', message),
    note: (message) => line('kpi: ', message),
  };
}
