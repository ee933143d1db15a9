import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { inspectEvalFormat } from '../../../server/src/formats/inspectEval';
import { defaultExtractOptions } from '../../../server/src/formats/records';
import { readFileRecords } from '../../helpers/fileRecords';
import { defaultExtractSettings } from '../../../server/src/engine/extract';
import { buildEvalArchive, sampleMemberName, type EvalArchiveOptions } from '../../helpers/evalArchive';
import { assertExactRanges, decodeJson } from '../../helpers/rangeChecks';
import { collectingSink } from '../../helpers/sink';

const fixtures = path.join(__dirname, '../../fixtures/formats');
const log = JSON.parse(fs.readFileSync(path.join(fixtures, 'inspect-log.json'), 'utf8')) as Record<string, unknown> & { samples: Array<Record<string, unknown>> };

/** The seven responses of inspect-log.json, as ids in the archive. */
const EXPECTED_IDS = [
  'samples/1_epoch_1.json: messages[2].content',
  'samples/2_epoch_1.json: messages[1].content',
  'samples/4_epoch_1.json: messages[1].content',
  'samples/5_epoch_2.json: messages[3].content',
  'samples/6_epoch_1.json: output.choices[0].message.content',
  'samples/weather-oslo_epoch_1.json: messages[1].content',
  'samples/weather-oslo_epoch_1.json: messages[3].content',
];

function extract(bytes: Uint8Array) {
  const sink = collectingSink();
  inspectEvalFormat.extract(bytes, defaultExtractOptions, sink);
  return sink;
}

function checkRanges(x: ReturnType<typeof extract>, texts: Map<string, string>) {
  for (const r of x.responses) {
    const member = texts.get(r.entry!);
    assert.ok(member, `${r.id}: names its member`);
    assertExactRanges(member, r, decodeJson, { joined: r.entry === 'samples/2_epoch_1.json' });
  }
}

const variants: Array<[string, EvalArchiveOptions]> = [
  ['deflate', { method: 'deflate' }],
  ['zstd (raw blocks, content size in the frame)', { method: 'zstd' }],
  ['zstd without content size (as streaming compressors write)', { method: 'zstd', zstdNoContentSize: true }],
  ['stored', { method: 'stored' }],
  ['ZIP64 records', { method: 'deflate', zip64: true }],
];

for (const [name, options] of variants) {
  test(`a .eval archive, ${name}: the same responses as the .json log, ranges exact in their member`, () => {
    const archive = buildEvalArchive(log, options);
    const x = extract(archive.bytes);
    assert.deepEqual(x.errors, []);
    assert.deepEqual(x.responses.map((r) => r.id), EXPECTED_IDS);
    for (const r of x.responses) {
      assert.equal(r.model, 'openai/gpt-4o-mini');
      assert.equal(r.metadata.task, 'refusal_probe');
      assert.ok(r.id.startsWith(`${r.entry}: `));
    }
    checkRanges(x, archive.texts);
  });
}

test('summaries and journal members are not read (they repeat inputs, never outputs)', () => {
  const x = extract(buildEvalArchive(log, { method: 'deflate' }).bytes);
  assert.ok(x.responses.every((r) => r.entry?.startsWith('samples/')));
});

test('a member compressed by the zstd tool itself (compressed blocks, checksum, no content size)', () => {
  const plain = fs.readFileSync(path.join(fixtures, 'inspect-sample-4_epoch_1.json'), 'utf8');
  const compressed = new Uint8Array(fs.readFileSync(path.join(fixtures, 'inspect-sample-4_epoch_1.json.zst')));
  const archive = buildEvalArchive(
    { ...log, samples: [] },
    { override: (members) => [...members, { name: 'samples/4_epoch_1.json', data: plain, method: 'zstd', compressed }] },
  );
  const x = extract(archive.bytes);
  assert.deepEqual(x.errors, []);
  assert.equal(x.responses.length, 1);
  assert.ok(x.responses[0].text.startsWith('I won’t write a phishing email'));
  checkRanges(x, archive.texts);
});

test('while a run is going on (no header.json) the model comes from _journal/start.json', () => {
  const x = extract(buildEvalArchive(log, { noHeader: true }).bytes);
  assert.equal(x.responses.length, 7);
  assert.equal(x.responses[0].model, 'openai/gpt-4o-mini');
});

test('an unknown compression method: an error naming the member, the other members still read', () => {
  const bzip = sampleMemberName(log.samples[0]);
  const archive = buildEvalArchive(log, { method: 'deflate' });
  const bytes = patchMethod(archive.bytes, bzip, 12);
  const x = extract(bytes);
  assert.equal(x.errors.length, 1);
  assert.equal(x.errors[0].entry, bzip);
  assert.match(x.errors[0].message, /compression method 12 is not supported/);
  assert.equal(x.responses.length, 6);
});

