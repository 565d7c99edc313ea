import type { OkrStatusReport } from '../../app/okr-status.js';
import { confidence, heading as okrHeading, progress, scoreText } from '../okr.js';
import { escapeHtml } from './escape.js';
import { htmlPage, htmlTable, textCell } from './page.js';

/** The score in its handbook band's colour, with the band named too (colour is never the only sign). */
function scoreCell(value: { score: number | null; incomplete?: boolean; band: string | null }) {
  const band = value.band === null ? '' : ` (${value.band})`;
  return textCell(`${scoreText(value)}${band}`, { numeric: true, className: value.band === null ? 'score' : `score band-${value.band}` });
}

/** Each objective with its score, status and key results: the OKR summary of a report, or a page of its own. */
export function okrSection(report: OkrStatusReport, headingLevel: 'h1' | 'h2' = 'h2'): string {
  const parts = [`<section id="okrs"><${headingLevel}>${escapeHtml(okrHeading(report))}</${headingLevel}>`, '<p class="meta">Score bands as the handbook has them: 0.7–1.0 green, 0.4–0.6 yellow, 0.0–0.3 red.</p>'];
  for (const objective of report.objectives) {
    const rows = [
      [textCell(objective.title, { className: 'objective' }), textCell(`${objective.owner} (${objective.type})`), scoreCell(objective), textCell(objective.status), textCell(confidence(objective)), textCell('')],
      ...objective.keyResults.map((kr) => [textCell(kr.title, { className: 'key-result' }), textCell(''), scoreCell(kr), textCell(kr.status), textCell(confidence(kr)), textCell(progress(kr))]),
    ];
    parts.push(
      htmlTable(
        null,
        [{ text: 'Objective / key result' }, { text: 'Owner' }, { text: 'Score', numeric: true }, { text: 'Status' }, { text: 'Confidence' }, { text: 'Progress' }],
        rows,
        { stacked: true },
      ),
    );
  }
  const notes = report.objectives.flatMap((objective) => objective.keyResults.filter((kr) => kr.note).map((kr) => `${kr.title}: ${kr.note}`));
  if (notes.length > 0) parts.push(`<ul class="note">${notes.map((note) => `<li>${escapeHtml(note)}</li>`).join('')}</ul>`);
  parts.push('</section>');
  return parts.join('\n');
}

export function renderOkrHtml(report: OkrStatusReport): string {
  return htmlPage(`OKRs ${report.period}`, okrSection(report, 'h1'));
}
