import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CancelledError } from '../../../server/src/classify/detector';
import { LexicalDetector } from '../../../server/src/classify/lexical/lexicalDetector';
import { LexicalPool } from '../../../server/src/classify/pool/lexicalPool';

const texts = fs
  .readFileSync(path.resolve(__dirname, '../../fixtures/lexical/holdout.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((l) => (JSON.parse(l) as { text: string }).text);

test('the lexical detector in worker threads gives exactly what it gives in this thread, in order', async () => {
  const pool = new LexicalPool(3);
  try {
    const many = [...texts, ...texts, ...texts].map((t, i) => (i % 5 === 0 ? `${t} (${i})` : t));
    const progress: number[] = [];
    const [pooled, direct] = await Promise.all([pool.classify(many, { onProgress: (d) => progress.push(d) }), new LexicalDetector().classify(many)]);
    assert.deepEqual(pooled, direct);
    assert.equal(progress[progress.length - 1], many.length);
    assert.ok(direct.some((c) => c.score > 0.5) && direct.some((c) => c.score <= 0.5), 'both verdicts occur');
    assert.equal(pool.kind, 'lexical');
    assert.equal(pool.name, new LexicalDetector().name);
    // calls at the same time each get their own answers
    const a = texts.slice(0, 50);
    const b = texts.slice(50, 120);
    const [ra, rb] = await Promise.all([pool.classify(a), pool.classify(b)]);
    assert.deepEqual(ra, await new LexicalDetector().classify(a));
    assert.deepEqual(rb, await new LexicalDetector().classify(b));
    assert.deepEqual(await pool.classify([]), []);
  } finally {
    await pool.dispose();
  }
});

test('a cancelled call rejects at once; the pool goes on serving; dispose stops the workers', async () => {
  const pool = new LexicalPool(2);
  const controller = new AbortController();
  const big = Array.from({ length: 40 }, () => texts).flat();
  const started = Date.now();
  const call = pool.classify(big, { signal: controller.signal });
  setTimeout(() => controller.abort(), 5);
  await assert.rejects(call, CancelledError);
  assert.ok(Date.now() - started < 5000);
  await assert.rejects(pool.classify(texts, { signal: controller.signal }), CancelledError);
  assert.deepEqual(await pool.classify(texts.slice(0, 3)), await new LexicalDetector().classify(texts.slice(0, 3)));
  await pool.dispose();
});

test('dispose during a call: the call rejects with CancelledError instead of waiting for ever', async () => {
  const pool = new LexicalPool(2);
  const call = pool.classify(Array.from({ length: 40 }, () => texts).flat()).then(
    () => 'finished',
    (e: Error) => (e instanceof CancelledError ? 'cancelled' : `failed: ${e.message}`),
  );
  await new Promise((resolve) => setTimeout(resolve, 20));
  await pool.dispose();
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([call, new Promise((resolve) => (timer = setTimeout(() => resolve('still waiting after 5 s'), 5000)))]);
  clearTimeout(timer);
  assert.equal(outcome, 'cancelled');
});

test('a disposed pool stays disposed: a later call is cancelled and starts no workers', async () => {
  const pool = new LexicalPool(2);
  await pool.classify(texts.slice(0, 3));
  await pool.dispose();
  await assert.rejects(pool.classify(texts.slice(0, 3)), CancelledError);
});
