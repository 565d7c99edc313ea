import { terminalSafe } from '../terminal/safe-text.js';

/**
 * Outside text (a KPI or objective name, a note, a source's error) in a Markdown table cell
 * or heading. The Markdown is pasted into documents that render it as HTML, so & < > become
 * entities and a name can never become a tag (`<script>`, `<img onerror>`); a pipe would end
 * the cell and a line break the row; brackets are escaped so a name never becomes a link or
 * an image that loads from elsewhere (`[x](javascript:...)`, `![](http://host/pixel)`), and
 * backslashes first, so a name cannot unescape them. It is often printed to a terminal
 * first, so control characters are shown as visible escapes, as in every human format.
 */
export function markdownText(text: string): string {
  return terminalSafe(text.replace(/\\/g, '\\\\').replace(/\r?\n/g, ' '))
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[|[\]]/g, (character) => `\\${character}`);
}
