import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { defaultExtractSettings, extractText } from '../../../server/src/engine/extract';
import { decodeUtf8 } from '../../../server/src/engine/utf8';
import { JsonStreamReader, SPAN_FIELDS, type Mode } from '../../../server/src/engine/jsonStream';
import type { ParseErrorRecord, ResponseRecord } from '../../../server/src/formats/records';
import { readFileRecords } from '../../helpers/fileRecords';

// The streaming path (engine/jsonStream.ts) must give exactly what the in-memory path gives:
// the same records with the same ranges and text maps, the same errors at the same places.

const root = path.resolve(__dirname, '../../..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rl-stream-'));
const settings = { ...defaultExtractSettings, maxFileBytes: 1 << 30 };

interface Read {
  format: string | null;
  responses: ResponseRecord[];
  errors: ParseErrorRecord[];
  strategy?: Mode;
  held?: number;
}

/** What must match: every field of every record, the map's answers on a few spans, the errors as a set. */
function canonical(r: Read) {
  return {
    format: r.format,
    responses: r.responses.map((x) => {
      const n = x.text.length;
      const h = Math.floor(n / 2);
      return { ...x, map: [x.map.range(0, n), x.map.range(0, Math.min(1, n)), x.map.range(h, n), x.map.range(h, h)] };
    }),
    errors: r.errors.map((e) => JSON.stringify(e)).sort(),
  };
}

/** The in-memory path as the CLI takes it for a file read whole: decoded (encoding errors reported), then extracted. */
function inMemory(data: Buffer, name: string): Read {
  const errors: ParseErrorRecord[] = [];
  const text = decodeUtf8(data, { response: () => undefined, error: (e) => errors.push(e) });
  const x = extractText(text, name, settings);
  return { ...x, errors: [...errors, ...x.errors] };
}

/** The streaming reader fed `chunk` bytes at a time (noted elements read back from the same bytes). */
function streamed(data: Buffer, name: string, chunk = 65536): Read {
  const out: Read = { format: null, responses: [], errors: [] };
  const reader = new JsonStreamReader(name, settings, { response: (r) => out.responses.push(r), error: (e) => out.errors.push(e) }, null);
  for (let i = 0; i < data.length; i += chunk) reader.write(data.subarray(i, i + chunk));
  out.held = reader.heldBytes;
  const end = reader.end();
  out.strategy = reader.strategy;
  if (end.kind === 'done') out.format = end.format;
  else if (end.kind === 'spans') {
    for (let k = 0; k < end.spans.count; k++) {
      const from = end.spans.data[k * SPAN_FIELDS];
      const to = end.spans.data[k * SPAN_FIELDS + 1];
      reader.deferredElement(end.spans, k, data.subarray(from, to < 0 ? data.length : to));
    }
    out.format = reader.finish();
  } else return { ...inMemory(data, name), strategy: 'whole' };
  return out;
}

function fromDisk(file: string): Promise<Read> {
  return readFileRecords(file, { ...settings, streamJsonAbove: 0 });
}

function write(name: string, data: string | Buffer): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, data);
  return p;
}

const chat = (i: number) => ({
  model: ['gpt-4o', 'llama-3-70b', 'claude-3'][i % 3],
  messages: [
    { role: 'user', content: `Question ${i}: "quoted", tab\there, café, 中文, 😀` },
    { role: 'assistant', content: i % 4 === 0 ? [{ type: 'text', text: `I can't help with that (${i}).` }, { type: 'text', text: 'Sorry.\nReally.' }] : `Answer ${i}\\ with a backslash and a newline\nand 😀 after it.` },
  ],
});

test('every JSON example and fixture reads the same streamed (from disk) as in memory', async () => {
  const files = ['examples', 'test/fixtures/formats', 'test/fixtures/e2e']
    .flatMap((d) => fs.readdirSync(path.join(root, d)).filter((f) => f.endsWith('.json')).map((f) => path.join(root, d, f)));
  assert.ok(files.length >= 10, `found ${files.length} JSON files`);
  for (const f of files) {
    const data = fs.readFileSync(f);
    assert.deepEqual(canonical(await fromDisk(f)), canonical(inMemory(data, f)), f);
    for (const chunk of [1, 13]) assert.deepEqual(canonical(streamed(data, f, chunk)), canonical(inMemory(data, f)), `${f} in ${chunk}-byte pieces`);
  }
});