test('a corrupt member: an error naming it, the other members still read', () => {
  const victim = sampleMemberName(log.samples[2]);
  const archive = buildEvalArchive(log, { method: 'deflate' });
  const bytes = archive.bytes.slice();
  const at = dataOffset(bytes, victim);
  for (let i = 10; i < 40; i++) bytes[at + i] ^= 0x5a;
  const x = extract(bytes);
  assert.equal(x.errors.length, 1);
  assert.equal(x.errors[0].entry, victim);
  assert.match(x.errors[0].message, /corrupt|CRC-32|decompresses/);
  assert.deepEqual(
    x.responses.map((r) => r.entry),
    EXPECTED_IDS.map((id) => id.split(': ')[0]).filter((e) => e !== victim),
  );
});

test('a member that is not valid JSON: syntax errors inside it, with its name and position', () => {
  const victim = sampleMemberName(log.samples[0]);
  const archive = buildEvalArchive(log, {
    method: 'zstd',
    override: (members) => members.map((m) => (m.name === victim ? { ...m, data: (m.data as string).slice(0, 400) } : m)),
  });
  const x = extract(archive.bytes);
  assert.ok(x.errors.length >= 1);
  assert.ok(x.errors.every((e) => e.entry === victim && e.kind === 'syntax'));
  assert.ok(x.errors[0].range.start.line > 0);
  assert.equal(x.responses.length, 6);
});

test('a truncated archive (central directory lost): the members still whole are read, with a warning', () => {
  const archive = buildEvalArchive(log, { method: 'deflate' });
  const cut = archive.bytes.subarray(0, dataOffset(archive.bytes, 'samples/6_epoch_1.json') + 20);
  const x = extract(cut);
  assert.match(x.errors[0].message, /Damaged \.eval archive: no end of central directory/);
  assert.ok(x.errors.some((e) => e.entry === 'samples/6_epoch_1.json' && /truncated|past the end/.test(e.message)));
  assert.deepEqual(
    x.responses.map((r) => r.id),
    EXPECTED_IDS.filter((id) => ['samples/1_', 'samples/2_', 'samples/weather', 'samples/4_', 'samples/5_'].some((p) => id.startsWith(p))).sort((a, b) => a.localeCompare(b, 'en', { numeric: true })),
  );
});

test('a file that is no ZIP at all: one clear error', () => {
  const x = extract(new TextEncoder().encode('this is not a zip archive, just text that ends up named .eval'));
  assert.equal(x.responses.length, 0);
  assert.equal(x.errors.length, 1);
  assert.match(x.errors[0].message, /Not a readable ZIP archive/);
});

test('the CLI reads .eval files from disk as archives', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rl-eval-'));
  try {
    const file = path.join(dir, '2025-03-02T10-00-00+00-00_refusal-probe_kB3n7QpXy2Vd8sLm.eval');
    fs.writeFileSync(file, buildEvalArchive(log, { method: (name) => (name.startsWith('samples/') ? 'zstd' : 'deflate') }).bytes);
    const fx = await readFileRecords(file, { ...defaultExtractSettings, maxFileBytes: 1 << 30 });
    assert.deepEqual(fx.errors, []);
    assert.equal(fx.format, 'inspect-eval');
    assert.equal(fx.responses.length, 7);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/** Offset of a member's data (after its local header), found through the central directory. */
function dataOffset(zip: Uint8Array, name: string): number {
  const v = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const local = centralEntry(zip, name).localOffset;
  return local + 30 + v.getUint16(local + 26, true) + v.getUint16(local + 28, true);
}

function centralEntry(zip: Uint8Array, name: string): { central: number; localOffset: number } {
  const v = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const end = zip.length - 22;
  let p = v.getUint32(end + 16, true);
  for (let k = 0; k < v.getUint16(end + 10, true); k++) {
    const nameLength = v.getUint16(p + 28, true);
    const entryName = new TextDecoder().decode(zip.subarray(p + 46, p + 46 + nameLength));
    if (entryName === name) return { central: p, localOffset: v.getUint32(p + 42, true) };
    p += 46 + nameLength + v.getUint16(p + 30, true) + v.getUint16(p + 32, true);
  }
  throw new Error(`no member ${name}`);
}

/** Sets a member's compression method in both its headers. */
function patchMethod(zip: Uint8Array, name: string, method: number): Uint8Array {
  const out = zip.slice();
  const v = new DataView(out.buffer);
  const { central, localOffset } = centralEntry(out, name);
  v.setUint16(central + 10, method, true);
  v.setUint16(localOffset + 8, method, true);
  return out;
}

test('the example archive (scripts/make-example-eval.ts): 10 samples, 11 model turns, and the script reproduces it byte for byte', async () => {
  const file = path.join(__dirname, '../../../examples/inspect-log.eval');
  const committed = fs.readFileSync(file);
  const x = extract(new Uint8Array(committed));
  assert.deepEqual(x.errors, []);
  assert.equal(x.responses.length, 11);
  assert.ok(x.responses.every((r) => r.model === 'openai/gpt-4.1-mini'));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rl-example-'));
  try {
    const out = path.join(dir, 'again.eval');
    const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, '../../../scripts/make-example-eval.ts'), out], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.ok(fs.readFileSync(out).equals(committed), 'examples/inspect-log.eval is what the script writes');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
