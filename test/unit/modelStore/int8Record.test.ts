import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compareScores } from '../../../server/src/classify/model/int8Model';
import { ensureInt8File, int8State, readRecord, writeRecord, type Int8Step } from '../../../server/src/modelStore/quantize/int8Record';
import { writeTestModel } from '../../../scripts/testModel/writeTestModel';
import { tinyModel } from '../../helpers/tinyModel';

const model = tinyModel();
const fp32 = path.join(model.dir, 'onnx/model.onnx');
const int8 = path.join(model.dir, 'onnx/model_quantized.onnx');

async function ensure(): Promise<{ steps: string[]; record: Awaited<ReturnType<typeof ensureInt8File>> }> {
  const steps: string[] = [];
  const record = await ensureInt8File(model.dir, { onStep: (s: Int8Step) => (s.step === 'quantizing' ? undefined : steps.push(s.step)) });
  return { steps, record };
}

test('the int8 model is made once and recorded with the source\'s sha256; an unchanged source is reused without hashing', async () => {
  assert.equal((await int8State(model.dir)).state, 'missing');
  const first = await ensure();
  assert.deepEqual(first.steps, ['hashing', 'quantized']);
  assert.equal(first.record.origin, 'quantized');
  assert.match(first.record.source.sha256, /^[0-9a-f]{64}$/);
  assert.equal(first.record.output.size, fs.statSync(int8).size);
  assert.equal(first.record.verification, null);
  assert.deepEqual(await readRecord(model.dir), first.record);
  const mtime = fs.statSync(int8).mtimeMs;
  const again = await ensure();
  assert.deepEqual(again.steps, ['reused']);
  assert.equal(fs.statSync(int8).mtimeMs, mtime, 'not written again');
  assert.equal((await int8State(model.dir)).state, 'current');
});

test('a source touched but not changed is hashed once more and reused; a changed source is quantized again', async () => {
  await ensure();
  const before = (await readRecord(model.dir))!;
  const later = new Date(Date.now() + 5000);
  fs.utimesSync(fp32, later, later);
  assert.equal((await int8State(model.dir)).state, 'source-changed');
  const touched = await ensure();
  assert.deepEqual(touched.steps, ['hashing', 'reused']);
  assert.equal(touched.record.source.sha256, before.source.sha256);
  assert.equal(touched.record.source.mtimeMs, Math.round(fs.statSync(fp32).mtimeMs));
  assert.deepEqual((await ensure()).steps, ['reused']);

  // Other weights (another seed) in place of model.onnx: a new int8 model.
  const other = writeTestModel({ preset: 'tiny', out: path.join(path.dirname(model.dir), 'other'), seed: 99 });
  fs.copyFileSync(path.join(other.dir, 'onnx/model.onnx'), fp32);
  const changed = await ensure();
  assert.deepEqual(changed.steps, ['hashing', 'quantized']);
  assert.notEqual(changed.record.source.sha256, before.source.sha256);
  assert.ok(!fs.readFileSync(int8).equals(Buffer.alloc(0)));
});

test('an int8 file that was there without a record is kept and recorded as found (verification decides its use)', async (t) => {
  const dir = path.join(path.dirname(model.dir), 'found');
  fs.cpSync(model.dir, dir, { recursive: true });
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.rmSync(path.join(dir, 'onnx/model_quantized.json'), { force: true });
  const bytes = fs.readFileSync(path.join(dir, 'onnx/model_quantized.onnx'));
  assert.equal((await int8State(dir)).state, 'unrecorded');
  const r = await ensureInt8File(dir);
  assert.equal(r.origin, 'found');
  assert.equal(r.quantizer, null);
  assert.ok(fs.readFileSync(path.join(dir, 'onnx/model_quantized.onnx')).equals(bytes), 'not overwritten');
  // Checked, then replaced by another file: recorded as found again, the old check dropped.
  await writeRecord(dir, { ...r, verification: compareScores([0.1, 0.9], [0.1, 0.9]) });
  assert.equal((await ensureInt8File(dir)).verification?.passed, true);
  fs.writeFileSync(path.join(dir, 'onnx/model_quantized.onnx'), Buffer.concat([bytes, Buffer.from('x')]));
  assert.equal((await int8State(dir)).state, 'output-changed');
  const replaced = await ensureInt8File(dir);
  assert.equal(replaced.origin, 'found');
  assert.equal(replaced.verification, null);
});