test('a large array streams: elements read as they come, only its brackets held; exact ranges in every layout', () => {
  const records = Array.from({ length: 60 }, (_, i) => chat(i));
  const layouts: Record<string, string> = {
    pretty: JSON.stringify(records, null, 2),
    minified: `\uFEFF${JSON.stringify(records)}`,
    crlf: JSON.stringify(records, null, 1).replace(/\n/g, '\r\n'),
    cr: JSON.stringify(records, null, 1).replace(/\n/g, '\r'),
    'one a line': `[\n${records.map((r) => JSON.stringify(r)).join(',\n')}\n]\n`,
  };
  for (const [layout, text] of Object.entries(layouts)) {
    const data = Buffer.from(text);
    const expected = canonical(inMemory(data, 'chat.json'));
    assert.equal(expected.responses.length, 60);
    for (const chunk of [1, 5, 4096, 1 << 20]) {
      const r = streamed(data, 'chat.json', chunk);
      assert.equal(r.strategy, 'stream', layout);
      assert.ok(r.held! < 64, `${layout}: ${r.held} bytes held apart from elements`);
      assert.deepEqual(canonical(r), expected, `${layout} in ${chunk}-byte pieces`);
    }
  }
});

test('a header after the records: the elements are noted, then read once the header is known', async () => {
  const inspect = JSON.parse(fs.readFileSync(path.join(root, 'test/fixtures/formats/inspect-log.json'), 'utf8'));
  const samples = Array.from({ length: 12 }, (_, k) => inspect.samples.map((s: { id: unknown }) => ({ ...s, id: `${s.id}-${k}` }))).flat();
  const { samples: _, ...header } = inspect;
  const before = JSON.stringify({ ...header, samples }, null, 2);
  const after = JSON.stringify({ samples, ...header }, null, 2); // eval (the model) and version after the samples
  const promptfoo = JSON.parse(fs.readFileSync(path.join(root, 'test/fixtures/formats/promptfoo-v3.json'), 'utf8'));
  promptfoo.results.results = Array.from({ length: 8 }, () => promptfoo.results.results).flat();
  const sorted = JSON.stringify(promptfoo, Object.keys(flatKeys(promptfoo)).sort(), 1); // results.version after results.results
  const v2 = JSON.stringify(JSON.parse(fs.readFileSync(path.join(root, 'test/fixtures/formats/promptfoo-v2.json'), 'utf8')), null, 2);
  const cases: Array<[string, string, Mode]> = [
    ['inspect, header first', before, 'stream'],
    ['inspect, header last', after, 'stream'],
    ['promptfoo v3, keys sorted', sorted, 'stream'],
    ['promptfoo v2 (its table after its results)', v2, 'stream'],
  ];
  for (const [name, text, strategy] of cases) {
    const data = Buffer.from(text);
    const expected = canonical(inMemory(data, `${name}.json`));
    assert.ok(expected.responses.length > 0, name);
    for (const chunk of [7, 1 << 20]) {
      const r = streamed(data, `${name}.json`, chunk);
      assert.equal(r.strategy, strategy, name);
      assert.deepEqual(canonical(r), expected, `${name} in ${chunk}-byte pieces`);
    }
    // the model comes from the header even when it is read after the samples
    if (name.startsWith('inspect')) assert.ok(canonical(streamed(data, 'x.json')).responses.every((r) => r.model === inspect.eval.model));
    const file = write(`${name.replace(/\W+/g, '-')}.json`, data);
    assert.deepEqual(canonical(await fromDisk(file)), expected, `${name} from disk`);
  }
  // the deferred case really waited for the header: elements were noted, not parsed early
  const reader = new JsonStreamReader('after.json', settings, { response: () => undefined, error: () => undefined }, null);
  reader.write(Buffer.from(after.slice(0, after.indexOf('"version"'))));
  assert.equal(reader.strategy, 'defer');
});

test('a document no streaming format reads is read whole, once, as before', () => {
  const generic = JSON.stringify(Array.from({ length: 30 }, (_, i) => ({ prompt: `Question number ${i}?`, output: `I am afraid I cannot answer question ${i}.` })), null, 2);
  const data = Buffer.from(generic);
  const r = streamed(data, 'answers.json', 100);
  assert.equal(r.strategy, 'whole');
  assert.equal(r.format, 'generic');
  assert.deepEqual(canonical(r), canonical(inMemory(data, 'answers.json')));
});

