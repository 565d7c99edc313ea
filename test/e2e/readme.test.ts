import { describe, expect, it } from 'vitest';
import { readmeSamples, runSample } from '../../scripts/readme-samples.js';

describe('README', () => {
  const samples = readmeSamples();

  it('shows a sample of each main command', () => {
    expect(samples.map((sample) => sample.args.slice(0, 2).join(' '))).toEqual(['mrr --demo', 'arr --demo', 'arr --demo', 'mrr --demo', 'metrics --demo', 'mrr --demo', 'report --demo', 'okr status', 'reconcile --demo']);
  });

  it.each(samples.map((sample) => [sample.args.join(' '), sample] as const))('the sample of `kpi %s` is what the demo prints', (_command, sample) => {
    expect(runSample(sample.args)).toBe(sample.shown);
  });
});
