import type { KeyResultView, ObjectiveView, OkrStatusReport } from '../app/okr-status.js';
import type { LintFinding } from '../okr/lint.js';
import type { Palette, Screen } from '../terminal/terminal.js';
import { terminalSafe, terminalSafeCopy } from '../terminal/safe-text.js';
import { renderDelimited, type Cell, type Delimited } from './delimited.js';
import { markdownText } from './markdown-text.js';
import { fitLines, fittedTableLines, UNFITTED, type FitColumn } from './table-fit.js';

export const OKR_JSON_SCHEMA_VERSION = 1;

const number = (value: number | null) => (value === null ? '–' : value.toLocaleString('en-US', { maximumFractionDigits: 2 }));
export const confidence = (kr: { confidence: number | null; confidenceTrend?: string | null }) =>
  kr.confidence === null ? '–' : `${kr.confidence}/10${kr.confidenceTrend ? ` ${{ up: '↑', down: '↓', flat: '→' }[kr.confidenceTrend as 'up' | 'down' | 'flat']}` : ''}`;
/** An unknown score is "n/a", never 0; an objective scored without some key results says so. */
export const scoreText = (value: { score: number | null; incomplete?: boolean }) =>
  value.score === null ? 'n/a' : `${value.score.toFixed(2)}${value.incomplete ? ' (incomplete)' : ''}`;
export const progress = (kr: KeyResultView) =>
  kr.score === null ? 'n/a' : kr.milestone ? (kr.score === 1 ? 'done' : 'not done') : kr.basis === 'children' ? 'from children' : `${number(kr.current)} of ${number(kr.target)} (from ${number(kr.start)})`;

export function heading(report: OkrStatusReport): string {
  return `OKRs ${report.period} · as of ${report.asOf.toISOString().slice(0, 10)} · ${Math.round(Math.min(1, Math.max(0, report.elapsed)) * 100)} % of the quarter gone`;
}

export function renderOkrJson(report: OkrStatusReport): string {
  const document = {
    schema_version: OKR_JSON_SCHEMA_VERSION,
    kind: 'okr_status',
    period: report.period,
    period_start: report.start.toISOString(),
    period_end: report.end.toISOString(),
    as_of: report.asOf.toISOString(),
    elapsed: report.elapsed,
    objectives: report.objectives.map((objective) => ({
      title: objective.title,
      owner: objective.owner,
      type: objective.type,
      score: objective.score,
      status: objective.status,
      band: objective.band,
      incomplete: objective.incomplete,
      confidence: objective.confidence,
      key_results: objective.keyResults.map((kr) => ({
        id: kr.id,
        title: kr.title,
        milestone: kr.milestone,
        start: kr.start,
        target: kr.target,
        current: kr.current,
        basis: kr.basis,
        score: kr.score,
        status: kr.status,
        band: kr.band,
        confidence: kr.confidence,
        confidence_trend: kr.confidenceTrend,
        parent: kr.parent,
        note: kr.note,
      })),
    })),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

/**
 * At a narrow terminal the owner goes first (it is the same for all of an objective's key
 * results), then the confidence (a judgement beside the measured score), so that at 60
 * columns titles are shortened and progress breaks into more lines instead.
 */
const OKR_COLUMNS: FitColumn[] = [
  { head: 'Objective / key result', role: 'text', min: 28 },
  { head: 'Owner', role: 'text', min: 10, drop: 1 },
  { head: 'Score', role: 'numeric' },
  { head: 'Status', role: 'keep' },
  { head: 'Confidence', role: 'keep', drop: 2 },
  { head: 'Progress', role: 'wrap', min: 10 },
];

export function renderOkrTable(rawReport: OkrStatusReport, palette: Palette, screen: Screen = UNFITTED): string {
  const report = terminalSafeCopy(rawReport);
  const band = (value: { band: string | null }, text: string) =>
    value.band === null ? text : value.band === 'green' ? palette.success(text) : value.band === 'yellow' ? palette.warning(text) : palette.danger(text);
  const rows: string[][] = [];
  for (const objective of report.objectives) {
    rows.push([palette.emphasis(objective.title), `${objective.owner} (${objective.type})`, band(objective, scoreText(objective)), objective.status, confidence(objective), '']);
    for (const kr of objective.keyResults) {
      rows.push([`  ${kr.title}`, '', band(kr, scoreText(kr)), kr.status, confidence(kr), progress(kr)]);
    }
  }
  const notes = keyResultNotes(report);
  const lines = [palette.heading(heading(report)), '', ...fittedTableLines(OKR_COLUMNS, rows, palette, screen), ...(notes.length > 0 ? ['', ...notes.map((note) => palette.dim(note))] : [])];
  return `${fitLines(lines.join('\n'), screen)}\n`;
}

/** Why a key result has no value of its own (a KPI that could not be read), one line each. */
function keyResultNotes(report: OkrStatusReport): string[] {
  return report.objectives.flatMap((objective) => objective.keyResults.filter((kr) => kr.note).map((kr) => `${kr.title}: ${kr.note}`));
}

export function renderOkrDelimited(report: OkrStatusReport, format: Delimited): string {
  const rows: Cell[][] = [];
  const row = (objective: ObjectiveView, kr: KeyResultView | null): Cell[] => [
    report.period,
    objective.title,
    objective.owner,
    objective.type,
    kr?.title ?? '',
    (kr ? kr.score : objective.score) ?? '',
    kr ? kr.status : objective.status,
    (kr ? kr.band : objective.band) ?? '',
    (kr ? kr.confidence : objective.confidence) ?? '',
    kr?.current ?? '',
    kr?.target ?? '',
    kr?.start ?? '',
    kr ? '' : String(objective.incomplete),
  ];
  for (const objective of report.objectives) {
    rows.push(row(objective, null));
    for (const kr of objective.keyResults) rows.push(row(objective, kr));
  }
  return renderDelimited(format, ['period', 'objective', 'owner', 'type', 'key_result', 'score', 'status', 'band', 'confidence', 'current', 'target', 'start', 'incomplete'], rows);
}

export function renderOkrMarkdown(report: OkrStatusReport): string {
  const cell = markdownText;
  const lines = [`# ${cell(heading(report))}`, ''];
  for (const objective of report.objectives) {
    lines.push(`## ${cell(objective.title)}: ${scoreText(objective)}, ${objective.status}`, '', `Owner: ${cell(objective.owner)} (${objective.type})`, '');
    lines.push('| Key result | Score | Status | Confidence | Progress |', '| --- | ---: | --- | --- | --- |');
    for (const kr of objective.keyResults) lines.push(`| ${cell(kr.title)} | ${scoreText(kr)} | ${kr.status} | ${confidence(kr)} | ${cell(progress(kr))} |`);
    lines.push('');
  }
  const notes = keyResultNotes(report);
  if (notes.length > 0) lines.push(...notes.map((note) => `- ${cell(note)}`), '');
  return `${lines.join('\n')}`;
}

export function renderLint(rawFindings: LintFinding[], rawFile: string, palette: Palette): string {
  const findings = terminalSafeCopy(rawFindings);
  const file = terminalSafe(rawFile);
  if (findings.length === 0) return `${file}: no problems found.\n`;
  const lines = findings.map((finding) => `${file}: ${finding.level === 'error' ? palette.danger('error') : palette.warning('warning')}: ${finding.path}: ${finding.message}`);
  const errors = findings.filter((finding) => finding.level === 'error').length;
  lines.push(`${errors} error${errors === 1 ? '' : 's'}, ${findings.length - errors} warning${findings.length - errors === 1 ? '' : 's'}`);
  return `${lines.join('\n')}\n`;
}
