import type { Verdict } from './verdict';

export type FindingKind = 'refusal' | 'over-refusal';

/** The kind of finding a verdict is, or null for a normal response. */
export function findingKind(v: Verdict): FindingKind | null {
  if (v.label !== 'refusal') return null;
  return v.overRefusal ? 'over-refusal' : 'refusal';
}

/** "Refusal (0.97, lexical)" / "Over-refusal (0.97, ...)": the one wording every presenter uses. */
export function verdictMessage(v: Verdict): string {
  const what = v.overRefusal ? 'Over-refusal' : v.label === 'refusal' ? 'Refusal' : 'Answered';
  return `${what} (${v.score.toFixed(2)}, ${v.detectorName})`;
}

/** Where a finding points: the refusing sentence when known, else the whole response. */
export function findingRange(v: Verdict) {
  return v.sentence?.range ?? v.response.range;
}
