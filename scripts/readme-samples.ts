/**
 * The README's sample outputs: each `<!-- sample: kpi ... -->` marker is followed by a
 * text block holding what that command prints on the demo. `npx tsx
 * scripts/readme-samples.ts` refreshes them; a test checks they are current.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const README = fileURLToPath(new URL('../README.md', import.meta.url));
const BIN = fileURLToPath(new URL('../bin/kpi.js', import.meta.url));
const SAMPLE = /<!-- sample: kpi ([^>]*?) -->\n```text\n([\s\S]*?)```/g;

export interface Sample {
  args: string[];
  shown: string;
}

export function readmeSamples(text = readFileSync(README, 'utf8')): Sample[] {
  return [...text.matchAll(SAMPLE)].map((match) => ({ args: (match[1] as string).split(' '), shown: match[2] as string }));
}

/**
 * What the demo prints, as a person would see it piped (no colour). CSV ends its records
 * with CRLF (RFC 4180); a terminal shows them as lines, and so does the README.
 */
export function runSample(args: string[]): string {
  const output = execFileSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'pipe', 'ignore'] });
  return output.replace(/\r\n/g, '\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const text = readFileSync(README, 'utf8').replace(SAMPLE, (_whole, command: string) => {
    return `<!-- sample: kpi ${command} -->\n\`\`\`text\n${runSample(command.split(' '))}\`\`\``;
  });
  writeFileSync(README, text);
  process.stderr.write(`refreshed ${readmeSamples(text).length} samples in README.md\n`);
}
