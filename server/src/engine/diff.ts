import type { Verdict } from '../verdicts/verdict';
import { rateOf, type RateCount } from './summary';

/**
 * Two runs of the same prompts compared: which responses became refusals, which stopped being
 * refusals, which stayed refused. Responses are matched by a key (the prompt by default); when a
 * key repeats within a run (several samples or epochs), the k-th occurrence in one run is matched
 * with the k-th in the other.
 */

export type DiffKey = 'prompt' | 'id' | 'prompt+model';
export const DIFF_KEYS: readonly DiffKey[] = ['prompt', 'id', 'prompt+model'];

export interface DiffPair {
  key: string;
  old: Verdict;
  new: Verdict;
}

export interface RunDiff {
  newlyRefused: DiffPair[];
  newlyAnswered: DiffPair[];
  stillRefused: DiffPair[];
  stillAnswered: number;
  /** Responses with no partner in the other run. */
  onlyOld: Verdict[];
  onlyNew: Verdict[];
  byModel: Record<string, { old: RateCount | null; new: RateCount | null }>;
  old: RateCount;
  new: RateCount;
}

export function keyOf(v: Verdict, key: DiffKey): string | null {
  const r = v.response;
  switch (key) {
    case 'id':
      return r.entry ? `${r.entry}#${r.id}` : r.id;
    case 'prompt':
      return r.prompt;
    case 'prompt+model':
      return r.prompt === null ? null : `${r.model ?? ''}\u0000${r.prompt}`;
  }
}

function countOf(verdicts: readonly Verdict[]): RateCount {
  let refusals = 0;
  let overRefusals = 0;
  for (const v of verdicts) {
    if (v.label === 'refusal') refusals++;
    if (v.overRefusal) overRefusals++;
  }
  return { responses: verdicts.length, refusals, overRefusals, rate: rateOf(refusals, verdicts.length) };
}

function groupByModel(verdicts: readonly Verdict[]): Map<string, Verdict[]> {
  const m = new Map<string, Verdict[]>();
  for (const v of verdicts) {
    const name = v.response.model ?? '(unknown)';
    let list = m.get(name);
    if (!list) m.set(name, (list = []));
    list.push(v);
  }
  return m;
}

export function diffRuns(oldRun: readonly Verdict[], newRun: readonly Verdict[], key: DiffKey = 'prompt'): RunDiff {
  const queues = new Map<string, Verdict[]>();
  const onlyOld: Verdict[] = [];
  for (const v of oldRun) {
    const k = keyOf(v, key);
    if (k === null) {
      onlyOld.push(v);
      continue;
    }
    let q = queues.get(k);
    if (!q) queues.set(k, (q = []));
    q.push(v);
  }
  const diff: RunDiff = { newlyRefused: [], newlyAnswered: [], stillRefused: [], stillAnswered: 0, onlyOld, onlyNew: [], byModel: {}, old: countOf(oldRun), new: countOf(newRun) };
  for (const v of newRun) {
    const k = keyOf(v, key);
    const partner = k === null ? undefined : queues.get(k)?.shift();
    if (!partner) {
      diff.onlyNew.push(v);
      continue;
    }
    const pair = { key: k!, old: partner, new: v };
    const was = partner.label === 'refusal';
    const is = v.label === 'refusal';
    if (!was && is) diff.newlyRefused.push(pair);
    else if (was && !is) diff.newlyAnswered.push(pair);
    else if (was && is) diff.stillRefused.push(pair);
    else diff.stillAnswered++;
  }
  // one at a time: a key may be left with more verdicts than push takes as arguments
  for (const q of queues.values()) for (const v of q) diff.onlyOld.push(v);
  const oldModels = groupByModel(oldRun);
  const newModels = groupByModel(newRun);
  for (const name of [...new Set([...oldModels.keys(), ...newModels.keys()])].sort()) {
    const o = oldModels.get(name);
    const n = newModels.get(name);
    diff.byModel[name] = { old: o ? countOf(o) : null, new: n ? countOf(n) : null };
  }
  return diff;
}
