import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkVsixEntries } from '../../../scripts/packaging/vsixContents';
import { findTarget, nativeAllowLine } from '../../../scripts/packaging/targets';
import { listZip, type ZipEntry } from '../../../scripts/packaging/zipListing';

const linux = findTarget('linux-x64');
const entry = (name: string): ZipEntry => ({ name, size: 1, compressedSize: 1 });
const good = [
  '[Content_Types].xml',
  'extension.vsixmanifest',
  'extension/package.json',
  'extension/readme.md',
  'extension/LICENSE.txt',
  'extension/media/icon.png',
  'extension/dist/client.js',
  'extension/dist/server.js',
  'extension/dist/inferenceWorker.js',
  'extension/node_modules/onnxruntime-node/package.json',
  'extension/node_modules/onnxruntime-node/dist/index.js',
  'extension/node_modules/onnxruntime-node/bin/napi-v6/linux/x64/onnxruntime_binding.node',
  'extension/node_modules/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime.so.1',
  'extension/node_modules/onnxruntime-common/package.json',
  'extension/node_modules/onnxruntime-common/dist/cjs/index.js',
  'extension/node_modules/onnxruntime-common/dist/cjs/package.json',
  'extension/node_modules/onnxruntime-common/dist/cjs/tensor-impl.js',
];

test('a package with the bundles and its own platform runtime passes', () => {
  assert.deepEqual(checkVsixEntries(good.map(entry), linux), { unexpected: [], missing: [] });
});

test('other platforms, sources, tests, maps and scratch files are named with the reason', () => {
  const bad = [
    'extension/node_modules/onnxruntime-node/bin/napi-v6/win32/x64/onnxruntime.dll',
    'extension/node_modules/onnxruntime-node/bin/napi-v6/linux/arm64/onnxruntime_binding.node',
    'extension/server/src/lsp/main.ts',
    'extension/test/e2e/suite/index.ts',
    'extension/dist/test/suite.js',
    'extension/dist/server.js.map',
    'extension/.vscode-test/code-server/node_modules/code-server/package.json',
    'extension/node_modules/sharp/lib/index.js',
    'extension/examples/promptfoo.json',
  ];
  const { unexpected } = checkVsixEntries([...good, ...bad].map(entry), linux);
  assert.deepEqual(
    unexpected.map((u) => u.why),
    [
      'native binary for win32-x64, not linux-x64',
      'native binary for linux-arm64, not linux-x64',
      'source file',
      'source file',
      'test code',
      'source map',
      'code-server scratch (.vscode-test)',
      'dependency file not on the allow-list',
      'not on the allow-list',
    ],
  );
});

test('a package without the server bundle or without its native runtime is incomplete', () => {
  const withoutServer = good.filter((n) => n !== 'extension/dist/server.js');
  assert.deepEqual(checkVsixEntries(withoutServer.map(entry), linux).missing, ['extension/dist/server.js']);
  const arm = checkVsixEntries(good.map(entry), findTarget('linux-arm64'));
  assert.equal(arm.missing.length, 1);
  assert.match(arm.missing[0], /linux\/arm64\/onnxruntime_binding/);
  assert.equal(arm.unexpected.length, 2, 'the x64 binaries are unexpected in an arm64 package');
});

test('each target lets in only its own native folder', () => {
  assert.equal(nativeAllowLine(findTarget('win32-arm64')), '!node_modules/onnxruntime-node/bin/napi-v*/win32/arm64/**');
  assert.throws(() => findTarget('alpine-x64'), /unknown target "alpine-x64"/);
});

/** A zip with stored (uncompressed) entries, enough to test the reader against real bytes. */
function storedZip(files: Record<string, string>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(files)) {
    const nameBuf = Buffer.from(name, 'utf8');
    const data = Buffer.from(text, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBuf.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBuf.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBuf, data);
    centrals.push(central, nameBuf);
    offset += 30 + nameBuf.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(Object.keys(files).length, 8);
  eocd.writeUInt16LE(Object.keys(files).length, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, eocd]);
}

test('listZip reads names and sizes from the central directory', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vsix-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'x.vsix');
  fs.writeFileSync(file, storedZip({ 'extension/package.json': '{}', 'extension/dist/é.js': 'abc' }));
  assert.deepEqual(listZip(file), [
    { name: 'extension/package.json', size: 2, compressedSize: 2 },
    { name: 'extension/dist/é.js', size: 3, compressedSize: 3 },
  ]);
  fs.writeFileSync(file, 'not a zip at all, just text long enough to search');
  assert.throws(() => listZip(file), /not a zip archive/);
});
