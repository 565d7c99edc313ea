import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { jsonSchemaOf, OUTPUT_SCHEMAS } from '../../src/schemas/output-schemas.js';
import { runKpi } from '../support/run-kpi.js';

const schemaFile = (kind: string) => JSON.parse(readFileSync(new URL(`../../schemas/${kind}.schema.json`, import.meta.url), 'utf8'));

describe('JSON Schemas of the outputs', () => {
  it.each(Object.keys(OUTPUT_SCHEMAS))('schemas/%s.schema.json is up to date with the zod schema (npm run schemas)', (kind) => {
    expect(schemaFile(kind)).toEqual(JSON.parse(JSON.stringify(jsonSchemaOf(kind as keyof typeof OUTPUT_SCHEMAS))));
  });

  it.each([
    ['mrr', ['mrr', '--demo', '--format', 'json', '--explain']],
    ['mrr', ['mrr', '--demo', '--format', 'json', '--at-risk', '--explain']],
    ['arr', ['arr', '--demo', '--format', 'json']],
    ['arr_weekly', ['arr', '--demo', '--weekly', '--format', 'json']],
    ['mrr_movements', ['mrr', '--demo', '--from', '2026-10-12', '--format', 'json']],
    ['saas_metrics', ['metrics', '--demo', '--from', '2026-10-12', '--format', 'json']],
    ['kpi_report', ['report', '--demo', '--format', 'json']],
    ['okr_status', ['okr', 'status', '--demo', '--format', 'json']],
    ['reconciliation', ['reconcile', '--demo', '--format', 'json']],
    ['reconciliation', ['reconcile', '--demo', '--measure', 'handbook', '--format', 'json']],
  ])('the demo output of kind %s validates against its schema file', async (kind, args) => {
    const run = await runKpi(args);
    expect(run.code).toBe(0);
    const document = JSON.parse(run.stdout);
    expect(document.kind).toBe(kind);
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    const validate = ajv.compile(schemaFile(kind));
    const valid = validate(document);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    // And a document that is not of this version is caught.
    expect(validate({ ...document, schema_version: 2 })).toBe(false);
  });
});
