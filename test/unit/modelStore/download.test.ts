import { after, afterEach, before, beforeEach, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { downloadModel, type DownloadProgress } from '../../../server/src/modelStore/download';
import { DownloadError } from '../../../server/src/modelStore/downloadError';
import { findModel } from '../../../server/src/modelStore/findModel';
import { cachePaths } from '../../../server/src/modelStore/hubSource';
import { COMPLETE_MARKER } from '../../../server/src/modelStore/modelFolder';
import { ModelServer, sha256, testHubFiles } from '../../helpers/modelServer';

const REPO = 'TestOrg/tiny-rejection';
const COMMIT = 'c0ffee0000000000000000000000000000000001';
// the generated tiny model when scripts/generate-test-model.ts is present, else known bytes
let files: Record<string, Buffer> = {};
let model: Buffer = Buffer.alloc(0);
before(async () => {
  ({ files } = await testHubFiles());
  model = files['onnx/model.onnx'];
  assert.ok(model.length > 100_000, 'model.onnx large enough to drop a connection in the middle');
});

const temps: string[] = [];
const servers: ModelServer[] = [];
let cacheDir = '';
let hub: ModelServer;

function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'refusal-lens-dl-'));
  temps.push(d);
  return d;
}

async function server(): Promise<ModelServer> {
  const s = await new ModelServer({ repo: REPO, commit: COMMIT, refs: { main: COMMIT }, files }).start();
  servers.push(s);
  return s;
}

