import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chooseDetector } from '../../../server/src/classify/detectorChoice';
import { ModelTokenizer } from '../../../server/src/classify/model/tokenizer';
import { parityCases, parityModelFolder } from '../../helpers/parityModel';
import { missingShared, PARITY_DIR, TOKENIZER_DIR } from '../../helpers/sharedData';

// The Python reference pipeline's token ids and scores (../shared/fixtures/parity/README.md).
const reason = missingShared(path.join(PARITY_DIR, 'parity.json'), path.join(PARITY_DIR, 'tiny-model.onnx'), path.join(TOKENIZER_DIR, 'tokenizer.json'));
const dir = reason ? null : parityModelFolder(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rl-parity-')), 'parity-model'));
test.after(() => dir && fs.rmSync(path.dirname(dir), { recursive: true, force: true }));

test('token ids are the Python tokenizer\'s for all 320 cases (truncated at 512, </s> kept)', async (t) => {
  if (!dir) return t.skip(reason!);
  const tokenizer = await ModelTokenizer.load(dir);
  const cases = parityCases();
  assert.equal(cases.length, 320);
  const wrong = cases.map((c, i) => ({ i, ids: tokenizer.encode(c.text, 512), want: c.input_ids })).filter((x) => JSON.stringify(x.ids) !== JSON.stringify(x.want));
  assert.deepEqual(wrong.map((w) => w.i), [], `cases with other ids: ${wrong.slice(0, 3).map((w) => `#${w.i} (${w.ids.length} vs ${w.want.length} ids)`).join(', ')}`);
  assert.ok(cases.some((c) => c.input_ids.length === 512), 'the fixture has a truncated case');
});

test('REJECTION scores match the Python pipeline within 1e-4 for all 320 cases, through the worker', async (t) => {
  if (!dir) return t.skip(reason!);
  const { detector, notice } = await chooseDetector('model', { modelPath: dir, threads: 1 });
  t.after(() => detector.dispose());
  assert.equal(detector.kind, 'model');
  assert.equal(notice, null);
  const cases = parityCases();
  const results = await detector.classify(cases.map((c) => c.text));
  let worst = 0;
  const off: number[] = [];
  results.forEach((r, i) => {
    const want = cases[i].pipeline.find((p) => p.label === 'REJECTION')!.score;
    const diff = Math.abs(r.score - want);
    worst = Math.max(worst, diff);
    if (!(diff <= 1e-4)) off.push(i);
  });
  assert.deepEqual(off, [], `cases off by more than 1e-4 (worst ${worst})`);
  t.diagnostic(`largest difference from the Python pipeline: ${worst.toExponential(2)}`);
});