test('malformed elements are errors at their place; the elements around them are read', () => {
  const base = JSON.stringify(Array.from({ length: 40 }, (_, i) => (i === 20 ? 5 : chat(i))), null, 2);
  const corruptions: Array<[string, (s: string) => string]> = [
    ['missing comma', (s) => s.replace('},\n  {', '}\n  {')],
    ['garbage after an element', (s) => s.replace('},\n  5', '} x,\n  5')],
    ['unterminated string', (s) => s.replace('"claude-3"', '"claude-3')],
    ['trailing comma', (s) => s.replace(/\n\]$/, ',\n]')],
    ['closed by a brace', (s) => s.replace(/\n\]$/, '\n}')],
    ['bad literal', (s) => s.replace('5,', 'tru,')],
    ['empty element', (s) => s.replace('5,', ',,')],
    ['missing colon inside an element', (s) => s.replace('"role": "user"', '"role" "user"')],
    ['content after the document', (s) => `${s}\n{"more": 1}`],
    ['brackets unbalanced inside an element', (s) => s.replace('5,', '5 ]] ,')],
  ];
  for (const [name, corrupt] of corruptions) {
    const text = corrupt(base);
    assert.notEqual(text, base, name);
    const data = Buffer.from(text);
    const expected = canonical(inMemory(data, 'bad.json'));
    assert.ok(expected.errors.length > 0, name);
    for (const chunk of [3, 1 << 20]) assert.deepEqual(canonical(streamed(data, 'bad.json', chunk)), expected, `${name} in ${chunk}-byte pieces`);
  }
  // e.g. the garbage: one error where the in-memory parse puts it, and every record still read
  const garbage = streamed(Buffer.from(base.replace('},\n  5', '} x,\n  5')), 'bad.json');
  assert.equal(garbage.errors.length, 1);
  assert.match(garbage.errors[0].message, /^Expected ',' or '\]' after an array element, found 'x'$/);
  assert.equal(garbage.responses.length, 39 * 1);
});

test('a document cut anywhere: the records before the cut and the one error, as in memory', () => {
  const small = JSON.stringify([chat(0), 7, chat(1)], null, 2);
  for (let cut = 1; cut < small.length; cut++) {
    const data = Buffer.from(small.slice(0, cut));
    assert.deepEqual(canonical(streamed(data, 'cut.json', 11)), canonical(inMemory(data, 'cut.json')), `cut at ${cut}`);
  }
  const big = JSON.stringify(Array.from({ length: 40 }, (_, i) => chat(i)), null, 2);
  for (const cut of [big.length - 2, Math.floor(big.length * 0.7), big.indexOf('😀', big.length / 2) + 2]) {
    const data = Buffer.from(big).subarray(0, Buffer.byteLength(big.slice(0, cut)));
    const expected = canonical(inMemory(data, 'cut.json'));
    assert.equal(expected.errors.length, 1, `cut at ${cut}`);
    assert.deepEqual(canonical(streamed(data, 'cut.json', 4096)), expected, `cut at ${cut}`);
  }
});

test('invalid UTF-8 in a streamed element: one error with its byte and line, the document still read', () => {
  const text = JSON.stringify(Array.from({ length: 30 }, (_, i) => chat(i)), null, 2);
  const data = Buffer.from(text);
  const at = data.indexOf('Answer 21');
  data[at + 2] = 0xff;
  const r = streamed(data, 'bad-utf8.json');
  const expected = inMemory(data, 'bad-utf8.json');
  assert.equal(expected.errors.length, 1);
  assert.match(expected.errors[0].message, new RegExp(`^Invalid UTF-8 at byte ${at + 2} \\(line \\d+\\)`));
  assert.equal(r.strategy, 'stream');
  assert.deepEqual(canonical(r), canonical(expected));
});

/** Every key of a nested object (for JSON.stringify's sorted-keys replacer). */
function flatKeys(value: unknown, into: Record<string, true> = {}): Record<string, true> {
  if (Array.isArray(value)) value.forEach((v) => flatKeys(v, into));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      into[k] = true;
      flatKeys(v, into);
    }
  }
  return into;
}
