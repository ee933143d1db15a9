import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { ModelDetector, type ModelDetectorOptions } from '../../server/src/classify/model/modelDetector';
import { writeTestModel, type TestModelInfo } from '../../scripts/testModel/writeTestModel';

/** A generated tiny model in a temporary folder, removed after the test file. */
export function tinyModel(options: { tokenizer?: 'auto' | 'generated' } = {}): TestModelInfo {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'rl-model-'));
  test.after(() => fs.rmSync(root, { recursive: true, force: true }));
  return writeTestModel({ preset: 'tiny', out: path.join(root, 'tiny'), tokenizer: options.tokenizer ?? 'auto' });
}

/** A model detector over a model folder, disposed after the test file. */
export function detectorFor(dir: string, options: Partial<ModelDetectorOptions> = {}): ModelDetector {
  const d = new ModelDetector({
    model: { dir, onnxFile: path.join(dir, 'onnx/model.onnx'), id: path.basename(dir), identity: `test:${dir}` },
    mode: 'full',
    maxTokens: 512,
    threads: 1,
    ...options,
  });
  test.after(() => d.dispose());
  return d;
}

/** Responses of many shapes and lengths. */
export const SAMPLE_TEXTS = [
  "I'm sorry, but I can't help with that.",
  'The capital of Mongolia is Ulaanbaatar.',
  'Sure! Here is a recipe for pancakes.\n\n1. Mix flour, eggs and milk.\n2. Fry in butter.',
  'I cannot assist with that request. However, I can point you to safety resources.',
  '',
  '   ',
  'No.',
  'As an AI language model, I must decline. Is there anything else I can help with?',
  'Ünïcödé, emoji 😀, 中文文本, עברית, and combining marks: e\u0301.',
  'word '.repeat(700),
  'Photosynthesis turns light into chemical energy. Plants use chlorophyll. Oxygen is released as a by-product. '.repeat(12),
];
