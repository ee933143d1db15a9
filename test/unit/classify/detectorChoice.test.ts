import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chooseDetector, defaultThreads, DetectorUnavailableError } from '../../../server/src/classify/detectorChoice';
import { tinyModel } from '../../helpers/tinyModel';

const model = tinyModel();
const none = async () => ({ folder: null, reason: 'No model found. Do this.', considered: [] });

test('lexical when asked for', async () => {
  const { detector, notice } = await chooseDetector('lexical');
  assert.equal(detector.kind, 'lexical');
  assert.equal(notice, null);
});

test('no model: auto falls back to lexical and says why; model fails with the reason', async () => {
  const auto = await chooseDetector('auto', { locate: none });
  assert.equal(auto.detector.kind, 'lexical');
  assert.equal(auto.notice, 'Using the lexical detector: No model found. Do this.');
  await assert.rejects(chooseDetector('model', { locate: none }), (e: Error) => e instanceof DetectorUnavailableError && e.message === 'No model found. Do this.');
});

test('a model folder found under models/ is loaded (findModel\'s order), and one that cannot load falls back', async (t) => {
  const modelsDir = path.join(path.dirname(model.dir), 'models');
  const target = path.join(modelsDir, 'distilroberta-base-rejection-v1');
  fs.cpSync(model.dir, target, { recursive: true });
  t.after(() => fs.rmSync(modelsDir, { recursive: true, force: true }));
  const found = await chooseDetector('auto', { modelsDir, threads: 1 });
  t.after(() => found.detector.dispose());
  assert.equal(found.detector.kind, 'model');
  assert.equal(found.detector.name, 'distilroberta-base-rejection-v1');
  assert.equal(found.notice, null);

  fs.writeFileSync(path.join(target, 'onnx/model.onnx'), 'garbage');
  const broken = await chooseDetector('auto', { modelsDir, threads: 1 });
  assert.equal(broken.detector.kind, 'lexical');
  assert.match(broken.notice ?? '', /^Using the lexical detector: The model in .* cannot be loaded: /);
  await assert.rejects(chooseDetector('model', { modelsDir, threads: 1 }), DetectorUnavailableError);
});

test('threads: every core for the CLI, half for the editor, at least one', () => {
  assert.equal(defaultThreads('cli', 8), 8);
  assert.equal(defaultThreads('editor', 8), 4);
  assert.equal(defaultThreads('editor', 1), 1);
});
