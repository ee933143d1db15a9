import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { batchLimitsFor, DEFAULT_BATCH_LIMITS, INT8_BATCH_LIMITS } from '../../../server/src/classify/model/batches';
import { spinningByDefault } from '../../../server/src/classify/model/session';

test('thread spinning: only for the CLI on an idle machine (never the editor, never without a load average)', () => {
  assert.equal(spinningByDefault('cli', 0.1, 'linux'), true);
  assert.equal(spinningByDefault('cli', 1.5, 'linux'), false);
  assert.equal(spinningByDefault('editor', 0, 'linux'), false);
  assert.equal(spinningByDefault('cli', 0, 'win32'), false);
});

test('batches per precision: int8 capped at 512 padded tokens, fp32 at 2,048', () => {
  assert.equal(batchLimitsFor('int8'), INT8_BATCH_LIMITS);
  assert.equal(INT8_BATCH_LIMITS.maxTokens, 512);
  assert.equal(batchLimitsFor('fp32'), DEFAULT_BATCH_LIMITS);
  assert.equal(DEFAULT_BATCH_LIMITS.maxTokens, 2048);
});
