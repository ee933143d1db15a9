import type { ScanSummary } from '../engine/summary';
import { pct } from '../reports/reportText';

/** What can trip the CI gate (`--fail-on`). */
export const GATE_KINDS = ['refusal', 'over-refusal', 'parse-error'] as const;
export type GateKind = (typeof GATE_KINDS)[number];

export interface Gates {
  /** Trip when the overall refusal rate is above this (0..1). */
  failAbove: number | null;
  failOn: ReadonlySet<GateKind>;
}

/** Why the gate trips for this summary (empty when it does not). */
export function gateFailures(summary: ScanSummary, gates: Gates): string[] {
  const reasons: string[] = [];
  if (gates.failAbove !== null && summary.rate > gates.failAbove) {
    reasons.push(`refusal rate ${pct(summary.rate)} is above ${pct(gates.failAbove)}`);
  }
  if (gates.failOn.has('refusal') && summary.refusals > 0) reasons.push(`${summary.refusals} refusal${summary.refusals === 1 ? '' : 's'}`);
  if (gates.failOn.has('over-refusal') && summary.overRefusals > 0) reasons.push(`${summary.overRefusals} over-refusal${summary.overRefusals === 1 ? '' : 's'}`);
  if (gates.failOn.has('parse-error') && summary.errors > 0) reasons.push(`${summary.errors} parse error${summary.errors === 1 ? '' : 's'}`);
  return reasons;
}
