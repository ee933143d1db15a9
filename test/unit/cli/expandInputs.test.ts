import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expandInputs, globToRegExp } from '../../../server/src/cli/expandInputs';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rl-inputs-'));
for (const f of ['a/x.jsonl', 'a/b/y.jsonl', 'a/b/z.json', 'a/notes.txt', 'node_modules/m.json', 'c.md']) {
  fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
  fs.writeFileSync(path.join(dir, f), '');
}
const rel = (files: string[]) => files.map((f) => path.relative(dir, f).split(path.sep).join('/'));

test('folders: files of the scanned extensions, sorted, dependency folders skipped', () => {
  assert.deepEqual(rel(expandInputs([dir]).files), ['a/b/y.jsonl', 'a/b/z.json', 'a/x.jsonl', 'c.md']);
});

test('globs: *, ** and {a,b}, relative to the working directory', () => {
  assert.deepEqual(rel(expandInputs(['**/*.jsonl'], dir).files), ['a/b/y.jsonl', 'a/x.jsonl']);
  assert.deepEqual(rel(expandInputs(['a/*.jsonl'], dir).files), ['a/x.jsonl']);
  assert.deepEqual(rel(expandInputs(['a/b/*.{json,jsonl}'], dir).files), ['a/b/y.jsonl', 'a/b/z.json']);
  assert.ok(globToRegExp('**/*.json').test('x.json'));
  assert.ok(!globToRegExp('*.json').test('a/x.json'));
});

test('a named file is taken whatever its extension; what matches nothing is reported', () => {
  const r = expandInputs(['a/notes.txt', 'missing.jsonl', '*.csv', 'a/x.jsonl', 'a/x.jsonl'], dir);
  assert.deepEqual(rel(r.files), ['a/notes.txt', 'a/x.jsonl']);
  assert.deepEqual(r.missing, ['missing.jsonl', '*.csv']);
});
