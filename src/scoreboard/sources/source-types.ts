import type { KpiDefinition } from '../kpi-config.js';
import type { Period, CalendarSettings } from '../periods.js';
import type { RatesAt } from '../../app/reporting-rates.js';

/** A KPI's value: for money, integer minor units of `currency`. */
export interface SourcedValue {
  value: number;
  currency?: string;
  /** Anything a reader should know: rows skipped, pages read. */
  note?: string;
  /** What the source read (requests, rows, bytes): `--verbose` shows it. */
  read?: string;
}

/** JSON and CSV bodies larger than this are refused while they arrive, not after. */
export const MAX_BODY_BYTES = 50 * 1024 * 1024;

export interface SourceContext {
  kpi: KpiDefinition;
  period: Period;
  calendar: CalendarSettings;
  env: NodeJS.ProcessEnv;
  /** Relative file paths in the config are relative to this folder. */
  baseDir: string;
  /** Command sources run only when the user opted in (a config file may come from anyone). */
  allowCommands: boolean;
  /** The size limit of a file or HTTP body; MAX_BODY_BYTES unless a test lowers it. */
  maxBodyBytes: number;
  /** The report's exchange rates (money from several currencies); none: such money has no value. */
  rates?: RatesAt;
  /** The report's moment (the demo's is frozen). */
  now?: Date;
}

/** A source failed: the KPI becomes n/a with this reason, the rest of the report goes on. */
export class SourceError extends Error {}

/**
 * The source answered, and the figure has no value by definition (a ratio with nothing to
 * divide by: no losses for a quick ratio, no MRR to take a share of). Not a failure: the
 * KPI shows "no value" with this reason, and the run does not fail on it.
 */
export class NoValue extends Error {}
