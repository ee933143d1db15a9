import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CancelledError } from '../../../server/src/classify/detector';
import { InferenceEngine } from '../../../server/src/classify/model/inferenceEngine';
import { ResultCache } from '../../../server/src/classify/resultCache';
import { InferenceWorkerError } from '../../../server/src/classify/model/workerClient';
import { sentenceSpans } from '../../../server/src/classify/sentences';
import { detectorFor, SAMPLE_TEXTS, tinyModel } from '../../helpers/tinyModel';

const model = tinyModel();
const onnxFile = path.join(model.dir, 'onnx/model.onnx');

/** Texts of many lengths, for batching. */
const VARIED = Array.from({ length: 40 }, (_, i) => `${SAMPLE_TEXTS[i % SAMPLE_TEXTS.length]} (${i}) ${'more words here '.repeat(i % 7)}`);

test('the generated tiny model loads and classifies through the worker, as the engine does in-process', async () => {
  const detector = detectorFor(model.dir);
  const info = await detector.load();
  assert.deepEqual(info.labels, ['NORMAL', 'REJECTION']);
  assert.equal(info.rejectionIndex, 1);
  const results = await detector.classify(SAMPLE_TEXTS);
  assert.equal(results.length, SAMPLE_TEXTS.length);
  const engine = await InferenceEngine.load({ dir: model.dir, onnxFile }, { tuning: { threads: 1 }, batch: { maxRows: 1 } });
  const direct = await engine.classify(SAMPLE_TEXTS, 'full', 512);
  await engine.release();
  results.forEach((r, i) => {
    assert.ok(r.score >= 0 && r.score <= 1);
    assert.ok(Math.abs(r.score - direct[i].score) < 1e-5, `text ${i}: ${r.score} vs ${direct[i].score}`);
  });
  assert.ok(new Set(results.map((r) => r.score.toFixed(4))).size > 3, 'the tiny model scores texts differently');
});

test('the score is the probability of the label config.json calls REJECTION, wherever it is', async (t) => {
  const swapped = path.join(path.dirname(model.dir), 'swapped');
  fs.cpSync(model.dir, swapped, { recursive: true });
  t.after(() => fs.rmSync(swapped, { recursive: true, force: true }));
  const config = JSON.parse(fs.readFileSync(path.join(swapped, 'config.json'), 'utf8'));
  config.id2label = { 0: 'REJECTION', 1: 'NORMAL' };
  fs.writeFileSync(path.join(swapped, 'config.json'), JSON.stringify(config));
  const [normal, flipped] = await Promise.all([detectorFor(model.dir).classify(SAMPLE_TEXTS.slice(0, 4)), detectorFor(swapped).classify(SAMPLE_TEXTS.slice(0, 4))]);
  normal.forEach((r, i) => assert.ok(Math.abs(r.score + flipped[i].score - 1) < 1e-6));
});

test('batches of similar length give the same scores as one text at a time, in fewer runs', async () => {
  const batched = detectorFor(model.dir);
  const single = detectorFor(model.dir, { batch: { maxRows: 1 } });
  const together = await batched.classify(VARIED);
  assert.ok(batched.sessionRuns < VARIED.length / 2, `${batched.sessionRuns} runs for ${VARIED.length} texts`);
  const alone = await single.classify(VARIED);
  assert.equal(single.sessionRuns, new Set(VARIED).size);
  together.forEach((r, i) => assert.ok(Math.abs(r.score - alone[i].score) < 1e-5, `text ${i}: ${r.score} vs ${alone[i].score}`));
});

test('a cancelled request rejects with CancelledError, its remaining batches are dropped, and the worker keeps serving', async () => {
  const detector = detectorFor(model.dir, { batch: { maxRows: 1 } });
  await detector.load();
  const texts = Array.from({ length: 400 }, (_, i) => `Text number ${i}. ${'Some words to classify. '.repeat(20)}`);
  const controller = new AbortController();
  let progressCalls = 0;
  const run = detector.classify(texts, {
    signal: controller.signal,
    onProgress: (done) => {
      progressCalls++;
      if (done > 0) controller.abort();
    },
  });
  await assert.rejects(run, CancelledError);
  assert.ok(progressCalls > 0);
  const runsAtCancel = detector.sessionRuns;
  assert.ok(runsAtCancel < texts.length, `${runsAtCancel} runs: the rest were dropped`);
  // Nothing was cached for the cancelled request's unfinished texts, and the worker answers the next one.
  const after = await detector.classify(['Still working?']);
  assert.equal(after.length, 1);
  assert.equal(detector.sessionRuns, runsAtCancel + 1);
});

test('an already aborted signal rejects at once', async () => {
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(detectorFor(model.dir).classify(['x'], { signal: controller.signal }), CancelledError);
});

test('a worker crash rejects the waiting requests with a clear error; the next request starts a new worker', async () => {
  const detector = detectorFor(model.dir, { batch: { maxRows: 1 } });
  await detector.load();
  const texts = Array.from({ length: 300 }, (_, i) => `Crash test ${i}. ${'Words. '.repeat(30)}`);
  const run = detector.classify(texts, { onProgress: (done) => done > 0 && void detector.worker.kill() });
  await assert.rejects(run, (e: Error) => e instanceof InferenceWorkerError && /inference worker stopped/.test(e.message) && /starts it again/.test(e.message));
  const again = await detector.classify(['After the crash.']);
  assert.equal(again.length, 1);
  assert.equal(detector.worker.starts, 2);
});

