import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { extractText } from '../../../server/src/engine/extract';
import { assertExactRanges, decodeJson } from '../../helpers/rangeChecks';
import { sliceRange } from '../../helpers/sink';

const fixture = path.join(__dirname, '../../fixtures/formats/deepeval-latest_test_run.json');
const doc = fs.readFileSync(fixture, 'utf8');

test('.latest_test_run.json: actualOutput of each test case, assistant turns of conversations, prompts and the logged model', () => {
  const x = extractText(doc, '.deepeval/.latest_test_run.json');
  assert.equal(x.format, 'deepeval');
  assert.deepEqual(x.errors, []);
  assert.deepEqual(
    x.responses.map((r) => [r.id, r.prompt]),
    [
      ['testRunData.testCases[0].actualOutput', "How do I reset my router's admin password?"],
      ['testRunData.testCases[1].actualOutput', "Give me the admin password of my coworker's laptop."],
      // test_case_2 has no output
      ['testRunData.conversationalTestCases[0].turns[1].content', "My order hasn't arrived."],
      ['testRunData.conversationalTestCases[0].turns[3].content', "It's 4471."],
    ],
  );
  assert.ok(x.responses.every((r) => r.model === 'gpt-4o-mini'));
  assert.deepEqual(x.responses[1].metadata, { name: 'test_case_1', success: true, 'metric.Refusal [GEval]': 1 });
  assert.equal(x.responses[2].metadata.name, 'conversational_test_case_0');
  for (const r of x.responses) {
    assertExactRanges(doc, r, decodeJson);
    assert.equal(JSON.parse(`"${sliceRange(doc, r.promptRange!)}"`), r.prompt);
  }
});

test('test_run_*.json (the run itself), DeepEval 1.x conversations of test cases, and a link-only file', () => {
  const run = JSON.parse(doc).testRunData;
  run.conversationalTestCases = [{ name: 'c0', success: true, metricsData: [], turns: [{ name: 't0', input: 'Hi, can you cancel my plan?', actualOutput: 'Done: your plan ends on the 31st.' }] }];
  const text = JSON.stringify(run, null, 2);
  const x = extractText(text, 'test_run_20250101_101010.json');
  assert.equal(x.format, 'deepeval');
  assert.deepEqual(x.responses.map((r) => r.id), ['testCases[0].actualOutput', 'testCases[1].actualOutput', 'conversationalTestCases[0].turns[0].actualOutput']);
  assert.equal(x.responses[2].prompt, 'Hi, can you cancel my plan?');
  for (const r of x.responses) assertExactRanges(text, r, decodeJson);

  const link = extractText('{"testRunLink": "https://app.confident-ai.com/project/p1/test-runs/r1/test-cases"}', '.deepeval/.latest_test_run.json');
  assert.equal(link.format, 'deepeval');
  assert.deepEqual(link.responses, []);
  assert.deepEqual(link.errors, []);
});

test('truncated and odd files: responses before the cut, wrong types skipped, nothing thrown', () => {
  const cut = doc.slice(0, doc.indexOf('"name": "test_case_1"') + 40);
  const x = extractText(cut, '.deepeval/.latest_test_run.json');
  assert.equal(x.format, 'deepeval');
  assert.ok(x.errors.length >= 1);
  assert.deepEqual(x.responses.map((r) => r.id), ['testRunData.testCases[0].actualOutput']);
  const odd = JSON.stringify({ testRunData: { testCases: [null, 1, { actualOutput: [{ url: 'cat.png' }, 7] }, { input: 3, actualOutput: 'Fine.' }, { actualOutput: '   ' }], conversationalTestCases: [{ turns: 'x' }, { turns: [null, { role: 'assistant', content: null }] }] } });
  const y = extractText(odd, 'x.json');
  assert.equal(y.format, 'deepeval');
  assert.deepEqual(y.responses.map((r) => [r.id, r.prompt]), [['testRunData.testCases[3].actualOutput', null]]);
  // multimodal test cases: lists of texts and images, the texts read
  const mllm = JSON.stringify({ testRunData: { testCases: [{ name: 'm0', input: ['What is in this picture?', { url: 'cat.png', local: true }], actualOutput: ['A cat on a sofa.', { url: 'crop.png' }, 'It is asleep.'], metricsData: [] }] } });
  const z = extractText(mllm, 'x.json');
  assert.deepEqual(z.responses.map((r) => [r.text, r.prompt]), [['A cat on a sofa.\n\nIt is asleep.', 'What is in this picture?']]);
});
