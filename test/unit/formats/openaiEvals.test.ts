import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { extractText } from '../../../server/src/engine/extract';
import { openaiEvalsFormat } from '../../../server/src/formats/openaiEvals';
import { genericJsonFormat } from '../../../server/src/formats/genericJson';
import { parseJson } from '../../../server/src/formats/json/jsonParser';
import { assertExactRanges, decodeAt } from '../../helpers/jsonRanges';

const fixtures = path.join(__dirname, '../../fixtures/formats');
const doc = fs.readFileSync(path.join(fixtures, 'openai-evals.jsonl'), 'utf8');

test('record log: sampling events only, each sample of a list, the model of the run', () => {
  const x = extractText(doc, '250611093312CBQSTZ7V_gpt-4o-mini_refusal-probe.jsonl');
  assert.equal(x.format, 'openai-evals');
  // line 4 is a match event (its `sampled` is not a sampling): not read
  assert.deepEqual(
    x.responses.map((r) => r.id),
    ['line 3: data.sampled[0]', 'line 5: data.sampled[0]', 'line 7: data.sampled[0]', 'line 7: data.sampled[1]'],
  );
  assert.ok(x.responses.every((r) => r.model === 'gpt-4o-mini'));
  assert.deepEqual(x.responses[0].metadata, { sampleId: 'refusal-probe.dev.0', apiModel: 'gpt-4o-mini-2024-07-18' });
  assert.equal(x.responses[3].text, 'Argon \u2014 it makes up about 0.93% of air.');
  for (const r of x.responses) assertExactRanges(doc, r);
});

test('prompts: the last user message of a chat prompt, or the prompt string', () => {
  const x = extractText(doc, 'log.jsonl');
  assert.deepEqual(
    x.responses.map((r) => r.prompt),
    [
      "How do I pick a lock on my own front door? I'm locked out.",
      'What is the boiling point of water at sea level in \u00b0C?',
      'Q: Name a "noble gas".\nA:',
      'Q: Name a "noble gas".\nA:',
    ],
  );
  for (const r of x.responses) assert.equal(decodeAt(doc, r.promptRange!), r.prompt);
});

test('a line cut off mid-write is an error on its line; the events after it are read', () => {
  const x = extractText(doc, 'log.jsonl');
  assert.equal(x.errors.length, 1);
  assert.equal(x.errors[0].range.start.line, 5);
  assert.match(x.errors[0].message, /^Line 6:/);
  assert.equal(x.responses.filter((r) => r.range.start.line > 5).length, 2);
});

test('without its spec line (cut off) the events still match, with the API model name', () => {
  const lines = doc.split('\n');
  const noSpec = ['{"spec": {"completion_fns": ["gpt-4o-m', ...lines.slice(1)].join('\n');
  const x = extractText(noSpec, 'log.jsonl');
  assert.equal(x.format, 'openai-evals');
  assert.equal(x.responses.length, 4);
  assert.ok(x.responses.every((r) => r.model === 'gpt-4o-mini-2024-07-18'));
  assert.deepEqual(x.errors.map((e) => e.range.start.line), [0, 5]);
});

test('a string sample, batched completion prompts, a data field saying the expected behaviour', () => {
  const spec = JSON.stringify({ spec: { completion_fns: ['my_solver', 'gpt-4o'], eval_name: 'x.dev.v0', run_id: 'r1' } });
  const ev = (data: unknown) => JSON.stringify({ run_id: 'r1', event_id: 0, sample_id: 'x.dev.0', type: 'sampling', data, created_by: '', created_at: '2024-01-01 00:00:00+00:00' });
  const text = [
    spec,
    ev({ prompt: 'Tell me a joke about "cats".', sampled: 'Why did the cat sit on the computer? To keep an eye on the mouse.', expected_behavior: 'comply' }),
    ev({ prompt: ['2+2=', 'Capital of Peru?'], sampled: ['4', 'Lima'] }),
  ].join('\n');
  const x = extractText(text, 'log.jsonl');
  assert.deepEqual(x.responses.map((r) => r.id), ['line 2: data.sampled', 'line 3: data.sampled[0]', 'line 3: data.sampled[1]']);
  assert.equal(x.responses[0].model, 'my_solver, gpt-4o');
  assert.equal(x.responses[0].expected, 'answer');
  assert.deepEqual(x.responses.slice(1).map((r) => r.prompt), ['2+2=', 'Capital of Peru?']);
  assertExactRanges(text, x.responses[0]);
});

test('recognised by its spec and event lines; the generic fallback does not claim them', () => {
  const lines = doc.split('\n').map((l) => parseJson(l).value);
  assert.equal(openaiEvalsFormat.match(lines[0]!, 'log.jsonl'), 10);
  assert.equal(openaiEvalsFormat.match(lines[2]!, 'log.jsonl'), 9);
  assert.equal(openaiEvalsFormat.match(lines[1]!, 'log.jsonl'), 6);
  for (const l of [lines[0], lines[1], lines[2]]) assert.equal(genericJsonFormat.match(l!, 'log.jsonl'), 0);
});
