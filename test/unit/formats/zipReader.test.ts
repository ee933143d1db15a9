import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { crc32 } from '../../../server/src/formats/zip/crc32';
import { readZipDirectory, readZipEntry, ZipError } from '../../../server/src/formats/zip/zipReader';
import { buildZip, crc32Bitwise } from '../../../scripts/zipWriter';

const text = (b: Uint8Array) => new TextDecoder().decode(b);

test('CRC-32 matches the standard check value and the bitwise reference', () => {
  const data = new TextEncoder().encode('123456789');
  assert.equal(crc32(data), 0xcbf43926);
  const random = Uint8Array.from({ length: 5000 }, (_, i) => (i * 2654435761) >>> 24);
  assert.equal(crc32(random), crc32Bitwise(random));
});

test('an archive comment after the end record does not hide the directory', () => {
  const zip = buildZip([{ name: 'a.json', data: '{"a": 1}' }]);
  const comment = new TextEncoder().encode('written by a tool that signs its archives');
  const withComment = new Uint8Array(zip.length + comment.length);
  withComment.set(zip);
  withComment.set(comment, zip.length);
  new DataView(withComment.buffer).setUint16(zip.length - 2, comment.length, true);
  const dir = readZipDirectory(withComment);
  assert.equal(dir.recovered, null);
  assert.equal(text(readZipEntry(withComment, dir.entries[0], 1000)), '{"a": 1}');
});

test('members over the size limit, and encrypted members, are refused with a reason', () => {
  const zip = buildZip([{ name: 'big.json', data: 'x'.repeat(5000), method: 'deflate' }]);
  const [entry] = readZipDirectory(zip).entries;
  assert.throws(() => readZipEntry(zip, entry, 100), (e: unknown) => e instanceof ZipError && /over the limit/.test(e.message));
  assert.throws(() => readZipEntry(zip, { ...entry, flags: entry.flags | 1 }, 1e6), /encrypted/);
});

test('a deflate stream that inflates past its declared size is corrupt, not read', () => {
  const zip = buildZip([{ name: 'a.json', data: 'y'.repeat(5000), method: 'deflate' }]);
  const [entry] = readZipDirectory(zip).entries;
  assert.throws(() => readZipEntry(zip, { ...entry, size: 100 }, 1e6), (e: unknown) => e instanceof ZipError && /corrupt/.test(e.message));
});

test('with the directory gone, members are found by their local headers', () => {
  const zip = buildZip([
    { name: 'one.json', data: '1', method: 'stored' },
    { name: 'two.json', data: '22', method: 'zstd' },
  ]);
  const v = new DataView(zip.buffer);
  const end = zip.length - 22;
  const cut = zip.subarray(0, v.getUint32(end + 16, true)); // everything before the central directory
  const dir = readZipDirectory(cut);
  assert.match(dir.recovered ?? '', /2 member\(s\) found by their local headers/);
  assert.deepEqual(dir.entries.map((e) => text(readZipEntry(cut, e, 10))), ['1', '22']);
});
