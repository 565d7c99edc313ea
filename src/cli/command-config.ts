import { loadConfig, loadConfigFile } from '../config/load.js';
import type { KpiConfig } from '../config/schema.js';
import { DEMO_CONFIG_FILE } from '../package-root.js';
import type { CliContext } from './context.js';

/**
 * The configuration a command runs with: `--config FILE`; with `--demo` the demo company's
 * (its account bills in two currencies, and its config says how to add them up); else the
 * working directory's or the built-in handbook rules.
 */
export function commandConfig(flags: { config?: string; demo?: boolean }, context: Pick<CliContext, 'cwd'>): KpiConfig {
  if (flags.config === undefined && flags.demo) return loadConfigFile(DEMO_CONFIG_FILE);
  return loadConfig({ configPath: flags.config, cwd: context.cwd });
}
