import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseJson } from '../../../server/src/formats/json/jsonParser';
import { toPlain } from '../../../server/src/formats/json/jsonNode';

test('parses what JSON.parse parses, with offsets', () => {
  const src = '{"a": [1, -2.5e3, true, null, "x\\ny\\u00e9"], "b": {"c": "d"}}';
  const r = parseJson(src);
  assert.deepEqual(r.errors, []);
  assert.deepEqual(toPlain(r.value), JSON.parse(src));
  assert.equal(r.value?.start, 0);
  assert.equal(r.value?.end, src.length);
});

test('a truncated document keeps everything before the cut', () => {
  const r = parseJson('[{"a": "one"}, {"a": "two"}, {"a": "thr');
  assert.equal(r.errors.length >= 1, true);
  assert.deepEqual(toPlain(r.value), [{ a: 'one' }, { a: 'two' }, {}]);
});

test('one bad element costs only itself', () => {
  const r = parseJson('[{"a": 1}, {"a" 2}, {"a": 3}]');
  assert.equal(r.errors.length, 1);
  assert.match(r.errors[0].message, /Expected ':'/);
  assert.equal(r.errors[0].start, 16); // at the 2
  assert.deepEqual(toPlain(r.value), [{ a: 1 }, {}, { a: 3 }]);
});

test('100,000 levels of nesting: no stack overflow, the deep part skipped with an error, siblings kept', () => {
  const deep = '['.repeat(100000) + ']'.repeat(100000);
  const r = parseJson(`{"deep": ${deep}, "after": "kept"}`);
  assert.equal(r.errors.length, 1);
  assert.match(r.errors[0].message, /Nested deeper than/);
  assert.equal((toPlain(r.value) as Record<string, unknown>).after, 'kept');
});

test('empty input and trailing content are errors with places', () => {
  assert.match(parseJson('').errors[0].message, /Empty/);
  const r = parseJson('{"a": 1} x');
  assert.equal(r.errors[0].start, 9);
});

test('an unterminated string stops at the line break', () => {
  const r = parseJson('["ok", "broken\n, "next"]');
  assert.equal(r.errors[0].message, 'Unterminated string');
  assert.equal((toPlain(r.value) as unknown[])[0], 'ok');
});

test("Python's NaN, Infinity and -Infinity (json.dumps writes them) are numbers, not errors", () => {
  const src = '{"value": NaN, "hi": Infinity, "lo": -Infinity, "list": [NaN, 1], "text": "NaN"}';
  const r = parseJson(src);
  assert.deepEqual(r.errors, []);
  const plain = toPlain(r.value) as Record<string, unknown>;
  assert.ok(Number.isNaN(plain.value));
  assert.equal(plain.hi, Infinity);
  assert.equal(plain.lo, -Infinity);
  assert.ok(Number.isNaN((plain.list as number[])[0]));
  assert.equal(plain.text, 'NaN');
  const lo = r.value?.type === 'object' ? r.value.properties[2].value : null;
  assert.equal(src.slice(lo!.start, lo!.end), '-Infinity');
  // a word that only starts like one is still an error, with its place
  const bad = parseJson('[NaNa, Inf]');
  assert.equal(bad.errors.length, 2);
});

test('an error at the very end of a cut document is placed inside it, not past its end', () => {
  for (const src of ['{"score": 0.', '["a\\', '{"a": "\\u00', '[1.5e', '{"a": -']) {
    const r = parseJson(src);
    assert.ok(r.errors.length >= 1, src);
    for (const e of r.errors) assert.ok(e.start <= src.length && e.end <= src.length && e.start <= e.end, `${src}: ${JSON.stringify(e)}`);
  }
});
