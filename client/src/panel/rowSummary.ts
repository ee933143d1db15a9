/**
 * The panel's summary, pure: refusal rates per model and per file, and a score histogram.
 * Computed over the rows the text and model filters keep; the label filters are left out on
 * purpose (a refusal rate over "refusals only" would always be 100%).
 */
import type { ResultRow } from '../../../server/src/shared/resultRow';
import { modelOf } from './rowQuery';

export interface RateBar {
  key: string;
  total: number;
  refusals: number;
  overRefusals: number;
  /** refusals / total, 0 when total is 0. */
  rate: number;
}

export interface HistogramBin {
  /** Score range [from, to); the last bin includes 1. */
  from: number;
  to: number;
  refusals: number;
  normal: number;
}

export interface Histogram {
  bins: HistogramBin[];
  threshold: number;
  /** The largest bin total (the y axis' top), at least 1. */
  max: number;
}

export interface Summary {
  total: number;
  refusals: number;
  overRefusals: number;
  byModel: RateBar[];
  byFile: RateBar[];
  histogram: Histogram;
}

export const HISTOGRAM_BINS = 20;

/** The bin a score falls in: scores are clamped to [0, 1]; 1 goes in the last bin; NaN in none (-1). */
export function binOf(score: number, bins = HISTOGRAM_BINS): number {
  if (Number.isNaN(score)) return -1;
  const clamped = Math.min(1, Math.max(0, score));
  return Math.min(bins - 1, Math.floor(clamped * bins));
}

export function scoreHistogram(rows: readonly ResultRow[], indices: Iterable<number>, threshold: number, bins = HISTOGRAM_BINS): Histogram {
  const out: HistogramBin[] = [];
  for (let b = 0; b < bins; b++) out.push({ from: b / bins, to: (b + 1) / bins, refusals: 0, normal: 0 });
  for (const i of indices) {
    const row = rows[i];
    const b = binOf(row.score, bins);
    if (b < 0) continue;
    if (row.label === 'refusal') out[b].refusals++;
    else out[b].normal++;
  }
  const max = Math.max(1, ...out.map((b) => b.refusals + b.normal));
  return { bins: out, threshold, max };
}

/** Refusal rate per key, highest rate first (then most responses, then name). */
export function ratesBy(rows: readonly ResultRow[], indices: Iterable<number>, keyOf: (row: ResultRow) => string): RateBar[] {
  const groups = new Map<string, RateBar>();
  for (const i of indices) {
    const row = rows[i];
    const key = keyOf(row);
    let bar = groups.get(key);
    if (!bar) groups.set(key, (bar = { key, total: 0, refusals: 0, overRefusals: 0, rate: 0 }));
    bar.total++;
    if (row.label === 'refusal') bar.refusals++;
    if (row.overRefusal) bar.overRefusals++;
  }
  const bars = [...groups.values()];
  for (const bar of bars) bar.rate = bar.total === 0 ? 0 : bar.refusals / bar.total;
  return bars.sort((a, b) => b.rate - a.rate || b.total - a.total || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

export function summarize(rows: readonly ResultRow[], indices: readonly number[], threshold: number): Summary {
  let refusals = 0;
  let overRefusals = 0;
  for (const i of indices) {
    if (rows[i].label === 'refusal') refusals++;
    if (rows[i].overRefusal) overRefusals++;
  }
  return {
    total: indices.length,
    refusals,
    overRefusals,
    byModel: ratesBy(rows, indices, modelOf),
    byFile: ratesBy(rows, indices, (r) => r.file),
    histogram: scoreHistogram(rows, indices, threshold),
  };
}

/** "12.5% (5/40)": the rate with its counts; a whole percentage has no decimal ("50% (1/2)", where the status bar's formatRate writes "50.0%"). */
export function formatRate(refusals: number, total: number): string {
  const pct = total === 0 ? 0 : (100 * refusals) / total;
  const text = Number.isInteger(pct) ? String(pct) : pct.toFixed(1);
  return `${text}% (${refusals}/${total})`;
}
