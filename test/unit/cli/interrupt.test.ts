import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// Ctrl-C on the real CLI process, in the middle of a large scan written with --output: exit code
// 130, no report under the requested name, no temporary file left, and it stops at once (the
// worker threads of the lexical pool and the file being read let go).

const cli = path.resolve(__dirname, '../../../dist/cli.js');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rl-sigint-'));
const record = (i: number) => ({
  model: ['gpt-4o', 'llama-3-70b'][i % 2],
  messages: [
    { role: 'user', content: `Question ${i}: how do I do the thing the way it is usually done?` },
    { role: 'assistant', content: `${i % 3 === 0 ? "I'm sorry, but I can't help with that. " : ''}${'Here is a long and careful answer with several sentences. It goes on. '.repeat(8)}` },
  ],
});

/** A large file written fast: one block of records repeated (a full scan takes far longer than the test waits). */
function bigFile(name: string, megabytes: number, json: boolean): string {
  const file = path.join(dir, name);
  const lines = Array.from({ length: 1000 }, (_, i) => JSON.stringify(record(i)));
  const block = Buffer.from(json ? `${lines.join(',\n')},\n` : `${lines.join('\n')}\n`);
  const fd = fs.openSync(file, 'w');
  if (json) fs.writeSync(fd, '[\n');
  for (let written = 0; written < megabytes * 1024 * 1024; written += block.length) fs.writeSync(fd, block);
  if (json) fs.writeSync(fd, `${JSON.stringify(record(0))}\n]\n`);
  fs.closeSync(fd);
  return file;
}

async function waitFor(check: () => boolean, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return check();
}

for (const [name, json] of [['big.jsonl', false], ['big-array.json', true]] as const) {
  test(`Ctrl-C during a scan of ${name} with --output: exit 130 at once, no report, no temporary file`, async () => {
    if (!fs.existsSync(cli)) throw new Error('dist/cli.js missing: run `npm run build` (npm test does)');
    const input = bigFile(name, 120, json);
    const output = path.join(dir, `${name}.report.json`);
    const child = spawn(process.execPath, [cli, 'scan', input, '--detector', 'lexical', '--format', 'json', '--output', output], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
    );
    let finished = false;
    void exited.then(() => (finished = true));
    // mid-scan: the report is being written to its temporary file
    const temps = () => fs.readdirSync(dir).filter((f) => f.startsWith(`.${path.basename(output)}.`));
    const writing = await waitFor(() => finished || temps().some((t) => fs.statSync(path.join(dir, t)).size > 10_000), 60_000);
    assert.ok(writing && !finished, `the scan should be under way (finished: ${finished}; stderr: ${stderr})`);
    const sent = Date.now();
    child.kill('SIGINT');
    const { code, signal, at } = await exited;
    assert.equal(signal, null);
    assert.equal(code, 130, stderr);
    assert.ok(at - sent < 5000, `stopped ${at - sent} ms after SIGINT`);
    assert.match(stderr, /interrupted/);
    assert.equal(fs.existsSync(output), false, 'no report under the requested name');
    assert.deepEqual(temps(), [], 'no temporary file left');
    fs.rmSync(input);
  });
}

test('a second Ctrl-C exits at once and still leaves no temporary file', async () => {
  if (!fs.existsSync(cli)) throw new Error('dist/cli.js missing: run `npm run build` (npm test does)');
  const input = bigFile('twice.jsonl', 120, false);
  const output = path.join(dir, 'twice.report.json');
  const child = spawn(process.execPath, [cli, 'scan', input, '--detector', 'lexical', '--format', 'json', '--output', output], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const temps = () => fs.readdirSync(dir).filter((f) => f.startsWith(`.${path.basename(output)}.`));
  assert.ok(await waitFor(() => temps().some((t) => fs.statSync(path.join(dir, t)).size > 10_000), 60_000), 'the scan should be under way');
  child.kill('SIGINT');
  await new Promise((r) => setTimeout(r, 1));
  child.kill('SIGINT'); // before the first one's clean-up has run
  assert.equal(await exited, 130);
  assert.equal(fs.existsSync(output), false, 'no report under the requested name');
  assert.deepEqual(temps(), [], 'no temporary file left');
  fs.rmSync(input);
});
