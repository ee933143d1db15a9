import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chooseDetector } from '../../../server/src/classify/detectorChoice';
import { choosePrecision, compareScores, MAX_SCORE_DIFF, MIN_AGREEMENT, type PrecisionStep } from '../../../server/src/classify/model/int8Model';
import type { ModelDetector } from '../../../server/src/classify/model/modelDetector';
import { INT8_BATCH_LIMITS } from '../../../server/src/classify/model/batches';
import { VERIFICATION_TEXTS } from '../../../server/src/classify/model/verificationTexts';
import { readRecord, stampOf, writeRecord } from '../../../server/src/modelStore/quantize/int8Record';
import { decisiveTinyModel, rewriteFloats } from '../../helpers/decisiveModel';
import { runCli } from '../../helpers/runCli';
import { detectorFor, SAMPLE_TEXTS } from '../../helpers/tinyModel';

const modelDir = decisiveTinyModel();

/** A copy of the model folder, removed after the test. */
async function copyOfModel(t: { after(fn: () => void): void }, name: string): Promise<string> {
  const src = await modelDir;
  const dir = path.join(path.dirname(src), name);
  fs.cpSync(src, dir, { recursive: true });
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * Damages an int8 model as a broken quantizer would: every scale tensor reversed (per-channel
 * scales meet the wrong columns) and 8 times too large.
 */
function scrambleScales(file: string): void {
  rewriteFloats(file, (name, v) => (name.endsWith('_scale') ? v.map((x) => x * 8).reverse() : null));
}

test('the verification rule: agreement at least 99% and no score moved by more than 0.3; a NaN fails', () => {
  const n = 106;
  const ref = Array.from({ length: n }, (_, i) => (i % 2 ? 0.9 : 0.45));
  assert.equal(MIN_AGREEMENT, 0.99);
  assert.equal(MAX_SCORE_DIFF, 0.3);
  const same = compareScores(ref, ref);
  assert.deepEqual([same.agreeing, same.passed, same.maxScoreDiff], [n, true, 0]);
  const oneFlip = compareScores(ref, ref.map((x, i) => (i === 0 ? 0.55 : x)));
  assert.deepEqual([oneFlip.agreeing, oneFlip.passed], [n - 1, true], '105/106 = 99.1%');
  const twoFlips = compareScores(ref, ref.map((x, i) => (i < 4 && i % 2 === 0 ? 0.55 : x)));
  assert.deepEqual([twoFlips.agreeing, twoFlips.passed], [n - 2, false], '104/106 = 98.1%');
  const drifted = compareScores(ref, ref.map((x, i) => (i === 1 ? 0.55 : x)));
  assert.deepEqual([drifted.agreeing, drifted.passed], [n, false], 'same labels, but a score moved by 0.35');
  const nan = compareScores(ref, ref.map((x, i) => (i === 3 ? Number.NaN : x)));
  assert.equal(nan.passed, false);
});

test('auto: the int8 model is made, checked against fp32 on the bundled texts, recorded, and used; the next start reads the record', async () => {
  const dir = await modelDir;
  const int8File = path.join(dir, 'onnx/model_quantized.onnx');
  const steps: string[] = [];
  const first = await choosePrecision(dir, 'auto', { threads: 1, onStep: (s: PrecisionStep) => s.step !== 'quantizing' && steps.push(s.step) });
  assert.deepEqual(steps, ['hashing', 'quantized', 'verifying', 'verified']);
  assert.equal(first.used, 'int8');
  assert.equal(first.onnxFile, int8File);
  assert.equal(first.verifiedNow, true);
  const v = first.record!.verification!;
  assert.equal(v.texts, VERIFICATION_TEXTS.length);
  assert.ok(v.texts >= 100);
  assert.equal(v.passed, true);
  assert.ok(v.agreement >= MIN_AGREEMENT && v.maxScoreDiff <= MAX_SCORE_DIFF);
  assert.deepEqual((await readRecord(dir))!.verification, v);
  const again = await choosePrecision(dir, 'auto', { threads: 1 });
  assert.deepEqual([again.used, again.verifiedNow], ['int8', false]);
  const fp32 = await choosePrecision(dir, 'fp32', { threads: 1 });
  assert.deepEqual([fp32.used, fp32.onnxFile, fp32.reason], ['fp32', path.join(dir, 'onnx/model.onnx'), null]);
  // The detector then runs int8 with its own batch limits, and its results are cached apart from fp32's.
  const choice = await chooseDetector('model', { modelPath: dir, threads: 1, precision: 'auto' });
  await choice.detector.dispose();
  const options = (choice.detector as ModelDetector).options;
  assert.deepEqual([options.model.onnxFile, options.batch], [int8File, INT8_BATCH_LIMITS]);
  assert.match(options.model.identity, /#int8:[0-9a-f]{12}:/);
});

test('a damaged int8 model (scales scrambled) is refused by the check, with a message, and fp32 runs instead', async (t) => {
  const dir = await copyOfModel(t, 'damaged');
  await choosePrecision(dir, 'auto', { threads: 1 });
  scrambleScales(path.join(dir, 'onnx/model_quantized.onnx'));
  const choice = await chooseDetector('model', { modelPath: dir, threads: 1, precision: 'int8' });
  t.after(() => choice.detector.dispose());
  assert.equal(choice.precision?.used, 'fp32');
  assert.match(choice.notice ?? '', /^The int8 model was refused: .*; using fp32$/);
  const v = (await readRecord(dir))!.verification!;
  assert.equal(v.passed, false, JSON.stringify(v));
  // What runs is the fp32 model: the same scores as the fp32 detector.
  const scores = await choice.detector.classify(SAMPLE_TEXTS);
  const fp32 = await detectorFor(dir).classify(SAMPLE_TEXTS);
  scores.forEach((s, i) => assert.ok(Math.abs(s.score - fp32[i].score) < 1e-6));
  // Asked for int8 by name, the refusal is said every time; auto says it once, when the check runs.
  const again = await chooseDetector('model', { modelPath: dir, threads: 1, precision: 'int8' });
  await again.detector.dispose();
  assert.match(again.notice ?? '', /refused/);
  const auto = await chooseDetector('model', { modelPath: dir, threads: 1, precision: 'auto' });
  await auto.detector.dispose();
  assert.deepEqual([auto.notice, auto.precision?.used], [null, 'fp32']);
});

test('an int8 file that onnxruntime cannot load costs nothing but int8: the fp32 model is loaded, and the notice says why', async (t) => {
  const dir = await copyOfModel(t, 'unloadable');
  await choosePrecision(dir, 'auto', { threads: 1 });
  // Verified, then broken on disk in a way its record cannot see (same size; the record updated to its date).
  const file = path.join(dir, 'onnx/model_quantized.onnx');
  fs.writeFileSync(file, Buffer.alloc(fs.statSync(file).size, 7));
  const record = (await readRecord(dir))!;
  await writeRecord(dir, { ...record, output: { ...record.output, ...(await stampOf(file))! } });
  assert.equal((await choosePrecision(dir, 'int8', { threads: 1 })).used, 'int8', 'the record vouches for it');
  const choice = await chooseDetector('model', { modelPath: dir, threads: 1, precision: 'int8' });
  t.after(() => choice.detector.dispose());
  assert.equal(choice.detector.kind, 'model');
  assert.equal(choice.precision?.used, 'fp32');
  assert.match(choice.notice ?? '', /^The int8 model cannot be loaded \(.*\); using fp32$/);
  assert.equal((await (choice.detector as ModelDetector).classify(['Hello.'])).length, 1);
});

test('the CLI: model quantize makes and checks the int8 model, model status shows the figures, scan --precision chooses', async (t) => {
  const dir = await copyOfModel(t, 'cli');
  fs.rmSync(path.join(dir, 'onnx/model_quantized.onnx'), { force: true });
  fs.rmSync(path.join(dir, 'onnx/model_quantized.json'), { force: true });
  const before = await runCli(['model', 'status', '--model', dir]);
  assert.match(before.stdout, /int8 +not made yet/);
  const q = await runCli(['model', 'quantize', '--model', dir, '--threads', '1']);
  assert.equal(q.code, 0, q.stderr);
  assert.match(q.stdout, /^int8 model ready: .*model_quantized\.onnx/);
  assert.match(q.stderr, /checking the int8 model against fp32 on \d+ texts\nint8 verified: labels agree on (\d+)\/\1 texts/);
  const status = await runCli(['model', 'status', '--model', dir]);
  assert.match(status.stdout, /int8 +.*model_quantized\.onnx\n.*quantized .* weights per-channel, embeddings per-tensor, 12 MatMul, 2 Gemm, [01] Gather\n +verified: labels agree on \d+\/\d+ texts \(100%, required 99%\), largest score difference [\d.]+ \(allowed 0\.3\)/);
  const file = path.join(dir, 'chat.jsonl');
  fs.writeFileSync(file, `${JSON.stringify({ messages: [{ role: 'user', content: 'q' }, { role: 'assistant', content: SAMPLE_TEXTS[0] }] })}\n`);
  const scores: Record<string, number> = {};
  for (const precision of ['fp32', 'int8']) {
    const r = await runCli(['scan', file, '--model', dir, '--precision', precision, '--format', 'json', '--threads', '1']);
    assert.equal(r.code, 0, r.stderr);
    scores[precision] = JSON.parse(r.stdout).files[0].responses[0].score;
  }
  assert.notEqual(scores.fp32, scores.int8, 'the int8 model ran');
  assert.ok(Math.abs(scores.fp32 - scores.int8) < MAX_SCORE_DIFF);
});
