import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import { AutoTokenizer, env } from '@huggingface/transformers';
import { sessionInputs } from '../../../server/src/classify/model/session';
import { encodeModel } from '../../../server/src/modelStore/onnx/onnxModel';
import { buildRobertaModel, parameterCount } from '../../../scripts/testModel/robertaGraph';
import { PRESETS, writeTestModel } from '../../../scripts/testModel/writeTestModel';
import { exportedWeights } from '../../helpers/fixtureWeights';
import { missingShared, PARITY_DIR } from '../../helpers/sharedData';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rl-gen-'));
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const feeds = (rows: number[][]) => sessionInputs(rows, 1);

test('the tiny preset writes a Hugging Face folder that onnxruntime runs with the real export\'s inputs and outputs', async () => {
  const info = writeTestModel({ preset: 'tiny', out: path.join(tmp, 'tiny'), tokenizer: 'generated' });
  for (const f of ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'onnx/model.onnx']) assert.ok(fs.existsSync(path.join(info.dir, f)), f);
  const config = JSON.parse(fs.readFileSync(path.join(info.dir, 'config.json'), 'utf8'));
  assert.deepEqual(config.id2label, { 0: 'NORMAL', 1: 'REJECTION' });
  assert.equal(config.vocab_size, info.shape.vocabSize);
  const session = await ort.InferenceSession.create(path.join(info.dir, 'onnx/model.onnx'));
  assert.deepEqual([...session.inputNames], ['input_ids', 'attention_mask']);
  assert.deepEqual([...session.outputNames], ['logits']);
  const out = await session.run(feeds([[0, 50, 60, 2], [0, 70, 2]]));
  assert.deepEqual(out.logits.dims, [2, 2]);
  // Padding must not change a row's logits: the short row alone gives the same numbers.
  const alone = await session.run(feeds([[0, 70, 2]]));
  const a = out.logits.data as Float32Array;
  const b = alone.logits.data as Float32Array;
  assert.ok(Math.abs(a[2] - b[0]) < 1e-5 && Math.abs(a[3] - b[1]) < 1e-5, `padded ${a[2]},${a[3]} vs alone ${b[0]},${b[1]}`);
  await session.release();
});

test('same seed, same model; another seed, other weights', () => {
  const one = fs.readFileSync(path.join(writeTestModel({ preset: 'tiny', out: path.join(tmp, 's1'), tokenizer: 'generated', seed: 7 }).dir, 'onnx/model.onnx'));
  const two = fs.readFileSync(path.join(writeTestModel({ preset: 'tiny', out: path.join(tmp, 's2'), tokenizer: 'generated', seed: 7 }).dir, 'onnx/model.onnx'));
  const three = fs.readFileSync(path.join(writeTestModel({ preset: 'tiny', out: path.join(tmp, 's3'), tokenizer: 'generated', seed: 8 }).dir, 'onnx/model.onnx'));
  assert.ok(one.equals(two));
  assert.ok(!one.equals(three));
});

test('the distilroberta-base preset has the real model\'s 82.1M parameters', () => {
  const p = PRESETS['distilroberta-base'];
  const n = parameterCount({ ...p, maxPositions: 514, padTokenId: 1, labels: 2, layerNormEps: 1e-5 });
  assert.equal(n, 82_119_938);
});

test('the generated tokenizer loads in transformers.js and keeps RoBERTa\'s special tokens', async () => {
  const info = writeTestModel({ preset: 'tiny', out: path.join(tmp, 'tok'), tokenizer: 'generated' });
  env.allowRemoteModels = false;
  env.localModelPath = tmp;
  env.cacheDir = path.join(tmp, 'cache');
  const tok = await AutoTokenizer.from_pretrained(path.basename(info.dir));
  const ids = tok.encode("I'm sorry, but I can't help with that. 😀");
  assert.equal(ids[0], 0);
  assert.equal(ids[ids.length - 1], 2);
  assert.ok(ids.every((id) => id < info.shape.vocabSize));
  assert.equal(tok.decode(ids, { skip_special_tokens: true }), "I'm sorry, but I can't help with that. 😀");
});

test('with the exported model\'s weights, the generated graph gives the exported model\'s logits', async (t) => {
  const reason = missingShared(path.join(PARITY_DIR, 'tiny-model.onnx'), path.join(PARITY_DIR, 'parity.json'));
  if (reason) return t.skip(reason);
  const weights = exportedWeights(fs.readFileSync(path.join(PARITY_DIR, 'tiny-model.onnx')));
  const config = JSON.parse(fs.readFileSync(path.join(PARITY_DIR, 'config.json'), 'utf8'));
  const shape = {
    vocabSize: config.vocab_size, hiddenSize: config.hidden_size, layers: config.num_hidden_layers, heads: config.num_attention_heads,
    intermediateSize: config.intermediate_size, maxPositions: config.max_position_embeddings, padTokenId: config.pad_token_id, labels: 2, layerNormEps: config.layer_norm_eps,
  };
  const bytes = encodeModel(buildRobertaModel(shape, (spec) => {
    const w = weights.get(spec.name);
    assert.ok(w, `the export has no ${spec.name}`);
    return w;
  }));
  const session = await ort.InferenceSession.create(Buffer.from(bytes));
  const cases: { input_ids: number[]; logits: number[] }[] = JSON.parse(fs.readFileSync(path.join(PARITY_DIR, 'parity.json'), 'utf8')).cases.slice(0, 60);
  const out = (await session.run(feeds(cases.map((c) => c.input_ids)))).logits.data as Float32Array;
  let worst = 0;
  cases.forEach((c, i) => (worst = Math.max(worst, Math.abs(out[2 * i] - c.logits[0]), Math.abs(out[2 * i + 1] - c.logits[1]))));
  assert.ok(worst < 1e-5, `largest logit difference ${worst}`);
  await session.release();
});