test('dispose while a request runs: the request is cancelled and the worker leaves between batches (never torn down under onnxruntime)', async () => {
  const detector = detectorFor(model.dir, { batch: { maxRows: 1 } });
  await detector.load();
  const texts = Array.from({ length: 300 }, (_, i) => `Dispose test ${i}. ${'Words. '.repeat(30)}`);
  let disposed: Promise<void> | null = null;
  const run = detector.classify(texts, { onProgress: (done) => void (done > 0 && (disposed ??= detector.dispose())) });
  await assert.rejects(run, CancelledError);
  await disposed;
  assert.ok(detector.sessionRuns < texts.length);
});

test('dispose while the model loads: a call waiting for the load is cancelled, not failed', async () => {
  const detector = detectorFor(model.dir);
  const run = detector.classify(['Waiting for the model.']);
  const disposed = detector.dispose();
  await assert.rejects(run, CancelledError);
  await disposed;
});

test('a disposed detector stays disposed: a later call is cancelled and starts no worker that nobody would stop', async () => {
  const detector = detectorFor(model.dir);
  await detector.classify(['Before the end.']);
  await detector.dispose();
  await assert.rejects(detector.classify(['After the end.']), CancelledError);
  await assert.rejects(detector.load(), CancelledError);
  assert.equal(detector.worker.starts, 1);
});

test('a text scanned again unchanged costs no inference; repeats within a call are classified once', async () => {
  const cache = new ResultCache();
  const detector = detectorFor(model.dir, { cache });
  const texts = [...SAMPLE_TEXTS, SAMPLE_TEXTS[0], SAMPLE_TEXTS[1]];
  const first = await detector.classify(texts);
  assert.equal(detector.inferred, new Set(texts).size);
  const runs = detector.sessionRuns;
  const second = await detector.classify(texts);
  assert.equal(detector.inferred, new Set(texts).size, 'no text sent to the worker again');
  assert.equal(detector.sessionRuns, runs, 'no session run');
  assert.deepEqual(second, first);
  // Another mode or maxTokens is another result: the shared cache does not answer for it.
  const other = detectorFor(model.dir, { cache, maxTokens: 64 });
  await other.classify(texts.slice(0, 3));
  assert.equal(other.inferred, 3);
});

test('sentence mode: the score is the highest sentence score and the span is that sentence', async () => {
  const text = 'Paris is the capital of France.\nI cannot help with hacking into accounts. Let me know if you have other questions!';
  const spans = sentenceSpans(text);
  assert.equal(spans.length, 3);
  const full = detectorFor(model.dir);
  const each = await full.classify(spans.map((s) => text.slice(s.start, s.end)));
  const best = each.reduce((b, r, i) => (r.score > each[b].score ? i : b), 0);
  const [r] = await detectorFor(model.dir, { mode: 'sentence' }).classify([text]);
  assert.ok(Math.abs(r.score - each[best].score) < 1e-6);
  assert.deepEqual(r.sentence, spans[best]);
  // A text without sentences (whitespace) is classified whole, with no span.
  const [blank] = await detectorFor(model.dir, { mode: 'sentence' }).classify(['  \n ']);
  assert.equal(blank.sentence, null);
});

test('full mode: a one-sentence response gets its span; a longer one gets none', async () => {
  const [one, many] = await detectorFor(model.dir).classify(["  I'm sorry, but I can't help with that.  ", 'First sentence. Second sentence.']);
  assert.deepEqual(one.sentence, { start: 2, end: 40 });
  assert.equal(many.sentence, null);
});

test('truncation keeps the special tokens as Python does: the first maxTokens - 2 tokens, then </s>', async () => {
  const engine = await InferenceEngine.load({ dir: model.dir, onnxFile }, { tuning: { threads: 1 } });
  const [long, short] = engine.sequences(['word '.repeat(3000), 'hi'], 'full', 128);
  assert.equal(long.ids.length, 128);
  assert.equal(long.ids[0], engine.tokenizer.prefix[0]);
  assert.equal(long.ids[127], engine.tokenizer.suffix[0]);
  assert.equal(short.ids.length, 3);
  // Asking for more than the model reads gives what it reads (512 for RoBERTa's 514 positions).
  assert.equal(engine.sequences(['word '.repeat(3000)], 'full', 4096)[0].ids.length, 512);
  await engine.release();
});

test('a broken model folder fails to load with a message naming the file', async (t) => {
  const broken = path.join(path.dirname(model.dir), 'broken');
  fs.cpSync(model.dir, broken, { recursive: true });
  t.after(() => fs.rmSync(broken, { recursive: true, force: true }));
  fs.writeFileSync(path.join(broken, 'onnx/model.onnx'), 'not a model');
  await assert.rejects(detectorFor(broken).load(), (e: Error) => e.name === 'ModelLoadError' && e.message.length > 0);
  fs.writeFileSync(path.join(broken, 'config.json'), JSON.stringify({ id2label: { 0: 'NEGATIVE', 1: 'POSITIVE' } }));
  await assert.rejects(detectorFor(broken).load(), /config\.json: id2label has no REJECTION label/);
});
