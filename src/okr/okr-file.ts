import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { formatPath, withoutBom } from '../config/load.js';
import { UsageError } from '../errors.js';

/**
 * An OKR file (YAML or JSON). Deliberately lenient about what the linter checks (a
 * missing target, a start equal to the target, an unknown KPI): those are reported by
 * `kpi okr lint` with the handbook's reasons rather than refused as malformed.
 */
const checkIn = z.strictObject({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-11-16'),
  value: z.number().optional(),
  confidence: z.number().int().min(1, 'confidence is 1 to 10').max(10, 'confidence is 1 to 10'),
  note: z.string().optional(),
});

const keyResult = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'must be a short id such as "kr-1"').optional(),
  title: z.string().trim().min(1, 'must not be empty'),
  start: z.number().optional(),
  target: z.unknown().optional(),
  current: z.number().optional(),
  /** The date `current` was measured. */
  as_of: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-11-16').optional(),
  kpi: z.string().optional(),
  milestone: z.boolean().optional(),
  done: z.boolean().optional(),
  weight: z.number().positive().optional(),
  parent: z.string().optional(),
  check_ins: z.array(checkIn).default([]),
});

const objective = z.strictObject({
  title: z.string().trim().min(1, 'must not be empty'),
  owner: z.string().trim().min(1, 'must not be empty'),
  type: z.enum(['committed', 'aspirational']),
  key_results: z.array(keyResult).default([]),
});

export const okrFileSchema = z.strictObject({
  period: z.string(),
  objectives: z.array(objective).min(1, 'list at least one objective'),
});

export type OkrFile = z.output<typeof okrFileSchema>;
export type Objective = OkrFile['objectives'][number];
export type KeyResult = Objective['key_results'][number];
export type CheckIn = KeyResult['check_ins'][number];

export function loadOkrFile(path: string): OkrFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read OKR file ${path}: ${code === 'ENOENT' ? 'file not found' : (error as Error).message}`, code === 'ENOENT' ? 'Name the file, e.g. `kpi okr status okrs.yaml`.' : undefined);
  }
  let data: unknown;
  try {
    data = extname(path).toLowerCase() === '.json' ? JSON.parse(withoutBom(text)) : parseYaml(text);
  } catch (error) {
    throw new UsageError(`OKR file ${path} is not valid ${extname(path).toLowerCase() === '.json' ? 'JSON' : 'YAML'}: ${(error as Error).message.split('\n')[0]}`);
  }
  const result = okrFileSchema.safeParse(data ?? {});
  if (!result.success) {
    const problems = result.error.issues.slice(0, 10).map((issue) => `  ${formatPath(issue.path)}: ${issue.message}`);
    throw new UsageError(`OKR file ${path} is invalid:\n${problems.join('\n')}`, 'See "OKRs" in the README for the file format.');
  }
  return result.data;
}
