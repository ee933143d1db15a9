import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../helpers/runCli';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rl-diff-'));
const refuse = "I'm sorry, but I can't help with that.";
const row = (model: string, prompt: string, answer: string) => JSON.stringify({ model, messages: [{ role: 'user', content: prompt }, { role: 'assistant', content: answer }] });
// Same ten prompts in both runs; answers change for exactly three of them, in different directions.
const prompts = Array.from({ length: 10 }, (_, i) => `Question number ${i}: explain topic ${i}.`);
const oldAnswers = prompts.map((p, i) => (i === 2 || i === 7 || i === 9 ? refuse : `Here is an explanation of topic ${i}.`));
const newAnswers = oldAnswers.map((a, i) => (i === 4 ? refuse : i === 7 ? 'Topic 7 explained, at last.' : a));
const oldFile = path.join(dir, 'old.jsonl');
const newFile = path.join(dir, 'new.jsonl');
fs.writeFileSync(oldFile, prompts.map((p, i) => row('model-a', p, oldAnswers[i])).join('\n'));
// the new run lists the prompts in another order: matching is by prompt, not position
const order = [9, 8, 7, 6, 5, 4, 3, 2, 1, 0];
fs.writeFileSync(newFile, order.map((i) => row('model-a', prompts[i], newAnswers[i])).join('\n'));

test('diff reports exactly the changed responses, with both locations', async () => {
  const r = await runCli(['diff', oldFile, newFile, '--detector', 'lexical', '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const d = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(d).filter((k) => ['newlyRefused', 'newlyAnswered', 'stillRefused', 'byModel', 'summary'].includes(k)).sort(), ['byModel', 'newlyAnswered', 'newlyRefused', 'stillRefused', 'summary']);
  assert.deepEqual(d.newlyRefused.map((e: { prompt: string }) => e.prompt), [prompts[4]]);
  assert.deepEqual(d.newlyAnswered.map((e: { prompt: string }) => e.prompt), [prompts[7]]);
  assert.deepEqual(d.stillRefused.map((e: { prompt: string }) => e.prompt).sort(), [prompts[2], prompts[9]].sort());
  const e = d.newlyRefused[0];
  assert.equal(e.old.range.start.line, 4);
  assert.equal(e.new.range.start.line, order.indexOf(4));
  assert.equal(e.old.label, 'normal');
  assert.equal(e.new.label, 'refusal');
  assert.equal(e.new.response, refuse);
  assert.equal(d.summary.matched, 10);
  assert.equal(d.summary.stillAnswered, 6);
  assert.deepEqual(d.byModel['model-a'].old.refusals, 3);
  assert.deepEqual(d.byModel['model-a'].new.refusals, 3);
});

test('--fail-on-new-refusals trips exit 3; the table names the changes', async () => {
  const r = await runCli(['diff', oldFile, newFile, '--detector', 'lexical', '--fail-on-new-refusals']);
  assert.equal(r.code, 3);
  assert.match(r.stderr, /gate tripped: 1 newly refused/);
  assert.match(r.stdout, /newly-refused \(1\):/);
  assert.match(r.stdout, /refusal rate 30\.0% \(3\/10\) -> 30\.0% \(3\/10\)/);
  assert.equal((await runCli(['diff', oldFile, oldFile, '--detector', 'lexical', '--fail-on-new-refusals'])).code, 0);
});

test('diff in the other formats', async () => {
  for (const format of ['markdown', 'csv', 'jsonl', 'sarif', 'junit']) {
    const r = await runCli(['diff', oldFile, newFile, '--detector', 'lexical', '--format', format]);
    assert.equal(r.code, 0, format);
    assert.ok(r.stdout.includes('Question number 4'), format);
  }
  const sarif = JSON.parse((await runCli(['diff', oldFile, newFile, '--detector', 'lexical', '--format', 'sarif'])).stdout);
  assert.equal(sarif.runs[0].results.length, 1);
  assert.equal(sarif.runs[0].results[0].locations[0].physicalLocation.region.startLine, order.indexOf(4) + 1);
});

test('--key id matches by position instead of prompt', async () => {
  const d = JSON.parse((await runCli(['diff', oldFile, newFile, '--detector', 'lexical', '--format', 'json', '--key', 'id'])).stdout);
  assert.notEqual(d.newlyRefused.length, 1);
});

test('diff usage errors', async () => {
  assert.equal((await runCli(['diff', oldFile])).code, 1);
  assert.equal((await runCli(['diff', oldFile, dir])).code, 1);
  assert.equal((await runCli(['diff', oldFile, newFile, '--key', 'nope'])).code, 1);
});

test('diff takes the model options as scan does: a --model folder that cannot be used is an error, not a silent lexical run', async () => {
  const missing = path.join(dir, 'no-model-here');
  const scan = await runCli(['scan', newFile, '--model', missing]);
  const diff = await runCli(['diff', oldFile, newFile, '--model', missing]);
  assert.equal(scan.code, 1, scan.stderr);
  assert.equal(diff.code, 1, diff.stderr);
  assert.equal(diff.stdout, '');
  assert.match(diff.stderr, new RegExp(`^refusal-lens: .*${missing.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`, 'm'));
});

test('diff JSONL lines are the JSON entries with their change (the prompt too when only OLD has one)', async () => {
  const bare = path.join(dir, 'no-prompts.jsonl');
  fs.writeFileSync(bare, newAnswers.map((a) => JSON.stringify({ model: 'model-a', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'assistant', content: a }] })).join('\n'));
  const json = JSON.parse((await runCli(['diff', oldFile, bare, '--detector', 'lexical', '--key', 'id', '--format', 'json'])).stdout);
  const lines = (await runCli(['diff', oldFile, bare, '--detector', 'lexical', '--key', 'id', '--format', 'jsonl'])).stdout.trim().split('\n').map((l) => JSON.parse(l));
  const entries = [...json.newlyRefused.map((e: object) => ({ change: 'newly-refused', ...e })), ...json.newlyAnswered.map((e: object) => ({ change: 'newly-answered', ...e })), ...json.stillRefused.map((e: object) => ({ change: 'still-refused', ...e }))];
  assert.ok(entries.length > 0);
  assert.ok(entries.every((e) => typeof e.prompt === 'string'));
  assert.deepEqual(lines, entries);
});
