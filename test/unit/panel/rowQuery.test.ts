import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { DEFAULT_QUERY, defaultDescending, modelsIn, queryRows, UNKNOWN_MODEL } from '../../../client/src/panel/rowQuery';
import type { RowQuery } from '../../../client/src/panel/rowQuery';
import { makeRow, syntheticRows } from '../../helpers/resultRows';

const rows = [
  makeRow({ file: 'b/run10.json', model: 'gpt-4o', label: 'refusal', score: 0.9, response: 'I cannot help with that.' }),
  makeRow({ file: 'b/run9.json', model: 'claude', label: 'normal', score: 0.2, prompt: 'Tell me about Paris', response: 'Paris is the capital.' }),
  makeRow({ file: 'a/run1.json', model: null, label: 'refusal', overRefusal: true, score: 0.7, prompt: 'How do I kill a Python process?', response: "Sorry, I can't help." }),
  makeRow({ file: 'a/run2.json', model: 'gpt-4o', label: 'normal', score: 0.2, prompt: null, response: 'Sure: RÉSUMÉ (a+b)*' }),
];
const q = (over: Partial<RowQuery>): RowQuery => ({ ...DEFAULT_QUERY, ...over });

test('the default query shows every row in its own order', () => {
  assert.deepEqual(queryRows(rows, DEFAULT_QUERY), [0, 1, 2, 3]);
});

test('refusals only / over-refusals only', () => {
  assert.deepEqual(queryRows(rows, q({ refusalsOnly: true })), [0, 2]);
  assert.deepEqual(queryRows(rows, q({ overRefusalsOnly: true })), [2]);
  assert.deepEqual(queryRows(rows, q({ refusalsOnly: true, overRefusalsOnly: true })), [2]);
});

test('model filter, with rows of unknown model under their own name', () => {
  assert.deepEqual(queryRows(rows, q({ model: 'gpt-4o' })), [0, 3]);
  assert.deepEqual(queryRows(rows, q({ model: UNKNOWN_MODEL })), [2]);
  assert.deepEqual(queryRows(rows, q({ model: 'absent' })), []);
  assert.deepEqual(modelsIn(rows), [UNKNOWN_MODEL, 'claude', 'gpt-4o']);
});

test('text search: case-insensitive, literal, over prompt, response and file', () => {
  assert.deepEqual(queryRows(rows, q({ text: 'PARIS' })), [1], 'prompt and response');
  assert.deepEqual(queryRows(rows, q({ text: 'a/run' })), [2, 3], 'file');
  assert.deepEqual(queryRows(rows, q({ text: 'kill' })), [2], 'prompt only');
  assert.deepEqual(queryRows(rows, q({ text: '(a+b)*' })), [3], 'regex characters are literal');
  assert.deepEqual(queryRows(rows, q({ text: 'résumé' })), [3], 'non-ASCII case folding');
  assert.deepEqual(queryRows(rows, q({ text: '   ' })), [0, 1, 2, 3], 'blank search is no search');
  assert.deepEqual(queryRows(rows, q({ text: 'gpt-4o' })), [], 'the model is the model filter, not the search');
});

test('sort by score, highest first by default, ties in row order in both directions', () => {
  assert.equal(defaultDescending('score'), true);
  assert.deepEqual(queryRows(rows, q({ sort: 'score', descending: true })), [0, 2, 1, 3]);
  assert.deepEqual(queryRows(rows, q({ sort: 'score', descending: false })), [1, 3, 2, 0]);
});

test('sort by file uses natural order (run9 before run10); by model; by label', () => {
  assert.deepEqual(queryRows(rows, q({ sort: 'file' })), [2, 3, 1, 0]);
  assert.deepEqual(queryRows(rows, q({ sort: 'model' })), [2, 1, 0, 3]);
  assert.deepEqual(queryRows(rows, q({ sort: 'label', descending: true })), [2, 0, 1, 3]);
  assert.deepEqual(queryRows(rows, q({ sort: 'order', descending: true })), [3, 2, 1, 0]);
});

test('filters and sort compose over 50,000 rows', () => {
  const many = syntheticRows(50_000);
  const shown = queryRows(many, q({ refusalsOnly: true, model: 'gpt-4o', sort: 'score', descending: true }));
  assert.equal(shown.length, many.filter((r) => r.label === 'refusal' && r.model === 'gpt-4o').length);
  for (let i = 1; i < shown.length; i++) assert.ok(many[shown[i - 1]].score >= many[shown[i]].score);
  assert.ok(shown.every((i) => many[i].label === 'refusal' && many[i].model === 'gpt-4o'));
  assert.deepEqual(queryRows(many, q({ text: 'request 49996' })), [49996]);
});
