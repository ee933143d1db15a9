import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../../../server/src/cli/main';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rl-progress-'));
const file = path.join(dir, 'run.jsonl');
fs.writeFileSync(file, `${JSON.stringify({ messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: "I'm sorry, but I can't help with that." }] })}\n`);

/** A stream that says it is a terminal, keeping what is written. */
function terminal(): { stream: NodeJS.WritableStream; text: () => string } {
  const stream = Object.assign(new PassThrough(), { isTTY: true, columns: 200 });
  const chunks: Buffer[] = [];
  stream.on('data', (b: Buffer) => chunks.push(b));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

test('on a terminal the progress line is cleared before the messages that follow it', async () => {
  const stderr = terminal();
  const code = await main(['scan', file, '--detector', 'lexical', '--format', 'json', '-o', path.join(dir, 'report.json'), '--fail-on', 'refusal'], { stdout: new PassThrough(), stderr: stderr.stream });
  assert.equal(code, 3);
  const text = stderr.text();
  assert.match(text, /responses/, 'a progress line was drawn');
  for (const message of ['refusal-lens: wrote json report', 'refusal-lens: gate tripped']) {
    const at = text.indexOf(message);
    assert.ok(at > 0, message);
    const before = text.slice(0, at);
    assert.ok(before.endsWith('\r\x1b[K') || before.endsWith('\n'), `${message} starts a clean line, after ${JSON.stringify(before.slice(-40))}`);
  }
});
