import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { diffRuns } from '../../../server/src/engine/diff';
import type { ResponseRecord } from '../../../server/src/formats/records';
import { compareSummary, diffRows, toDiffRow, type RunPlace } from '../../../server/src/lsp/diffRows';
import type { Verdict } from '../../../server/src/verdicts/verdict';

const range = (line: number, from: number, to: number) => ({ start: { line, character: from }, end: { line, character: to } });

function verdict(o: { line: number; prompt: string; text: string; refusal: boolean; model?: string | null; sentence?: [number, number]; entry?: string; over?: boolean }): Verdict {
  const responseRange = range(o.line, 10, 10 + o.text.length);
  const response: ResponseRecord = {
    id: `line ${o.line + 1}: messages[1].content`,
    text: o.text,
    range: responseRange,
    map: { textLength: o.text.length, range: (s: number, e: number) => range(o.line, 10 + s, 10 + e) } as ResponseRecord['map'],
    prompt: o.prompt,
    promptRange: null,
    model: o.model === undefined ? 'm1' : o.model,
    expected: null,
    entry: o.entry,
    metadata: {},
  };
  const s = o.sentence;
  return {
    response,
    label: o.refusal ? 'refusal' : 'normal',
    score: o.refusal ? 0.9 : 0.1,
    detector: 'lexical',
    detectorName: 'lexical',
    overRefusal: o.over ?? false,
    sentence: s ? { range: response.map.range(s[0], s[1]), text: o.text.slice(s[0], s[1]) } : null,
  };
}

const OLD: RunPlace = { uri: 'file:///w/old.jsonl', file: 'old.jsonl', format: 'openai-chat' };
const NEW: RunPlace = { uri: 'file:///w/new.jsonl', file: 'new.jsonl', format: 'openai-chat' };

test('a pair becomes the NEW row with the OLD side and the change alongside', () => {
  const o = verdict({ line: 4, prompt: 'p', text: 'Sure, here it is.', refusal: false });
  const n = verdict({ line: 0, prompt: 'p', text: 'Well. I cannot do that.', refusal: true, sentence: [6, 23], over: true });
  const row = toDiffRow({ key: 'p', old: o, new: n }, 'newly-refused', OLD, NEW);
  assert.equal(row.uri, NEW.uri);
  assert.equal(row.file, 'new.jsonl');
  assert.equal(row.format, 'openai-chat');
  assert.deepEqual(row.range, range(0, 16, 33), 'the refusing sentence of NEW');
  assert.equal(row.sentence, 'I cannot do that.');
  assert.equal(row.overRefusal, true);
  assert.deepEqual(row.diff, {
    change: 'newly-refused',
    old: { uri: OLD.uri, file: 'old.jsonl', id: 'line 5: messages[1].content', model: 'm1', label: 'normal', overRefusal: false, score: 0.1, range: range(4, 10, 27), response: 'Sure, here it is.', sentence: null },
  });
});

test('archive members name the file; long OLD responses are excerpts', () => {
  const o = verdict({ line: 2, prompt: 'p', text: `I refuse. ${'x '.repeat(400)}`, refusal: true, entry: 'samples/1.json' });
  const n = verdict({ line: 2, prompt: 'p', text: 'I refuse again.', refusal: true, entry: 'samples/1.json' });
  const row = toDiffRow({ key: 'p', old: o, new: n }, 'still-refused', OLD, NEW);
  assert.equal(row.file, 'new.jsonl › samples/1.json');
  assert.equal(row.diff!.old.file, 'old.jsonl › samples/1.json');
  assert.ok(row.diff!.old.response.length <= 400 && row.diff!.old.response.endsWith('…'));
});

test('diff rows: changed and still-refused pairs in NEW\'s order; answered-in-both and unmatched left out', () => {
  const oldRun = [
    verdict({ line: 0, prompt: 'a', text: 'fine', refusal: false }),
    verdict({ line: 1, prompt: 'b', text: 'no', refusal: true }),
    verdict({ line: 2, prompt: 'c', text: 'no', refusal: true }),
    verdict({ line: 3, prompt: 'd', text: 'fine', refusal: false }),
    verdict({ line: 4, prompt: 'gone', text: 'no', refusal: true }),
  ];
  const newRun = [
    verdict({ line: 0, prompt: 'd', text: 'fine', refusal: false }),
    verdict({ line: 1, prompt: 'c', text: 'still no', refusal: true }),
    verdict({ line: 2, prompt: 'b', text: 'ok then', refusal: false, model: 'm2' }),
    verdict({ line: 3, prompt: 'a', text: 'no', refusal: true }),
    verdict({ line: 4, prompt: 'fresh', text: 'no', refusal: true }),
  ];
  const diff = diffRuns(oldRun, newRun, 'prompt');
  const rows = diffRows(diff, newRun, OLD, NEW);
  assert.deepEqual(rows.map((r) => [r.prompt, r.diff?.change, r.range.start.line, r.diff?.old.range.start.line]), [
    ['c', 'still-refused', 1, 2],
    ['b', 'newly-answered', 2, 1],
    ['a', 'newly-refused', 3, 0],
  ]);
  const s = compareSummary(diff, 'prompt', OLD, NEW, { old: 0, new: 2 });
  assert.deepEqual([s.newlyRefused, s.newlyAnswered, s.stillRefused, s.stillAnswered, s.onlyOld, s.onlyNew], [1, 1, 1, 1, 1, 1]);
  assert.deepEqual([s.oldFile, s.newFile, s.key], ['old.jsonl', 'new.jsonl', 'prompt']);
  assert.deepEqual(s.old, { responses: 5, refusals: 3, overRefusals: 0, rate: 0.6 });
  assert.deepEqual(s.byModel, [
    { model: 'm1', old: { responses: 5, refusals: 3, overRefusals: 0, rate: 0.6 }, new: { responses: 4, refusals: 3, overRefusals: 0, rate: 0.75 } },
    { model: 'm2', old: null, new: { responses: 1, refusals: 0, overRefusals: 0, rate: 0 } },
  ]);
  assert.deepEqual(s.parseErrors, { old: 0, new: 2 });
  // plain data: it crosses two message boundaries
  assert.deepEqual(JSON.parse(JSON.stringify(rows)), rows);
  assert.deepEqual(JSON.parse(JSON.stringify(s)), s);
});
