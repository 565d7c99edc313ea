import type { KpiDefinition } from '../kpi-config.js';
import type { Period, CalendarSettings } from '../periods.js';

/** A KPI's value: for money, integer minor units of `currency`. */
export interface SourcedValue {
  value: number;
  currency?: string;
  /** Anything a reader should know: rows skipped, pages read. */
  note?: string;
}

export interface SourceContext {
  kpi: KpiDefinition;
  period: Period;
  calendar: CalendarSettings;
  env: NodeJS.ProcessEnv;
  /** Relative file paths in the config are relative to this folder. */
  baseDir: string;
}

/** A source failed: the KPI becomes n/a with this reason, the rest of the report goes on. */
export class SourceError extends Error {}
