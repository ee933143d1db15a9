import { after, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ModelDownloads, type DownloadFn } from '../../../server/src/lsp/modelDownloads';
import { downloadModel } from '../../../server/src/modelStore/download';
import { FakeServerHost } from '../../helpers/fakeServerHost';
import { ModelServer, testHubFiles } from '../../helpers/modelServer';

const REPO = 'TestOrg/tiny-rejection';
const COMMIT = 'c0ffee0000000000000000000000000000000002';
const temps: string[] = [];
after(() => {
  for (const d of temps) fs.rmSync(d, { recursive: true, force: true });
});

function storage(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'refusal-lens-lsp-dl-'));
  temps.push(d);
  return d;
}

async function hub(t: { after(fn: () => Promise<void>): void }): Promise<DownloadFn> {
  const { files } = await testHubFiles();
  const server = await new ModelServer({ repo: REPO, commit: COMMIT, refs: { main: COMMIT }, files }).start();
  t.after(() => server.close());
  return (o) => downloadModel({ ...o, endpoint: server.url, repo: REPO, revision: COMMIT });
}

test('Download Model: the model store downloads into the storage folder, with progress notifications', async (t) => {
  const host = new FakeServerHost();
  const dir = storage();
  const downloads = new ModelDownloads(host, { trusted: true, storagePath: dir, extensionPath: null }, await hub(t));
  const result = await downloads.run({ downloadId: 'd1' }, new AbortController().signal);
  assert.equal(result.ok, true, result.message);
  assert.ok(result.path?.startsWith(dir), result.path ?? '');
  assert.ok(fs.existsSync(path.join(result.path!, 'onnx/model.onnx')));
  assert.match(result.message, /Restart the server/);
  assert.ok(host.downloadProgress.length > 0);
  assert.ok(host.downloadProgress.every((p) => p.downloadId === 'd1'));
  const last = host.downloadProgress.at(-1)!;
  assert.equal(last.received, last.total);
});

test('Download Model: cancelled, failed, or impossible downloads say so and never throw', async (t) => {
  const host = new FakeServerHost();
  const fn = await hub(t);
  const cancelled = new AbortController();
  cancelled.abort();
  const c = await new ModelDownloads(host, { trusted: true, storagePath: storage(), extensionPath: null }, fn).run({ downloadId: 'd2' }, cancelled.signal);
  assert.deepEqual(c, { ok: false, message: 'Download cancelled.', path: null });

  const offline: DownloadFn = (o) => downloadModel({ ...o, endpoint: 'http://127.0.0.1:9', repo: REPO, revision: COMMIT, timeoutMs: 2000 });
  const f = await new ModelDownloads(host, { trusted: true, storagePath: storage(), extensionPath: null }, offline).run({ downloadId: 'd3' }, new AbortController().signal);
  assert.equal(f.ok, false);
  assert.match(f.message, /^Download failed: cannot reach 127\.0\.0\.1/);
  assert.ok(host.logs.some((l) => l.level === 'error' && l.message.includes('Model download failed')));

  const none = await new ModelDownloads(host, { trusted: true, storagePath: null, extensionPath: null }, fn).run({ downloadId: 'd4' }, new AbortController().signal);
  assert.equal(none.ok, false);
  assert.match(none.message, /no storage folder/);
});
