/**
 * Product names as people type them and as Stripe stores them differ in case, spacing
 * and the kind of dash ("FlowFuse Cloud – Starter" vs "FlowFuse Cloud - Starter"). Names
 * are compared after folding those differences away: Unicode compatibility forms (NFKC,
 * so a full-width letter is the letter), invisible format characters (soft hyphen,
 * zero-width space), every dash punctuation and the minus sign, runs of whitespace, case.
 */
import { compareText } from '../text-order.js';

const DASHES = /[\p{Pd}\u2212]/gu;
const INVISIBLE = /\p{Cf}/gu;

export function normaliseProductName(name: string): string {
  return name.normalize('NFKC').replace(INVISIBLE, '').replace(DASHES, '-').replace(/\s+/g, ' ').trim().toLowerCase();
}

/** Up to `count` candidates closest to `wanted` by edit distance over normalised names. */
export function closestNames(wanted: string, candidates: Iterable<string>, count = 3): string[] {
  const target = normaliseProductName(wanted);
  return [...new Set(candidates)]
    .map((name) => ({ name, distance: editDistance(target, normaliseProductName(name)) }))
    .sort((a, b) => a.distance - b.distance || compareText(a.name, b.name))
    .slice(0, count)
    .map((entry) => entry.name);
}

/** Levenshtein distance; product names are short, so the plain two-row version is plenty. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] as number;
}
