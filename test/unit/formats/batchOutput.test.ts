import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { extractText } from '../../../server/src/engine/extract';
import { assertExactRanges, decodeJson } from '../../helpers/rangeChecks';

const fixture = path.join(__dirname, '../../fixtures/formats/batch-output.jsonl');
const doc = fs.readFileSync(fixture, 'utf8');

test('OpenAI and Anthropic batch results: each answer once, model and custom_id, failed requests skipped', () => {
  const x = extractText(doc, 'batch_6790_output.jsonl');
  assert.equal(x.format, 'batch-output');
  assert.deepEqual(x.errors, []);
  assert.deepEqual(
    x.responses.map((r) => [r.id, r.model, r.metadata.custom_id]),
    [
      ['line 1: response.body.choices[0].message.content', 'gpt-4o-mini-2024-07-18', 'xstest-001'],
      ['line 2: response.body.choices[0].message.content', 'gpt-4o-mini-2024-07-18', 'xstest-002'],
      // choice 1 of line 2 only calls a tool; line 3 expired (response null)
      ['line 4: response.body.output[1].content', 'o4-mini-2025-04-16', 'xstest-004'], // the reasoning item is no answer
      ['line 5: result.message.content', 'claude-3-5-haiku-20241022', 'xstest-005'],
      // line 6 errored
    ],
  );
  assert.equal(x.responses[1].metadata.finish_reason, 'stop');
  assert.equal(x.responses[3].metadata.stop_reason, 'end_turn');
  assert.ok(x.responses.every((r) => r.prompt === null)); // the prompts are in the request file
  for (const r of x.responses) assertExactRanges(doc, r, decodeJson);
});

test('a broken line costs only itself', () => {
  const lines = doc.split('\n');
  lines[0] = lines[0].slice(0, 120);
  const x = extractText(lines.join('\n'), 'results.jsonl');
  assert.equal(x.format, 'batch-output');
  assert.equal(x.errors.length, 1);
  assert.equal(x.errors[0].range.start.line, 0);
  assert.equal(x.responses.length, 3);
});
