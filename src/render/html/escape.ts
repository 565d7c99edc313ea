import { terminalSafeLines } from '../../terminal/safe-text.js';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * The one way outside text (KPI names, notes, reasons, product and tier names, OKR titles,
 * paths) enters an HTML page, in element text and in quoted attribute values alike: after
 * it, no text can open a tag, close an attribute or start an entity. Control characters,
 * bidi embeddings, overrides and isolates, and invisible characters are shown as visible
 * escapes (`\u202e`), as in the terminal: a right-to-left override in a KPI name would
 * otherwise reorder the page's text around it, and an invisible one make two names look alike.
 */
export function escapeHtml(text: string): string {
  return terminalSafeLines(text).replace(/[&<>"']/g, (character) => ENTITIES[character] as string);
}
