import type { DiffPair, RunDiff } from '../engine/diff';
import type { RateCount } from '../engine/summary';
import type { CompareKey, CompareSummary, RunCounts } from '../shared/protocol';
import type { ChangeKind, ResultRow, RowBefore } from '../shared/resultRow';
import type { Verdict } from '../verdicts/verdict';
import { toResultRow } from './resultRows';

/** One side of a compared run as the panel names it. */
export interface RunPlace {
  uri: string;
  /** The path users see. */
  file: string;
  format: string | null;
}

/** The OLD side of a pair, in the panel's short form. */
export function toRowBefore(v: Verdict, run: RunPlace): RowBefore {
  const row = toResultRow(v, run.uri, run.file, run.format);
  return { uri: row.uri, file: row.file, id: row.id, model: row.model, label: row.label, overRefusal: row.overRefusal, score: row.score, range: row.range, response: row.response, sentence: row.sentence };
}

/** A matched pair as one panel row: the NEW response, with the OLD one and the change alongside. */
export function toDiffRow(pair: DiffPair, change: ChangeKind, oldRun: RunPlace, newRun: RunPlace): ResultRow {
  return { ...toResultRow(pair.new, newRun.uri, newRun.file, newRun.format), diff: { change, old: toRowBefore(pair.old, oldRun) } };
}

/**
 * The rows of a diff: newly refused, newly answered and still refused pairs (pairs answered in
 * both runs are left out), in the NEW run's order. `newOrder` is the NEW run's verdicts as read.
 */
export function diffRows(diff: RunDiff, newOrder: readonly Verdict[], oldRun: RunPlace, newRun: RunPlace): ResultRow[] {
  const position = new Map<Verdict, number>();
  newOrder.forEach((v, i) => position.set(v, i));
  const tagged: Array<{ at: number; row: ResultRow }> = [];
  const add = (pairs: readonly DiffPair[], change: ChangeKind) => {
    for (const p of pairs) tagged.push({ at: position.get(p.new) ?? Number.MAX_SAFE_INTEGER, row: toDiffRow(p, change, oldRun, newRun) });
  };
  add(diff.newlyRefused, 'newly-refused');
  add(diff.newlyAnswered, 'newly-answered');
  add(diff.stillRefused, 'still-refused');
  return tagged.sort((a, b) => a.at - b.at).map((t) => t.row);
}

function counts(c: RateCount): RunCounts {
  return { responses: c.responses, refusals: c.refusals, overRefusals: c.overRefusals, rate: c.rate };
}

export function compareSummary(diff: RunDiff, key: CompareKey, oldRun: RunPlace, newRun: RunPlace, parseErrors: { old: number; new: number }): CompareSummary {
  return {
    oldUri: oldRun.uri,
    newUri: newRun.uri,
    oldFile: oldRun.file,
    newFile: newRun.file,
    key,
    old: counts(diff.old),
    new: counts(diff.new),
    newlyRefused: diff.newlyRefused.length,
    newlyAnswered: diff.newlyAnswered.length,
    stillRefused: diff.stillRefused.length,
    stillAnswered: diff.stillAnswered,
    onlyOld: diff.onlyOld.length,
    onlyNew: diff.onlyNew.length,
    byModel: Object.entries(diff.byModel).map(([model, m]) => ({ model, old: m.old && counts(m.old), new: m.new && counts(m.new) })),
    parseErrors,
  };
}
