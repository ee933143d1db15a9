import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../helpers/runCli';
import { LineIndex } from '../../../server/src/text/positions';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rl-cli-'));
const chat = (user: string, assistant: string, model = 'gpt-4o') => JSON.stringify({ model, messages: [{ role: 'user', content: user }, { role: 'assistant', content: assistant }] });
const refusal = "I'm sorry, but I can't help with that request.";
const goodFile = path.join(dir, 'good.jsonl');
fs.writeFileSync(goodFile, [chat('pick a lock', `Well.\n${refusal}`), chat('capital of France', 'Paris is the capital of France.'), chat('x', refusal, 'llama')].join('\n') + '\n');
const badFile = path.join(dir, 'bad.jsonl');
fs.writeFileSync(badFile, `${chat('a', 'fine answer')}\n{"messages": [\n`);
fs.writeFileSync(path.join(dir, 'blob.json'), Buffer.from([0, 1, 2, 3]));

test('--format json prints the contract: files, responses with exact ranges, errors, summary', async () => {
  const r = await runCli(['scan', goodFile, '--detector', 'lexical', '--format', 'json']);
  assert.equal(r.code, 0);
  const json = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(json).sort(), ['files', 'summary']);
  const [file] = json.files;
  assert.equal(file.format, 'openai-chat');
  assert.equal(file.responses.length, 3);
  for (const key of ['id', 'range', 'label', 'score', 'detector', 'sentence', 'prompt', 'model']) assert.ok(key in file.responses[0], key);
  const doc = fs.readFileSync(goodFile, 'utf8');
  const index = new LineIndex(doc);
  const slice = (range: { start: never; end: never }) => doc.slice(index.offsetAt(range.start), index.offsetAt(range.end));
  const first = file.responses[0];
  assert.equal(first.label, 'refusal');
  assert.equal(first.detector, 'lexical');
  assert.equal(first.prompt, 'pick a lock');
  assert.equal(JSON.parse(`"${slice(first.range)}"`), `Well.\n${refusal}`);
  assert.equal(first.sentence.text, refusal);
  assert.equal(slice(first.sentence.range), refusal);
  assert.equal(file.responses[1].label, 'normal');
  assert.equal(file.responses[1].sentence, null);
  assert.deepEqual(file.errors, []);
  assert.equal(json.summary.files, 1);
  assert.equal(json.summary.responses, 3);
  assert.equal(json.summary.refusals, 2);
  assert.equal(json.summary.rate, 2 / 3);
  assert.equal(json.summary.errors, 0);
  assert.deepEqual(Object.keys(json.summary.byModel), ['gpt-4o', 'llama']);
});

test('bad files among good ones: each reported, the others scanned, exit 0', async () => {
  const r = await runCli(['scan', dir, '--detector', 'lexical', '--format', 'json']);
  assert.equal(r.code, 0);
  const json = JSON.parse(r.stdout);
  const byName = Object.fromEntries(json.files.map((f: { path: string }) => [path.basename(f.path), f]));
  assert.deepEqual(Object.keys(byName).sort(), ['bad.jsonl', 'blob.json', 'good.jsonl']);
  assert.equal(byName['good.jsonl'].responses.length, 3);
  assert.equal(byName['bad.jsonl'].responses.length, 1);
  assert.equal(byName['bad.jsonl'].errors[0].range.start.line, 1);
  assert.equal(byName['blob.json'].errors[0].kind, 'binary');
  assert.equal(json.summary.errors, 2);
});

test('the table names each refusal with file:line:column and its sentence', async () => {
  const r = await runCli(['scan', goodFile, '--detector', 'lexical']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /good\.jsonl\s+openai-chat\s+3\s+2\s+66\.7%/);
  assert.match(r.stdout, new RegExp(`good\\.jsonl:1:\\d+\\s+0\\.\\d\\d\\s+gpt-4o\\s+"I'm sorry, but I can't help with that request\\."`));
});

test('usage errors exit 1 with one line and no stack trace', async () => {
  for (const argv of [['scan'], ['scan', goodFile, '--threshold', '2'], ['scan', goodFile, '--format', 'xml'], ['scan', goodFile, '--bogus'], ['frobnicate'], ['scan', path.join(dir, 'missing.jsonl')], ['scan', goodFile, '--field', 'a[']]) {
    const r = await runCli(argv);
    assert.equal(r.code, 1, argv.join(' '));
    assert.match(r.stderr, /^refusal-lens: /m);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  }
});

test('--threshold moves the line between refusal and normal', async () => {
  const strict = JSON.parse((await runCli(['scan', goodFile, '--detector', 'lexical', '--format', 'json', '--threshold', '1'])).stdout);
  assert.equal(strict.summary.refusals, 0);
});

test('the bundled CLI runs as a process: exit codes and stderr notice', () => {
  const cli = path.resolve(__dirname, '../../../dist/cli.js');
  if (!fs.existsSync(cli)) throw new Error('dist/cli.js missing: run `npm run build` (npm test does)');
  const ok = spawnSync(process.execPath, [cli, 'scan', goodFile, '--format', 'json'], { encoding: 'utf8' });
  assert.equal(ok.status, 0, ok.stderr);
  assert.equal(JSON.parse(ok.stdout).summary.responses, 3);
  const bad = spawnSync(process.execPath, [cli, 'scan'], { encoding: 'utf8' });
  assert.equal(bad.status, 1);
});

test('the bundled CLI stops quietly when the reader of its output goes away (EPIPE): exit 0, nothing on stderr', async () => {
  const cli = path.resolve(__dirname, '../../../dist/cli.js');
  if (!fs.existsSync(cli)) throw new Error('dist/cli.js missing: run `npm run build` (npm test does)');
  // its own folder: the test above scans all of `dir`
  const many = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rl-epipe-')), 'run.jsonl');
  fs.writeFileSync(many, Array.from({ length: 10_000 }, (_, i) => chat(`question ${i}`, i % 2 ? refusal : 'Here you are.')).join('\n'));
  const child = spawn(process.execPath, [cli, 'scan', many, '--detector', 'lexical', '--format', 'json'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += String(d)));
  const exited = once(child, 'exit');
  await once(child.stdout, 'data');
  child.stdout.destroy(); // like `| head -c 100`
  const [code] = await exited;
  assert.equal(code, 0);
  assert.equal(stderr, '');
});
