import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../helpers/runCli';
import { AtomicFile } from '../../../server/src/reports/atomicFile';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rl-atomic-'));
const input = path.join(dir, 'run.jsonl');
fs.writeFileSync(input, `${JSON.stringify({ messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: "I'm sorry, but I can't help with that." }] })}\n`);
const leftovers = (d: string) => fs.readdirSync(d).filter((n) => n.endsWith('.tmp'));

test('a report that cannot be created is an error of commit(), not a crash', async () => {
  const file = new AtomicFile(path.join(dir, 'missing', 'report.json'));
  file.stream.write('{}');
  // the scan goes on for a while before the report is committed
  await new Promise((resolve) => setTimeout(resolve, 50));
  await assert.rejects(file.commit(), /report\.json/);
  await file.discard();
});

test('a report that cannot be renamed into place leaves no temporary file', async () => {
  const target = path.join(dir, 'a-folder');
  fs.mkdirSync(target);
  const file = new AtomicFile(target);
  file.stream.write('{}');
  await assert.rejects(file.commit());
  assert.deepEqual(leftovers(dir), []);
});

for (const command of ['scan', 'diff'] as const) {
  test(`${command} -o into a folder that does not exist: exit 1, one line on stderr, nothing left`, async () => {
    const out = path.join(dir, 'nowhere', `${command}.json`);
    const inputs = command === 'scan' ? [input] : [input, input];
    const r = await runCli([command, ...inputs, '--detector', 'lexical', '--format', 'json', '-o', out]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /^refusal-lens: .*nowhere/m);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    assert.equal(r.stdout, '');
    assert.equal(fs.existsSync(out), false);
  });

  test(`${command} -o naming a folder: exit 1, no temporary file left beside it`, async () => {
    const out = path.join(dir, `${command}-out`);
    fs.mkdirSync(out);
    const inputs = command === 'scan' ? [input] : [input, input];
    const r = await runCli([command, ...inputs, '--detector', 'lexical', '--format', 'json', '-o', out]);
    assert.equal(r.code, 1, r.stderr);
    assert.deepEqual(leftovers(dir), []);
  });
}

test('-o naming one of the files read is refused before anything is written: the results file stays as it was', async () => {
  const before = fs.readFileSync(input);
  for (const argv of [['scan', input], ['scan', dir], ['diff', input, input]]) {
    const r = await runCli([...argv, '--detector', 'lexical', '--format', 'json', '-o', path.relative(process.cwd(), input)]);
    assert.equal(r.code, 1, argv.join(' '));
    assert.match(r.stderr, /^refusal-lens: .*run\.jsonl/m);
    assert.deepEqual(fs.readFileSync(input), before, argv.join(' '));
  }
  assert.deepEqual(leftovers(dir), []);
});
