import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sentenceSpans } from '../../../server/src/classify/sentences';
import { runCli } from '../../helpers/runCli';
import { detectorFor, tinyModel } from '../../helpers/tinyModel';

const model = tinyModel();
const root = path.resolve(__dirname, '../../..');
const file = path.join(path.dirname(model.dir), 'chat.jsonl');
const answers = [
  "I'm sorry, but I can't help with that request.",
  'Paris is the capital of France. It lies on the Seine.',
  'Here is how to bake bread.\n1. Mix flour and water.\n2. Bake it. I cannot promise it will rise, though!',
];
fs.writeFileSync(file, answers.map((a, i) => JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: `question ${i}` }, { role: 'assistant', content: a }] })).join('\n') + '\n');

interface JsonResponse {
  score: number;
  label: string;
  detector: string;
  sentence: { text: string } | null;
}

function responsesOf(stdout: string): JsonResponse[] {
  return JSON.parse(stdout).files[0].responses;
}

test('scan --detector model --model DIR: the JSON contract with the model\'s scores', async () => {
  // fp32: compared with the fp32 detector below (int8 has its own tests: int8Model.test.ts)
  const r = await runCli(['scan', file, '--detector', 'model', '--model', model.dir, '--format', 'json', '--threads', '1', '--precision', 'fp32']);
  assert.equal(r.code, 0, r.stderr);
  const responses = responsesOf(r.stdout);
  assert.equal(responses.length, 3);
  const direct = await detectorFor(model.dir).classify(answers);
  responses.forEach((resp, i) => {
    assert.equal(resp.detector, 'model');
    assert.ok(Math.abs(resp.score - direct[i].score) < 1e-6);
    assert.equal(resp.label, resp.score > 0.5 ? 'refusal' : 'normal');
  });
  assert.equal(responses[0].sentence?.text, answers[0], 'a one-sentence response is its own deciding sentence');
  assert.equal(responses[1].sentence, null);
});

test('--mode sentence reports the highest-scoring sentence; --threshold still decides the label', async () => {
  const r = await runCli(['scan', file, '--model', model.dir, '--mode', 'sentence', '--threshold', '0', '--format', 'json', '--threads', '1', '--precision', 'fp32']);
  assert.equal(r.code, 0, r.stderr);
  const responses = responsesOf(r.stdout);
  const third = responses[2];
  const sentences = sentenceSpans(answers[2]).map((s) => answers[2].slice(s.start, s.end));
  const scores = await detectorFor(model.dir).classify(sentences);
  const best = scores.reduce((b, s, i) => (s.score > scores[b].score ? i : b), 0);
  assert.equal(third.sentence?.text, sentences[best]);
  assert.ok(Math.abs(third.score - scores[best].score) < 1e-6);
  assert.ok(responses.every((x) => x.label === 'refusal'));
});

test('--model names a folder that is not a model: exit 1 with what is missing; bad options are usage errors', async () => {
  const missing = await runCli(['scan', file, '--model', path.dirname(model.dir), '--format', 'json']);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /config\.json/);
  assert.equal(missing.stdout, '');
  for (const [flag, value] of [['--max-tokens', '4'], ['--max-tokens', '1000'], ['--mode', 'paragraph'], ['--threads', '0'], ['--precision', 'int4']]) {
    const r = await runCli(['scan', file, '--model', model.dir, flag, value]);
    assert.equal(r.code, 1, `${flag} ${value}`);
    assert.match(r.stderr, new RegExp(flag));
  }
});

test('the bundled CLI runs the model in the bundled worker (dist/inferenceWorker.js)', (t) => {
  const build = spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs'), '--if-stale', '--quiet'], { cwd: root, encoding: 'utf8' });
  assert.equal(build.status, 0, build.stderr);
  if (!fs.existsSync(path.join(root, 'dist/inferenceWorker.js'))) return t.skip('dist/inferenceWorker.js was not built');
  const r = spawnSync(process.execPath, [path.join(root, 'dist/cli.js'), 'scan', file, '--model', model.dir, '--format', 'json', '--threads', '1'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const responses = responsesOf(r.stdout);
  assert.equal(responses.length, 3);
  assert.ok(responses.every((x) => x.detector === 'model'));
});
