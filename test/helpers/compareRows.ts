import type { CompareSummary } from '../../server/src/shared/compareSummary';
import type { ChangeKind, ResultRow, RowBefore } from '../../server/src/shared/resultRow';
import { makeRow } from './resultRows';

/** The OLD side of a compared pair, with defaults. */
export function makeBefore(overrides: Partial<RowBefore> = {}): RowBefore {
  return {
    uri: 'file:///work/evals/old.jsonl',
    file: 'evals/old.jsonl',
    id: 'line 3: messages[1].content',
    model: 'gpt-4o',
    label: 'normal',
    overRefusal: false,
    score: 0.05,
    range: { start: { line: 2, character: 90 }, end: { line: 2, character: 120 } },
    response: 'Here is how.',
    sentence: null,
    ...overrides,
  };
}

/** A row of a comparison: NEW with its OLD side; labels follow the change unless given. */
export function makeDiffRow(change: ChangeKind, overrides: Partial<ResultRow> = {}, old: Partial<RowBefore> = {}): ResultRow {
  const now = change === 'newly-answered' ? 'normal' : 'refusal';
  const before = change === 'newly-refused' ? 'normal' : 'refusal';
  return makeRow({
    uri: 'file:///work/evals/new.jsonl',
    file: 'evals/new.jsonl',
    label: now,
    score: now === 'refusal' ? 0.95 : 0.05,
    response: now === 'refusal' ? "I can't help with that." : 'Here is how.',
    ...overrides,
    diff: { change, old: makeBefore({ label: before, score: before === 'refusal' ? 0.9 : 0.05, response: before === 'refusal' ? 'No.' : 'Here is how.', ...old }) },
  });
}

export function makeSummary(overrides: Partial<CompareSummary> = {}): CompareSummary {
  return {
    oldUri: 'file:///work/evals/old.jsonl',
    newUri: 'file:///work/evals/new.jsonl',
    oldFile: 'evals/old.jsonl',
    newFile: 'evals/new.jsonl',
    key: 'prompt',
    old: { responses: 8, refusals: 3, overRefusals: 0, rate: 0.375 },
    new: { responses: 8, refusals: 4, overRefusals: 1, rate: 0.5 },
    newlyRefused: 2,
    newlyAnswered: 1,
    stillRefused: 2,
    stillAnswered: 3,
    onlyOld: 0,
    onlyNew: 0,
    byModel: [
      { model: 'claude-3-haiku', old: { responses: 4, refusals: 2, overRefusals: 0, rate: 0.5 }, new: { responses: 4, refusals: 1, overRefusals: 0, rate: 0.25 } },
      { model: 'gpt-4o', old: { responses: 4, refusals: 1, overRefusals: 0, rate: 0.25 }, new: { responses: 4, refusals: 3, overRefusals: 1, rate: 0.75 } },
    ],
    parseErrors: { old: 0, new: 0 },
    ...overrides,
  };
}
