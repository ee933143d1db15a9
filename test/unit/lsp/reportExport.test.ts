import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileUri, fixtureText, makeServer } from '../../helpers/lspServer';

function workspace(t: { after(fn: () => void): void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'refusal-lens-export-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.writeFileSync(path.join(dir, 'chat.jsonl'), fixtureText('chat.jsonl'));
  return dir;
}

test('Export Report writes the CLI JSON report of whole responses to the chosen file', async (t) => {
  const dir = workspace(t);
  const { server } = makeServer({ workspaceFolders: [dir] });
  const target = path.join(dir, 'out', 'report.json');
  fs.mkdirSync(path.dirname(target));
  const r = await server.exportReport({ uris: [fileUri(path.join(dir, 'chat.jsonl'))], format: 'json', target: fileUri(target) }, new AbortController().signal);
  assert.equal(r.ok, true, r.message);
  assert.deepEqual([r.files, r.responses], [1, 4]);
  const report = JSON.parse(fs.readFileSync(target, 'utf8'));
  assert.equal(report.files[0].path, 'chat.jsonl');
  assert.equal(report.files[0].responses.length, 4);
  assert.equal(report.summary.refusals, 2);
  assert.deepEqual(fs.readdirSync(path.dirname(target)), ['report.json'], 'no temporary file left');
});

test('Export Report never writes over a result file, and a cancelled export leaves nothing', async (t) => {
  const dir = workspace(t);
  const source = path.join(dir, 'chat.jsonl');
  const { server } = makeServer({ workspaceFolders: [dir] });
  const onto = await server.exportReport({ uris: [fileUri(source)], format: 'csv', target: fileUri(source) }, new AbortController().signal);
  assert.equal(onto.ok, false);
  assert.match(onto.message, /is one of the result files/);
  assert.equal(fs.readFileSync(source, 'utf8'), fixtureText('chat.jsonl'));

  const c = new AbortController();
  c.abort();
  const cancelled = await server.exportReport({ uris: [fileUri(source)], format: 'sarif', target: fileUri(path.join(dir, 'r.sarif')) }, c.signal);
  assert.deepEqual([cancelled.ok, cancelled.message], [false, 'Export cancelled: no report was written.']);
  assert.deepEqual(fs.readdirSync(dir), ['chat.jsonl']);
});
