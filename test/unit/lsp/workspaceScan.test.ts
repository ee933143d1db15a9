import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FakeDocument } from '../../helpers/fakeServerHost';
import { fileUri, fixtureText, makeServer } from '../../helpers/lspServer';

function workspace(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'refusal-lens-scan-'));
  fs.mkdirSync(path.join(dir, 'evals'));
  fs.writeFileSync(path.join(dir, 'evals/chat.jsonl'), fixtureText('chat.jsonl'));
  fs.writeFileSync(path.join(dir, 'evals/broken.jsonl'), `${fixtureText('chat.jsonl').split('\n')[0]}\n{"messages": [\n`);
  fs.writeFileSync(path.join(dir, 'package.json'), '{"name": "not-an-eval"}');
  return dir;
}

test('scan: rows streamed per file, diagnostics to files not open, unrecognised files skipped quietly', async (t) => {
  const dir = workspace();
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const { host, server } = makeServer({ workspaceFolders: [dir] });
  const chat = fileUri(path.join(dir, 'evals/chat.jsonl'));
  const broken = fileUri(path.join(dir, 'evals/broken.jsonl'));
  const pkg = fileUri(path.join(dir, 'package.json'));
  const result = await server.scanWorkspace({ scanId: 's1', uris: [chat, broken, pkg] }, new AbortController().signal);

  assert.deepEqual(result, { scanId: 's1', files: 2, skipped: 1, responses: 5, refusals: 3, overRefusals: 1, parseErrors: 1, cancelled: false });
  const rows = host.scanRows.flatMap((r) => r.rows);
  assert.ok(host.scanRows.every((r) => r.scanId === 's1'));
  assert.equal(rows.length, 5);
  assert.deepEqual([...new Set(rows.map((r) => r.file))], ['evals/chat.jsonl', 'evals/broken.jsonl']);
  assert.ok(rows.every((r) => r.format === 'openai-chat'));
  assert.equal(host.diagnostics(chat)!.length, 2);
  assert.deepEqual(host.diagnostics(broken)!.map((d) => d.code), ['refusal', 'parse-error']);
  assert.equal(host.diagnostics(pkg), undefined, 'nothing said about files we do not read');
  const last = host.scanProgress.at(-1)!;
  assert.deepEqual([last.filesDone, last.filesTotal], [3, 3]);
});

test('scan: open documents keep their live diagnostics', async (t) => {
  const dir = workspace();
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const { host, server } = makeServer({ workspaceFolders: [dir] });
  const chat = fileUri(path.join(dir, 'evals/chat.jsonl'));
  server.documentChanged(new FakeDocument(chat, '')); // open, edited to nothing
  await server.tracker.idle();
  const before = host.published.filter((p) => p.uri === chat).length;
  await server.scanWorkspace({ scanId: 's2', uris: [chat] }, new AbortController().signal);
  assert.equal(host.published.filter((p) => p.uri === chat).length, before);
});

test('scan: cancellation stops between files and says so', async (t) => {
  const dir = workspace();
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const { host, server } = makeServer({ workspaceFolders: [dir] });
  const c = new AbortController();
  const uris = Array.from({ length: 50 }, () => fileUri(path.join(dir, 'evals/chat.jsonl')));
  const p = server.scanWorkspace({ scanId: 's3', uris }, c.signal);
  c.abort();
  const result = await p;
  assert.equal(result.cancelled, true);
  assert.ok(result.files < 50);
  assert.ok(host.scanProgress.at(-1)!.filesDone < 50);
});

test('scan: a file a later scan no longer reports on (now unrecognised, or gone) loses the diagnostics an earlier scan gave it', async (t) => {
  const dir = workspace();
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const { host, server } = makeServer({ workspaceFolders: [dir] });
  const chat = fileUri(path.join(dir, 'evals/chat.jsonl'));
  const broken = fileUri(path.join(dir, 'evals/broken.jsonl'));
  await server.scanWorkspace({ scanId: 's4', uris: [chat, broken] }, new AbortController().signal);
  assert.equal(host.diagnostics(chat)!.length, 2);
  assert.equal(host.diagnostics(broken)!.length, 2);

  fs.writeFileSync(path.join(dir, 'evals/chat.jsonl'), '{"name": "no longer a result file"}');
  fs.rmSync(path.join(dir, 'evals/broken.jsonl'));
  const result = await server.scanWorkspace({ scanId: 's5', uris: [chat] }, new AbortController().signal);
  assert.equal(result.skipped, 1);
  assert.deepEqual(host.diagnostics(chat), [], 'no stale squiggles on the file that is no longer read');
  assert.deepEqual(host.diagnostics(broken), [], 'nor on the file that is gone');
});
