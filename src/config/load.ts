import { existsSync, readFileSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { UsageError } from '../errors.js';
import { DEFAULT_CONFIG } from './defaults.js';
import { configFileSchema, toKpiConfig, type KpiConfig } from './schema.js';

export const CONFIG_FILE_NAMES = ['kpi.config.yaml', 'kpi.config.yml', 'kpi.config.json'] as const;

/**
 * The configuration in force: `--config FILE` if given, else a `kpi.config.*` file in the
 * working directory, else the built-in handbook default.
 */
export function loadConfig(options: { configPath?: string; cwd: string }): KpiConfig {
  if (options.configPath) return loadConfigFile(options.configPath);
  const found = CONFIG_FILE_NAMES.filter((name) => existsSync(join(options.cwd, name)));
  if (found.length > 1) {
    throw new UsageError(
      `several configuration files in the working directory: ${found.join(', ')}`,
      'Keep one of them, or choose one with --config FILE.',
    );
  }
  if (found.length === 1) return loadConfigFile(join(options.cwd, found[0] as string), found[0]);
  return parseConfig(DEFAULT_CONFIG, 'built-in default');
}

export function loadConfigFile(path: string, displayName: string = path): KpiConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (error as Error).message;
    throw new UsageError(`cannot read config file ${displayName}: ${reason}`);
  }
  let data: unknown;
  try {
    data = extname(path).toLowerCase() === '.json' ? JSON.parse(withoutBom(text)) : parseYaml(text);
  } catch (error) {
    throw new UsageError(`config file ${displayName} is not valid ${extname(path) === '.json' ? 'JSON' : 'YAML'}: ${firstLine((error as Error).message)}`);
  }
  return parseConfig(data, displayName, resolve(dirname(path)));
}

/** Editors on Windows start UTF-8 files with a BOM; YAML skips it, JSON.parse does not. */
export function withoutBom(text: string): string {
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}

/**
 * Validates already-parsed configuration data; `origin` names it in error messages, and
 * relative paths in it resolve against `directory` (the file's folder).
 */
export function parseConfig(data: unknown, origin: string, directory: string | null = null): KpiConfig {
  const result = configFileSchema.safeParse(data ?? {});
  if (!result.success) {
    const problems = result.error.issues.slice(0, 10).map((issue) => `  ${formatPath(issue.path)}: ${describeIssue(issue)}`);
    throw new UsageError(
      `config file ${origin} is invalid:\n${problems.join('\n')}`,
      'See "Configuration" in the README for every field and its valid values.',
    );
  }
  return toKpiConfig(result.data, origin, directory);
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_union' && 'errors' in issue) {
    // The product entry union: say what either form needs rather than zod's generic text.
    return 'must be a product name, or an object with one of "name", "names", "id" or "ids"';
  }
  return issue.message;
}

export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  if (path.length === 0) return '(top level)';
  return path
    .map((part, index) => (typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`))
    .join('');
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}
