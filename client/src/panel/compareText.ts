/**
 * The words of a comparison's summary (Compare With...), pure: the webview puts them in the DOM
 * with textContent, the tests read them here.
 */
import type { CompareSummary, RunCounts } from '../../../server/src/shared/compareSummary';
import { formatRate } from './rowSummary';

/** The panel's title for a comparison: "old → new". */
export function compareTitle(s: Pick<CompareSummary, 'oldFile' | 'newFile'>): string {
  return `${s.oldFile} → ${s.newFile}`;
}

function rate(c: RunCounts | null): string {
  return c ? formatRate(c.refusals, c.responses) : '–';
}

/** Change of the refusal rate in percentage points: "+12.5 points", "−5.0 points", "±0 points". */
export function pointsChange(before: RunCounts | null, after: RunCounts | null): string {
  if (!before || !after) return '–';
  const d = (after.rate - before.rate) * 100;
  if (Math.abs(d) < 0.05) return '±0 points';
  return `${d > 0 ? '+' : '−'}${Math.abs(d).toFixed(1)} points`;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** One line: rates before and after, then the counts of each kind of change. */
export function compareCaption(s: CompareSummary): string {
  const parts = [
    `Refusal rate ${rate(s.old)} → ${rate(s.new)} (${pointsChange(s.old, s.new)})`,
    `${s.newlyRefused.toLocaleString('en-US')} newly refused`,
    `${s.newlyAnswered.toLocaleString('en-US')} newly answered`,
    `${s.stillRefused.toLocaleString('en-US')} still refused`,
    `${s.stillAnswered.toLocaleString('en-US')} answered in both`,
  ];
  const unmatched = [s.onlyOld ? `${s.onlyOld.toLocaleString('en-US')} only in old` : '', s.onlyNew ? `${s.onlyNew.toLocaleString('en-US')} only in new` : ''].filter(Boolean);
  parts.push(`matched by ${s.key}${unmatched.length ? ` (${unmatched.join(', ')})` : ''}`);
  const errors = s.parseErrors.old + s.parseErrors.new;
  if (errors > 0) parts.push(plural(errors, 'parse error'));
  return parts.join(' · ');
}

export interface ModelChange {
  model: string;
  before: string;
  after: string;
  change: string;
  /** For bars: the rates as fractions (null where the model has no responses in that run). */
  beforeRate: number | null;
  afterRate: number | null;
}

/** The per-model table: each model's refusal rate before and after. */
export function modelChanges(s: CompareSummary): ModelChange[] {
  return s.byModel.map((m) => ({
    model: m.model,
    before: rate(m.old),
    after: rate(m.new),
    change: pointsChange(m.old, m.new),
    beforeRate: m.old ? m.old.rate : null,
    afterRate: m.new ? m.new.rate : null,
  }));
}