beforeEach(async () => {
  cacheDir = tempDir();
  hub = await server();
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
after(() => {
  for (const d of temps) fs.rmSync(d, { recursive: true, force: true });
});

const finalFolder = () => cachePaths(cacheDir, REPO).folder(COMMIT);
const stagingFolder = () => cachePaths(cacheDir, REPO).staging(COMMIT);
const options = (extra: Partial<Parameters<typeof downloadModel>[0]> = {}) => ({ cacheDir, endpoint: hub.url, repo: REPO, revision: COMMIT, retryDelayMs: 20, ...extra });
/** What the model detector would get without downloading. */
const findOffline = () => findModel({ cacheDir, hub: { endpoint: hub.url, repo: REPO, revision: COMMIT } });

async function rejection(p: Promise<unknown>): Promise<DownloadError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof DownloadError, `expected a DownloadError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected the download to fail');
}

function assertNothingInstalled(): void {
  assert.equal(fs.existsSync(finalFolder()), false, 'no model folder installed');
}

test('a clean download installs the files in the Hugging Face layout, verified, with progress', async () => {
  const progress: DownloadProgress[] = [];
  const folder = await downloadModel(options({ onProgress: (p) => progress.push(p) }));
  assert.equal(folder.source, 'downloaded');
  assert.equal(folder.path, finalFolder());
  assert.equal(folder.id, `${REPO}@${COMMIT}`);
  assert.equal(folder.identity, `hub:${REPO}@${COMMIT}`);
  assert.equal(folder.onnx.fp32, path.join(finalFolder(), 'onnx', 'model.onnx'));
  assert.equal(folder.onnx.quantized, null);
  // hub onnx/ folder -> local layout: graphs under onnx/, the rest at the top
  assert.deepEqual(fs.readFileSync(path.join(folder.path, 'onnx/model.onnx')), model);
  assert.deepEqual(fs.readFileSync(path.join(folder.path, 'config.json')), files['onnx/config.json']);
  assert.deepEqual(fs.readFileSync(path.join(folder.path, 'tokenizer.json')), files['onnx/tokenizer.json']);
  assert.ok(fs.existsSync(path.join(folder.path, COMPLETE_MARKER)));
  assert.equal(fs.existsSync(stagingFolder()), false, 'staging folder renamed away');
  assert.equal(fs.readdirSync(path.join(cacheDir, 'models', 'TestOrg--tiny-rejection')).filter((n) => n.endsWith('.lock')).length, 0, 'lock released');

  const total = Object.values(files).reduce((n, b) => n + b.length, 0);
  const last = progress[progress.length - 1];
  assert.equal(last.bytesDone, total);
  assert.equal(last.bytesTotal, total);
  for (let i = 1; i < progress.length; i++) assert.ok(progress[i].bytesDone >= progress[i - 1].bytesDone, 'progress never goes back');
  assert.ok(progress.some((p) => p.file === 'onnx/model.onnx' && p.fileBytesDone === model.length && p.fileBytesTotal === model.length));

  const found = await findOffline();
  assert.ok(found.folder);
  assert.equal(found.folder.source, 'cache');
  assert.equal(found.folder.path, finalFolder());

  // a second download finds it installed and transfers nothing
  const before = hub.requests.length;
  const again = await downloadModel(options());
  assert.equal(again.source, 'cache');
  assert.equal(hub.requests.slice(before).filter((r) => r.file).length, 0);
});

test('a dropped connection mid-file is resumed with a Range request and the result verifies', async () => {
  const afterBytes = Math.floor(model.length / 3);
  hub.faults.drop = { path: 'onnx/model.onnx', afterBytes, times: 1 };
  const folder = await downloadModel(options());
  const gets = hub.fileRequests('onnx/model.onnx');
  assert.equal(gets.length, 2);
  assert.equal(gets[0].range, null);
  const m = /^bytes=(\d+)-$/.exec(gets[1].range ?? '');
  assert.ok(m, `second request asked for a range, got ${gets[1].range}`);
  assert.ok(Number(m[1]) > 0 && Number(m[1]) <= afterBytes, `resumed at ${m[1]}`);
  assert.equal(sha256(fs.readFileSync(folder.onnx.fp32)), sha256(model));
});

test('a transfer that stalls mid-file times out and is resumed', async () => {
  hub.faults.drop = { path: 'onnx/model.onnx', afterBytes: Math.floor(model.length / 2), times: 1, stall: true };
  const folder = await downloadModel(options({ timeoutMs: 300 }));
  const gets = hub.fileRequests('onnx/model.onnx');
  assert.equal(gets.length, 2);
  assert.match(gets[1].range ?? '', /^bytes=[1-9]\d*-$/);
  assert.equal(sha256(fs.readFileSync(folder.onnx.fp32)), sha256(model));
});

test('a wrong checksum is rejected: clear error, nothing installed, the bad file discarded', async () => {
  const bad = Buffer.from(model);
  bad[Math.floor(bad.length / 2)] ^= 0xff;
  hub.faults.corrupt = { 'onnx/model.onnx': bad };
  const e = await rejection(downloadModel(options()));
  assert.equal(e.kind, 'verify');
  assert.match(e.message, /checksum mismatch for onnx\/model\.onnx/);
  assert.match(e.message, new RegExp(`expected sha256 ${sha256(model)}, got ${sha256(bad)}`));
  assert.match(e.message, /nothing was installed/);
  assertNothingInstalled();
  assert.equal(fs.existsSync(path.join(stagingFolder(), 'onnx', 'model.onnx.part')), false);
  assert.equal(fs.existsSync(path.join(stagingFolder(), 'onnx', 'model.onnx')), false);
  const found = await findOffline();
  assert.equal(found.folder, null);
});

test('a 404 names the file and the URL, and nothing is installed', async () => {
  hub.faults.status = { 'onnx/tokenizer.json': 404 };
  const e = await rejection(downloadModel(options()));
  assert.equal(e.kind, 'http');
  assert.equal(e.details.status, 404);
  assert.match(e.message, /could not download onnx\/tokenizer\.json: HTTP 404 at /);
  assert.ok(e.message.includes(`${hub.url}/${REPO}/resolve/${COMMIT}/onnx/tokenizer.json`), e.message);
  assert.equal(hub.fileRequests('onnx/tokenizer.json').length, 1, 'a 404 is not retried');
  assertNothingInstalled();
});

test('cancelling a slow download stops it quickly and leaves nothing findModel would take; the next run resumes', async () => {
  hub.faults.slow = { path: 'onnx/model.onnx', bytes: 8192, everyMs: 20 };
  const controller = new AbortController();
  let modelBytes = 0;
  const started = Date.now();
  const e = await rejection(
    downloadModel(
      options({
        signal: controller.signal,
        onProgress: (p) => {
          if (p.file === 'onnx/model.onnx') modelBytes = p.fileBytesDone;
          if (modelBytes >= model.length / 4) controller.abort();
        },
      }),
    ),
  );
  assert.equal(e.kind, 'cancelled');
  assert.ok(Date.now() - started < 5000, 'stopped promptly');
  assertNothingInstalled();
  assert.equal((await findOffline()).folder, null);
  assert.equal(fs.readdirSync(cachePaths(cacheDir, REPO).repoDir).filter((n) => n.endsWith('.lock')).length, 0, 'lock released');
  const part = path.join(stagingFolder(), 'onnx', 'model.onnx.part');
  const kept = fs.statSync(part).size;
  assert.ok(kept > 0 && kept < model.length, `partial file kept for resume (${kept} bytes)`);

  hub.faults = {};
  const folder = await downloadModel(options());
  const gets = hub.fileRequests('onnx/model.onnx');
  assert.equal(gets[gets.length - 1].range, `bytes=${kept}-`);
  assert.equal(sha256(fs.readFileSync(folder.onnx.fp32)), sha256(model));
});

test('large files redirected to a CDN on another host are fetched there, resumed there', async () => {
  const cdn = await ModelServer.cdnFor(hub).start();
  servers.push(cdn);
  hub.cdn = cdn.url;
  cdn.faults.drop = { path: 'onnx/model.onnx', afterBytes: Math.floor(model.length / 3), times: 1 };
  const folder = await downloadModel(options());
  assert.equal(sha256(fs.readFileSync(folder.onnx.fp32)), sha256(model));
  const atCdn = cdn.fileRequests('onnx/model.onnx');
  assert.equal(atCdn.length, 2);
  assert.ok(atCdn[0].url.startsWith(`/cdn/${sha256(model)}`));
  assert.match(atCdn[1].range ?? '', /^bytes=[1-9]\d*-$/, 'the Range header follows the redirect');
  assert.equal(cdn.fileRequests('onnx/config.json').length, 0, 'small files come from the hub itself');
});

test('a refused connection fails fast with a clear message, and findModel returns the reason', async () => {
  const closed = await server();
  const endpoint = closed.url;
  await closed.close();
  const e = await rejection(downloadModel({ cacheDir, endpoint, repo: REPO, revision: 'main' }));
  assert.equal(e.kind, 'offline');
  assert.match(e.message, /cannot reach 127\.0\.0\.1:\d+ \(connection refused\)/);

  const found = await findModel({ cacheDir, allowDownload: true, hub: { endpoint, repo: REPO, revision: COMMIT } });
  assert.equal(found.folder, null);
  assert.ok(!found.folder && found.reason.startsWith(`Could not download the model ${REPO} from ${endpoint}: cannot reach`), found.folder ? '' : found.reason);
  assert.match(found.folder ? '' : found.reason, /--model PATH, or the refusalLens\.modelPath setting/);
  assert.match(found.folder ? '' : found.reason, /models\/tiny-rejection\//);
});

test('a server that stops answering times out with a clear message', async () => {
  hub.faults.silent = true;
  const e = await rejection(downloadModel(options({ timeoutMs: 300 })));
  assert.equal(e.kind, 'timeout');
  assert.match(e.message, /sent nothing for/);
  assertNothingInstalled();
});

test('concurrent downloads of the same model are serialised: the bytes are fetched once', async () => {
  hub.faults.slow = { path: 'onnx/model.onnx', bytes: 16_384, everyMs: 5 };
  const statuses: string[] = [];
  const onStatus = (s: string) => statuses.push(s);
  const [a, b] = await Promise.all([downloadModel(options({ onStatus })), downloadModel(options({ onStatus }))]);
  assert.equal(a.path, b.path);
  assert.deepEqual(new Set([a.source, b.source]), new Set(['downloaded', 'cache']));
  assert.equal(hub.fileRequests('onnx/model.onnx').length, 1);
  assert.ok(statuses.some((s) => s.startsWith(`waiting for process ${process.pid}`)), statuses.join(' | '));
});

test('a lock left by a process that is gone is taken over', async () => {
  const paths = cachePaths(cacheDir, REPO);
  fs.mkdirSync(paths.repoDir, { recursive: true });
  fs.writeFileSync(paths.lock(COMMIT), JSON.stringify({ pid: 2 ** 22 + 12345, host: os.hostname(), token: 'x' }));
  const folder = await downloadModel(options());
  assert.equal(folder.source, 'downloaded');
  assert.equal(fs.existsSync(paths.lock(COMMIT)), false);
});

test('a branch name is resolved to its commit; the cache then finds it by that name offline', async () => {
  const folder = await downloadModel(options({ revision: 'main' }));
  assert.equal(folder.revision, COMMIT);
  assert.equal(folder.path, finalFolder());
  const found = await findModel({ cacheDir, hub: { endpoint: 'http://127.0.0.1:9', repo: REPO, revision: 'main' } });
  assert.ok(found.folder, found.folder ? '' : found.reason);
  assert.equal(found.folder.revision, COMMIT);

  const e = await rejection(downloadModel(options({ revision: 'no-such-branch' })));
  assert.equal(e.kind, 'http');
  assert.match(e.message, /the hub has no revision "no-such-branch" of TestOrg\/tiny-rejection \(HTTP 404 at /);
});

test('an incomplete folder already in the cache (no marker) is replaced by a verified download', async () => {
  const broken = finalFolder();
  fs.mkdirSync(path.join(broken, 'onnx'), { recursive: true });
  for (const f of ['config.json', 'tokenizer.json', 'tokenizer_config.json']) fs.writeFileSync(path.join(broken, f), '{}');
  fs.writeFileSync(path.join(broken, 'onnx', 'model.onnx'), model.subarray(0, 1000));
  assert.equal((await findOffline()).folder, null, 'a folder without the completion marker is not taken');
  const folder = await downloadModel(options());
  assert.equal(sha256(fs.readFileSync(folder.onnx.fp32)), sha256(model));
  assert.deepEqual(fs.readFileSync(path.join(folder.path, 'config.json')), files['onnx/config.json']);
});

test('only the graphs we load are taken from the hub folder; a folder without a required file is refused by name', async () => {
  const extra = { ...files, 'onnx/model_fp16.onnx': Buffer.from('fp16 graph'), 'onnx/README.md': Buffer.from('# notes'), 'onnx/model_quantized.onnx': Buffer.from('int8 graph') };
  const rich = await new ModelServer({ repo: REPO, commit: COMMIT, files: extra }).start();
  servers.push(rich);
  const folder = await downloadModel(options({ endpoint: rich.url }));
  assert.equal(folder.onnx.quantized, path.join(folder.path, 'onnx', 'model_quantized.onnx'));
  assert.ok(!fs.existsSync(path.join(folder.path, 'onnx', 'model_fp16.onnx')));
  assert.ok(!fs.existsSync(path.join(folder.path, 'README.md')));
  assert.equal(rich.fileRequests('onnx/model_fp16.onnx').length, 0);
  assert.match(folder.identity, new RegExp(`^hub:${REPO}@${COMMIT}\\+int8:[0-9a-f]{12}$`));

  const { 'onnx/tokenizer_config.json': _dropped, ...partial } = files;
  const poor = await new ModelServer({ repo: REPO, commit: COMMIT, files: partial }).start();
  servers.push(poor);
  const e = await rejection(downloadModel(options({ endpoint: poor.url, cacheDir: tempDir() })));
  assert.equal(e.kind, 'protocol');
  assert.match(e.message, new RegExp(`^${REPO}@${COMMIT} has no onnx/tokenizer_config\\.json \\(its onnx/ folder holds: `));
});
