import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseCompareArgs } from '../../../client/src/compareArgs';

/** Stands in for vscode.Uri (the parser is told what a URI is). */
class FakeUri {
  constructor(readonly path: string) {}
}
const isUri = (v: unknown): v is FakeUri => v instanceof FakeUri;
const a = new FakeUri('/w/old.jsonl');
const b = new FakeUri('/w/new.jsonl');
const parse = (...args: unknown[]) => parseCompareArgs(args, isUri);

test('the palette: nothing given, so NEW is the active file and both OLD and the key are asked for', () => {
  assert.deepEqual(parse(), { old: null, new: null, key: null });
});

test('the editor title menu and a single Explorer selection: that file is NEW', () => {
  assert.deepEqual(parse(b, { groupId: 1, editorIndex: 0 }), { old: null, new: b, key: null });
  assert.deepEqual(parse(b, [b]), { old: null, new: b, key: null });
});

test('two files selected in the Explorer: the first selected is OLD', () => {
  assert.deepEqual(parse(b, [a, b]), { old: a, new: b, key: null });
  assert.throws(() => parse(a, [a, b, new FakeUri('/w/third.jsonl')]), /compares two files; 3 are selected/);
});

test('from code: OLD, NEW and the key, no dialogs', () => {
  assert.deepEqual(parse(a, b, { key: 'prompt' }), { old: a, new: b, key: 'prompt' });
  assert.deepEqual(parse(a, b, { key: 'prompt+model' }), { old: a, new: b, key: 'prompt+model' });
  assert.deepEqual(parse(a, b), { old: a, new: b, key: null });
  assert.throws(() => parse(a, b, { key: 'line' }), /unknown matching key "line" \(known: prompt, id, prompt\+model\)/);
});

test('what is not a URI is not taken for a file', () => {
  assert.deepEqual(parse('file:///w/old.jsonl', 'file:///w/new.jsonl', null, 7), { old: null, new: null, key: null });
  assert.deepEqual(parse(['x', 3], b), { old: null, new: b, key: null });
});
