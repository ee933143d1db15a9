import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { selectionText } from '../../../client/src/selectionText';
import { statusView } from '../../../client/src/statusText';
import type { DocumentStats } from '../../../server/src/shared/protocol';
import { formatRate } from '../../../server/src/shared/protocol';

const base: DocumentStats = {
  uri: 'file:///a.jsonl',
  version: 3,
  format: 'openai-chat',
  responses: 40,
  refusals: 5,
  overRefusals: 1,
  rate: 5 / 40,
  parseErrors: 0,
  state: { kind: 'ready' },
  detector: { name: 'distilroberta-base-rejection-v1', kind: 'model' },
};

test('ready: the rate, the counts and the detector; click opens the results', () => {
  const v = statusView(base, 'running', true)!;
  assert.equal(v.text, 'Refusals 12.5% (5/40) · model');
  assert.equal(v.tone, 'normal');
  assert.equal(v.click, 'results');
  assert.match(v.tooltip, /Detector: distilroberta-base-rejection-v1 \(model\)/);
  assert.match(v.tooltip, /1 over-refusals/);
});

test('classifying shows a spinner with progress; loading the model says so', () => {
  assert.equal(statusView({ ...base, state: { kind: 'classifying', done: 120, total: 5000 } }, 'running', true)!.text, '$(loading~spin) Refusals: 120/5000');
  assert.equal(statusView({ ...base, state: { kind: 'loading-model' } }, 'running', true)!.text, '$(loading~spin) Refusals: loading model');
});

test('lexical fallback and restricted mode are warnings that say why; errors open the logs', () => {
  const lexical = { name: 'lexical', kind: 'lexical' as const };
  const fb = statusView({ ...base, detector: lexical, state: { kind: 'lexical-fallback', reason: 'no model folder is set' } }, 'running', true)!;
  assert.equal(fb.text, '$(warning) Refusals 12.5% (5/40) · lexical');
  assert.equal(fb.tone, 'warning');
  assert.match(fb.tooltip, /Lexical fallback: no model folder is set/);
  const r = statusView({ ...base, detector: lexical, state: { kind: 'restricted' } }, 'running', true)!;
  assert.equal(r.tone, 'warning');
  assert.match(r.text, /\(restricted\)$/);
  const e = statusView({ ...base, state: { kind: 'error', message: 'boom' } }, 'running', true)!;
  assert.deepEqual([e.text, e.tone, e.click], ['$(error) Refusals: error', 'error', 'logs']);
  assert.match(e.tooltip, /boom/);
});

test('hidden for documents not read; a stopped server is an error on documents it would read', () => {
  assert.equal(statusView({ ...base, format: null }, 'running', true), null);
  assert.equal(statusView(undefined, 'running', true), null);
  assert.equal(statusView(undefined, 'stopped', false), null);
  const s = statusView(undefined, 'stopped', true, 'it failed to start: spawn ENOENT')!;
  assert.equal(s.tone, 'error');
  assert.match(s.tooltip, /spawn ENOENT/);
});

test('rates: one decimal, whole numbers at the ends', () => {
  assert.deepEqual([formatRate(0), formatRate(1), formatRate(0.125), formatRate(1 / 3)], ['0%', '100%', '12.5%', '33.3%']);
});

test('a JSON selection is read with its escapes; other text is sent as it is', () => {
  assert.equal(selectionText('I can\\u2019t help.\\nSorry', 'jsonl'), 'I can\u2019t help.\nSorry');
  assert.equal(selectionText('"quoted \\"text\\""', 'json'), 'quoted "text"');
  assert.equal(selectionText('a \\ lone backslash', 'json'), 'a \\ lone backslash');
  assert.equal(selectionText('I can\\u2019t', 'markdown'), 'I can\\u2019t');
});
