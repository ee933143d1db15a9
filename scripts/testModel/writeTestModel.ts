import * as fs from 'node:fs';
import * as path from 'node:path';
import { encodeModel } from '../../server/src/modelStore/onnx/onnxModel';
import { buildRobertaModel, parameterCount, type RobertaShape, type WeightSpec } from './robertaGraph';
import { SeededRandom } from './seededRandom';
import { generatedTokenizer, vocabularySize, type TokenizerFiles } from './testTokenizer';

/**
 * Writes a test model folder in the Hugging Face layout (config.json, tokenizer.json,
 * tokenizer_config.json, special_tokens_map.json, onnx/model.onnx): a RoBERTa sequence
 * classifier with seeded random weights and labels {0: NORMAL, 1: REJECTION}.
 */

export const PRESETS = {
  /** For tests: generated in well under a second; wide weights so that its scores differ from text to text. */
  tiny: { hiddenSize: 32, layers: 2, heads: 2, intermediateSize: 64, vocabSize: null, weightStd: 0.3 },
  /** The real model's shape (82.1M parameters), for benchmarks: speed does not depend on weight values. */
  'distilroberta-base': { hiddenSize: 768, layers: 6, heads: 12, intermediateSize: 3072, vocabSize: 50265, weightStd: 0.02 },
} as const;

export type PresetName = keyof typeof PRESETS;

/** The real roberta-base tokenizer, read from ../shared where present. */
export const SHARED_TOKENIZER = path.resolve(__dirname, '../../../shared/fixtures/roberta-base-tokenizer');

const TOKENIZER_FILES = ['tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json'] as const;
export const GENERATOR_VERSION = 1;

export interface TestModelOptions {
  preset: PresetName;
  /** The folder to write (replaced if it exists). */
  out: string;
  seed?: number;
  /** 'auto': the shared roberta-base tokenizer when present, else a generated one. Or a folder holding the three tokenizer files. */
  tokenizer?: 'auto' | 'generated' | string;
}

export interface TestModelInfo {
  dir: string;
  preset: PresetName;
  shape: RobertaShape;
  parameters: number;
  tokenizer: 'generated' | string;
  modelBytes: number;
}

/**
 * Where the full-size generated model (distilroberta-base shape, random weights, about 330 MB) is
 * kept for the benchmark, the tuning script and the tests. Tests must not write into it: they
 * quantize to their own temporary folders.
 */
export const FULL_SIZE_DIR = path.resolve(__dirname, '../../.cache/models/distilroberta-base-random');

/** The full-size model's folder, generated there (`onGenerate` first) only when missing or made by another generator version. */
export function fullSizeModel(onGenerate?: () => void): string {
  const configFile = path.join(FULL_SIZE_DIR, 'config.json');
  const marker = fs.existsSync(configFile) ? JSON.parse(fs.readFileSync(configFile, 'utf8')).refusal_lens_test_model : null;
  if (marker?.preset !== 'distilroberta-base' || marker.version !== GENERATOR_VERSION || !fs.existsSync(path.join(FULL_SIZE_DIR, 'onnx/model.onnx'))) {
    onGenerate?.();
    writeTestModel({ preset: 'distilroberta-base', out: FULL_SIZE_DIR });
  }
  return FULL_SIZE_DIR;
}

export function writeTestModel(options: TestModelOptions): TestModelInfo {
  const preset = PRESETS[options.preset];
  if (!preset) throw new Error(`unknown preset "${options.preset}" (known: ${Object.keys(PRESETS).join(', ')})`);
  const seed = options.seed ?? 1234;
  const { files, source } = tokenizerFiles(options.tokenizer ?? 'auto');
  const tokens = vocabularySize(files['tokenizer.json']);
  const shape: RobertaShape = {
    vocabSize: Math.max(preset.vocabSize ?? 0, tokens),
    hiddenSize: preset.hiddenSize,
    layers: preset.layers,
    heads: preset.heads,
    intermediateSize: preset.intermediateSize,
    maxPositions: 514,
    padTokenId: 1,
    labels: 2,
    layerNormEps: 1e-5,
  };
  const random = new SeededRandom(seed);
  const weight = (spec: WeightSpec) => {
    const data = new Float32Array(spec.dims.reduce((a, b) => a * b, 1));
    return random.fillNormal(data, spec.kind === 'norm-weight' ? 1 : 0, spec.kind === 'norm-weight' || spec.kind === 'norm-bias' ? 0.02 : preset.weightStd);
  };
  const marker = { generator: 'refusal-lens scripts/generate-test-model.ts', version: GENERATOR_VERSION, preset: options.preset, seed, tokenizer: source };
  const bytes = encodeModel(buildRobertaModel(shape, weight, { refusal_lens_test_model: JSON.stringify(marker) }));

  const out = path.resolve(options.out);
  const tmp = `${out}.partial-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(path.join(tmp, 'onnx'), { recursive: true });
  fs.writeFileSync(path.join(tmp, 'onnx', 'model.onnx'), bytes);
  for (const name of TOKENIZER_FILES) fs.writeFileSync(path.join(tmp, name), JSON.stringify(files[name], null, name === 'tokenizer.json' ? undefined : 2));
  fs.writeFileSync(path.join(tmp, 'config.json'), JSON.stringify(configJson(shape, marker), null, 2));
  fs.rmSync(out, { recursive: true, force: true });
  fs.renameSync(tmp, out);
  return { dir: out, preset: options.preset, shape, parameters: parameterCount(shape), tokenizer: source, modelBytes: bytes.length };
}

function tokenizerFiles(choice: string): { files: TokenizerFiles; source: string } {
  const dir = choice === 'auto' ? (fs.existsSync(path.join(SHARED_TOKENIZER, 'tokenizer.json')) ? SHARED_TOKENIZER : null) : choice === 'generated' ? null : choice;
  if (!dir) return { files: generatedTokenizer(), source: 'generated' };
  const read = (name: string) => JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8'));
  return { files: { 'tokenizer.json': read('tokenizer.json'), 'tokenizer_config.json': read('tokenizer_config.json'), 'special_tokens_map.json': read('special_tokens_map.json') }, source: dir };
}

function configJson(s: RobertaShape, marker: object): object {
  return {
    architectures: ['RobertaForSequenceClassification'],
    model_type: 'roberta',
    attention_probs_dropout_prob: 0.1,
    bos_token_id: 0,
    eos_token_id: 2,
    pad_token_id: s.padTokenId,
    hidden_act: 'gelu',
    hidden_dropout_prob: 0.1,
    hidden_size: s.hiddenSize,
    initializer_range: 0.02,
    intermediate_size: s.intermediateSize,
    layer_norm_eps: s.layerNormEps,
    max_position_embeddings: s.maxPositions,
    num_attention_heads: s.heads,
    num_hidden_layers: s.layers,
    type_vocab_size: 1,
    vocab_size: s.vocabSize,
    id2label: { 0: 'NORMAL', 1: 'REJECTION' },
    label2id: { NORMAL: 0, REJECTION: 1 },
    problem_type: 'single_label_classification',
    refusal_lens_test_model: marker,
  };
}
