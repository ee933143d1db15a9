import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { batchInputs, planBatches } from '../../../server/src/classify/model/batches';

const limits = { maxTokens: 2048, maxRows: 32, maxPadding: 0.05 };
const lengths = Array.from({ length: 500 }, (_, i) => 3 + ((i * 7919) % 509));

test('every sequence lands in exactly one batch', () => {
  const batches = planBatches(lengths, limits);
  assert.deepEqual(batches.flat().sort((a, b) => a - b), lengths.map((_, i) => i));
});

test('batches stay under the token and row caps, and pad at most 5%', () => {
  for (const batch of planBatches(lengths, limits)) {
    const width = Math.max(...batch.map((i) => lengths[i]));
    const real = batch.reduce((n, i) => n + lengths[i], 0);
    assert.ok(batch.length <= limits.maxRows);
    assert.ok(batch.length === 1 || batch.length * width <= limits.maxTokens);
    assert.ok(batch.length * width - real <= 0.05 * batch.length * width);
  }
});

test('short texts of equal length share a batch; a long text never pads a short one', () => {
  const batches = planBatches([10, 10, 10, 500, 10], limits);
  assert.deepEqual(batches, [[0, 1, 2, 4], [3]]);
});

test('inputs are padded on the right with the pad id, mask 0 there', () => {
  const { ids, mask, width } = batchInputs([[0, 5, 2], [0, 2]], 1);
  assert.equal(width, 3);
  assert.deepEqual([...ids], [0n, 5n, 2n, 0n, 2n, 1n]);
  assert.deepEqual([...mask], [1n, 1n, 1n, 1n, 1n, 0n]);
});
