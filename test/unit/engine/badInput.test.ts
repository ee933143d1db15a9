import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { defaultExtractSettings, extractText } from '../../../server/src/engine/extract';
import { readFileRecords } from '../../helpers/fileRecords';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rl-bad-'));
const good = (content: string) => JSON.stringify({ messages: [{ role: 'user', content: 'q' }, { role: 'assistant', content }] });

function readAll(file: string, overrides: Partial<typeof defaultExtractSettings> = {}) {
  return readFileRecords(file, { ...defaultExtractSettings, maxFileBytes: 1 << 30, ...overrides });
}

function write(name: string, data: string | Buffer): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, data);
  return p;
}

test('a malformed JSONL line is an error on its line; the lines around it are read', async () => {
  const f = write('mixed.jsonl', [good('one'), '{"messages": [oops]}', 'not json at all', good('four')].join('\n'));
  const r = await readAll(f);
  assert.deepEqual(r.responses.map((x) => x.text), ['one', 'four']);
  assert.deepEqual(r.errors.map((e) => e.range.start.line), [1, 2]);
  assert.ok(r.errors.every((e) => e.kind === 'syntax' && /^Line \d+: /.test(e.message)));
  assert.equal(r.responses[1].range.start.line, 3);
});

test('truncated JSON: an error at the end, the complete records before it are read', async () => {
  const doc = JSON.stringify([{ messages: [{ role: 'assistant', content: 'first' }] }, { messages: [{ role: 'assistant', content: 'second' }] }], null, 2);
  const f = write('cut.json', doc.slice(0, doc.lastIndexOf('second') + 3));
  const r = await readAll(f);
  assert.equal(r.format, 'openai-chat');
  assert.deepEqual(r.responses.map((x) => x.text), ['first']);
  assert.equal(r.errors.length, 1);
  assert.match(r.errors[0].message, /Unterminated string|Unexpected end of input/);
});

test('invalid UTF-8: reported with its line, the file still read with replacement characters', async () => {
  const bytes = Buffer.concat([Buffer.from(good('caf') + '\n'), Buffer.from(good('bad \xff byte'), 'latin1'), Buffer.from('\n' + good('after'))]);
  const r = await readAll(write('latin.jsonl', bytes));
  assert.equal(r.responses.length, 3);
  assert.ok(r.responses[1].text.includes('\uFFFD'));
  const enc = r.errors.find((e) => e.kind === 'encoding');
  assert.ok(enc, 'an encoding error');
  assert.equal(enc!.range.start.line, 1);

  const whole = await readAll(write('latin.json', Buffer.concat([Buffer.from('[\n' + good('a') + ',\n'), Buffer.from(good('\xe9'), 'latin1'), Buffer.from('\n]')])));
  assert.equal(whole.responses.length, 2);
  assert.equal(whole.errors.find((e) => e.kind === 'encoding')?.range.start.line, 2);
});

test('a binary file is reported, not parsed', async () => {
  const r = await readAll(write('blob.json', Buffer.from([0x7b, 0x00, 0x01, 0x02, 0xff, 0x00])));
  assert.equal(r.responses.length, 0);
  assert.equal(r.errors[0].kind, 'binary');
  assert.equal(extractText('{"a":\u0000}', 'x.json').errors[0].kind, 'binary');
});

test('an empty file is reported', async () => {
  const r = await readAll(write('empty.jsonl', ''));
  assert.equal(r.errors[0].kind, 'empty');
  assert.equal(extractText('  \n', 'x.json').errors[0].kind, 'empty');
});

test('a 50 MB single line: read when within the line limit, skipped unread past it; the next line is read either way', async () => {
  const big = good('x'.repeat(50 * 1024 * 1024));
  const f = write('long.jsonl', `${big}\n${good('next')}\n`);
  const within = await readAll(f);
  assert.equal(within.responses.length, 2);
  assert.equal(within.responses[1].text, 'next');
  const over = await readAll(f, { maxLineLength: 8 * 1024 * 1024 });
  assert.deepEqual(over.responses.map((x) => x.text), ['next']);
  assert.equal(over.errors[0].kind, 'limit');
  assert.match(over.errors[0].message, /Line 1 is 50\.0 MB long/);
});

test('JSON nested 100,000 levels deep: one error, no crash, the rest of the document read', async () => {
  const deep = '['.repeat(100000) + ']'.repeat(100000);
  const doc = `[{"messages": [{"role": "assistant", "content": "kept"}], "junk": ${deep}}, ${good('also kept')}]`;
  const r = await readAll(write('deep.json', doc));
  assert.deepEqual(r.responses.map((x) => x.text), ['kept', 'also kept']);
  assert.equal(r.errors.length, 1);
  assert.match(r.errors[0].message, /Nested deeper than/);
});

test('a file too large to read whole is reported without reading it', async () => {
  const f = write('big.json', JSON.stringify([{ messages: [{ role: 'assistant', content: 'x'.repeat(4096) }] }]));
  const r = await readAll(f, { maxFileBytes: 1024 } as never);
  assert.equal(r.errors[0].kind, 'limit');
});

test('a missing file and a folder are io errors', async () => {
  assert.equal((await readAll(path.join(dir, 'nope.jsonl'))).errors[0].kind, 'io');
  assert.equal((await readAll(dir)).errors[0].kind, 'io');
});

test('JSON of no known shape says how to name the fields', () => {
  const r = extractText('{"name": "refusal-lens", "version": "1.0.0"}', 'package.json');
  assert.equal(r.format === null || r.responses.length === 0, true);
  if (r.format === null) assert.match(r.errors[0].message, /--input-format|--field/);
});
