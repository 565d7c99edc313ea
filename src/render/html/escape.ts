const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * The one way outside text (KPI names, notes, reasons, product and tier names, OKR titles,
 * paths) enters an HTML page, in element text and in quoted attribute values alike: after
 * it, no text can open a tag, close an attribute or start an entity.
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ENTITIES[character] as string);
}
