import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { ResultCache } from '../../../server/src/classify/resultCache';

const r = (score: number) => ({ score, sentence: null });

test('keys differ by model files, mode, maxTokens and text', () => {
  const base = ResultCache.key(ResultCache.scope('hub:a@1', 'full', 512), 'text');
  assert.notEqual(base, ResultCache.key(ResultCache.scope('hub:a@2', 'full', 512), 'text'));
  assert.notEqual(base, ResultCache.key(ResultCache.scope('hub:a@1', 'sentence', 512), 'text'));
  assert.notEqual(base, ResultCache.key(ResultCache.scope('hub:a@1', 'full', 128), 'text'));
  assert.notEqual(base, ResultCache.key(ResultCache.scope('hub:a@1', 'full', 512), 'text '));
  assert.equal(base, ResultCache.key(ResultCache.scope('hub:a@1', 'full', 512), 'text'));
});

test('bounded by entries: the least recently used goes first', () => {
  const cache = new ResultCache({ maxEntries: 2, maxBytes: 1e9 });
  cache.set('a', r(0.1));
  cache.set('b', r(0.2));
  cache.get('a');
  cache.set('c', r(0.3));
  assert.equal(cache.size, 2);
  assert.equal(cache.get('b'), undefined);
  assert.equal(cache.get('a')?.score, 0.1);
});

test('bounded by bytes', () => {
  const cache = new ResultCache({ maxEntries: 1e9, maxBytes: 10_000 });
  for (let i = 0; i < 1000; i++) cache.set(ResultCache.key('s', String(i)), r(i));
  assert.ok(cache.approximateBytes <= 10_000);
  assert.ok(cache.size > 10 && cache.size < 100);
  assert.equal(cache.get(ResultCache.key('s', '999'))?.score, 999);
});
