import { quarterBounds, type CalendarSettings } from '../scoreboard/periods.js';
import type { OkrFile } from './okr-file.js';

export interface LintFinding {
  level: 'error' | 'warning';
  /** Where in the file, e.g. "objectives[0].key_results[2]". */
  path: string;
  message: string;
}

/** The handbook's OKR checklist, as checks. Errors make `kpi okr lint` fail; warnings are advice. */
export function lintOkrs(file: OkrFile, knownKpis: ReadonlySet<string>, calendar: CalendarSettings): LintFinding[] {
  const findings: LintFinding[] = [];
  const error = (path: string, message: string) => findings.push({ level: 'error', path, message });
  const warn = (path: string, message: string) => findings.push({ level: 'warning', path, message });

  if (!quarterBounds(file.period, calendar)) error('period', `"${file.period}" is not a quarter like "2026-Q4"`);

  const objectiveTitles = new Map<string, string>();
  const keyResultIds = new Set(file.objectives.flatMap((objective) => objective.key_results.map((kr) => kr.id).filter((id): id is string => !!id)));
  const seenIds = new Set<string>();
  file.objectives.forEach((objective, o) => {
    const at = `objectives[${o}]`;
    const titleKey = objective.title.toLowerCase();
    if (objectiveTitles.has(titleKey)) error(at, `the title "${objective.title}" is used twice (also ${objectiveTitles.get(titleKey)})`);
    objectiveTitles.set(titleKey, at);
    const count = objective.key_results.length;
    if (count < 3 || count > 5) warn(at, `has ${count} key result${count === 1 ? '' : 's'}; the handbook asks for 3 to 5`);

    const krTitles = new Map<string, string>();
    objective.key_results.forEach((kr, k) => {
      const krAt = `${at}.key_results[${k}]`;
      const krTitle = kr.title.toLowerCase();
      if (krTitles.has(krTitle)) error(krAt, `the title "${kr.title}" is used twice in this objective (also ${krTitles.get(krTitle)})`);
      krTitles.set(krTitle, krAt);
      if (kr.id) {
        if (seenIds.has(kr.id)) error(krAt, `the id "${kr.id}" is used twice`);
        seenIds.add(kr.id);
      }
      const rollsUp = hasChildren(file, kr.id);
      if (rollsUp && kr.target === undefined && kr.start === undefined) {
        // Progress comes from the key results that name it as their parent.
      } else if (kr.milestone) {
        if (kr.target !== undefined && typeof kr.target !== 'boolean') warn(krAt, 'a milestone is done or not: its target is ignored');
      } else {
        if (typeof kr.target !== 'number' || !Number.isFinite(kr.target)) error(krAt, 'every key result is a number: give a numeric "target" (or mark it "milestone: true")');
        if (kr.start === undefined) error(krAt, 'give a "start" value, so progress can be measured');
        else if (typeof kr.target === 'number' && kr.start === kr.target) error(krAt, `start and target are both ${kr.start}: there is nothing to achieve`);
        if (kr.current === undefined && kr.kpi === undefined && kr.check_ins.every((checkIn) => checkIn.value === undefined) && !rollsUp) {
          warn(krAt, 'no "current" value, "kpi" or check-in value yet: it counts as not started');
        }
      }
      if (kr.kpi !== undefined && !knownKpis.has(kr.kpi)) error(krAt, `refers to KPI "${kr.kpi}", which the report configuration does not define`);
      if (kr.parent !== undefined && !keyResultIds.has(kr.parent)) error(krAt, `its parent "${kr.parent}" is not the id of any key result`);
    });
  });
  findings.push(...parentCycles(file));
  return findings;
}

/**
 * Key results whose parents lead back to themselves (A -> B -> A, or A its own parent):
 * such a roll-up has no score to start from. Each cycle is named once, at its first member.
 */
export function parentCycles(file: OkrFile): LintFinding[] {
  const entries = file.objectives.flatMap((objective, o) => objective.key_results.map((kr, k) => ({ kr, path: `objectives[${o}].key_results[${k}]` })));
  const parentOf = new Map<string, string>();
  for (const { kr } of entries) {
    if (kr.id !== undefined && kr.parent !== undefined && !parentOf.has(kr.id)) parentOf.set(kr.id, kr.parent);
  }
  const findings: LintFinding[] = [];
  const reported = new Set<string>();
  for (const { kr, path } of entries) {
    if (kr.id === undefined || kr.parent === undefined || reported.has(kr.id)) continue;
    if (kr.parent === kr.id) {
      reported.add(kr.id);
      findings.push({ level: 'error', path, message: 'a key result cannot be its own parent' });
      continue;
    }
    const chain = [kr.id];
    let next: string | undefined = kr.parent;
    while (next !== undefined && !chain.includes(next)) {
      chain.push(next);
      next = parentOf.get(next);
    }
    if (next !== kr.id) continue;
    for (const id of chain) reported.add(id);
    findings.push({ level: 'error', path, message: `its parents lead back to it: ${[...chain, kr.id].join(' -> ')}` });
  }
  return findings;
}

function hasChildren(file: OkrFile, id: string | undefined): boolean {
  return id !== undefined && file.objectives.some((objective) => objective.key_results.some((kr) => kr.parent === id));
}
