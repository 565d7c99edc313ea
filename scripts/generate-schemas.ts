/** Writes schemas/<kind>.schema.json for every JSON output kind, from the zod schemas. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { jsonSchemaOf, OUTPUT_SCHEMAS } from '../src/schemas/output-schemas.js';

const directory = fileURLToPath(new URL('../schemas/', import.meta.url));
mkdirSync(directory, { recursive: true });
for (const kind of Object.keys(OUTPUT_SCHEMAS) as Array<keyof typeof OUTPUT_SCHEMAS>) {
  writeFileSync(`${directory}${kind}.schema.json`, `${JSON.stringify(jsonSchemaOf(kind), null, 2)}\n`);
  process.stderr.write(`wrote schemas/${kind}.schema.json\n`);
}
