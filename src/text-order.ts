/**
 * The one order kpi sorts text in: by UTF-16 code units, the same on every machine.
 * `localeCompare` follows the process's locale (`LANG`, `LC_ALL`): in Estonian "z" sorts
 * before "t", so JSON key order, table rows and even which cause gets a spare cent would
 * change with the machine a report runs on.
 */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
