import { after, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findModel } from '../../../server/src/modelStore/findModel';
import { cachePaths } from '../../../server/src/modelStore/hubSource';
import { COMPLETE_MARKER, type CompleteMarker } from '../../../server/src/modelStore/modelFolder';

const REPO = 'TestOrg/tiny-rejection';
const COMMIT = 'c0ffee0000000000000000000000000000000002';
const hub = { endpoint: 'http://127.0.0.1:9', repo: REPO, revision: COMMIT };
const temps: string[] = [];
after(() => {
  for (const d of temps) fs.rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'refusal-lens-find-'));
  temps.push(d);
  return d;
}

/** A model folder in the Hugging Face layout; `omit` leaves files out. */
function modelFolder(dir: string, { omit = [] as string[], quantized = false } = {}): string {
  const files: Record<string, string> = {
    'config.json': '{"id2label":{"0":"NORMAL","1":"REJECTION"}}',
    'tokenizer.json': '{"model":{}}',
    'tokenizer_config.json': '{}',
    'onnx/model.onnx': 'fp32 graph bytes',
  };
  if (quantized) files['onnx/model_quantized.onnx'] = 'int8 graph bytes';
  for (const [rel, content] of Object.entries(files)) {
    if (omit.includes(rel)) continue;
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), content);
  }
  return dir;
}

/** A completed download in the cache, as download.ts leaves it. */
function cachedModel(cacheDir: string, commit = COMMIT): string {
  const dir = modelFolder(cachePaths(cacheDir, REPO).folder(commit));
  const marker: CompleteMarker = {
    repo: REPO,
    commit,
    revision: commit,
    endpoint: hub.endpoint,
    installedAt: new Date().toISOString(),
    files: ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx'].map((p) => ({ path: p, size: fs.statSync(path.join(dir, p)).size, sha256: null, gitSha1: null })),
  };
  fs.writeFileSync(path.join(dir, COMPLETE_MARKER), JSON.stringify(marker));
  return dir;
}

function reasonOf(r: Awaited<ReturnType<typeof findModel>>): string {
  assert.equal(r.folder, null, 'expected no model');
  return r.folder === null ? r.reason : '';
}

test('a configured folder comes first, with its ONNX files and a content identity', async () => {
  const root = tempDir();
  const configured = modelFolder(path.join(root, 'my-model'), { quantized: true });
  const modelsDir = path.join(root, 'models');
  modelFolder(path.join(modelsDir, 'tiny-rejection'));
  const cacheDir = path.join(root, 'cache');
  cachedModel(cacheDir);

  const r = await findModel({ configuredPath: configured, modelsDir, cacheDir, hub });
  assert.ok(r.folder);
  assert.equal(r.folder.source, 'configured');
  assert.equal(r.folder.path, configured);
  assert.equal(r.folder.id, 'my-model');
  assert.equal(r.folder.revision, null);
  assert.equal(r.folder.onnx.fp32, path.join(configured, 'onnx', 'model.onnx'));
  assert.equal(r.folder.onnx.quantized, path.join(configured, 'onnx', 'model_quantized.onnx'));
  assert.match(r.folder.identity, /^local:[0-9a-f]{16}$/);
  assert.deepEqual(r.folder.files.map((f) => f.path), ['config.json', 'onnx/model.onnx', 'onnx/model_quantized.onnx', 'tokenizer.json', 'tokenizer_config.json']);
  assert.deepEqual(r.considered.map((c) => c.source), ['configured']);

  // the identity is stable, and changes when the model file changes
  const same = await findModel({ configuredPath: configured, hub });
  assert.equal(same.folder?.identity, r.folder.identity);
  fs.writeFileSync(path.join(configured, 'onnx', 'model.onnx'), 'other fp32 graph bytes');
  const changed = await findModel({ configuredPath: configured, hub });
  assert.notEqual(changed.folder?.identity, r.folder.identity);
});

test('an incomplete configured folder stops the search and says exactly what is missing', async () => {
  const root = tempDir();
  const configured = modelFolder(path.join(root, 'half'), { omit: ['tokenizer.json', 'onnx/model.onnx'] });
  const modelsDir = path.join(root, 'models');
  modelFolder(path.join(modelsDir, 'tiny-rejection'));
  const r = await findModel({ configuredPath: configured, modelsDir, hub });
  const reason = reasonOf(r);
  assert.match(reason, /^The model folder set with --model or refusalLens\.modelPath cannot be used: /);
  assert.ok(reason.includes(`${configured} is not a complete model folder: missing tokenizer.json, onnx/model.onnx`), reason);
  assert.deepEqual(r.considered.map((c) => c.source), ['configured'], 'models/ is not used instead');
});

test('a configured folder that does not exist is named in the reason', async () => {
  const missing = path.join(tempDir(), 'nowhere');
  const reason = reasonOf(await findModel({ configuredPath: missing, hub }));
  assert.ok(reason.includes(`${missing} does not exist`), reason);
});

test("the hub's onnx/ folder copied flat gets a hint on how to lay it out", async () => {
  const flat = tempDir();
  for (const f of ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'model.onnx']) fs.writeFileSync(path.join(flat, f), 'x');
  const reason = reasonOf(await findModel({ configuredPath: flat, hub }));
  assert.match(reason, /missing onnx\/model\.onnx \(model\.onnx is at the top of the folder: move it into onnx\/\)/);

  const nested = tempDir();
  fs.mkdirSync(path.join(nested, 'onnx'));
  for (const f of ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'model.onnx']) fs.writeFileSync(path.join(nested, 'onnx', f), 'x');
  const reason2 = reasonOf(await findModel({ configuredPath: nested, hub }));
  assert.match(reason2, /config\.json, tokenizer\.json, tokenizer_config\.json are inside onnx\/: move them up into the folder itself/);
});

test('without a configured path, models/<repo name>/ comes before the cache', async () => {
  const root = tempDir();
  const modelsDir = path.join(root, 'models');
  const local = modelFolder(path.join(modelsDir, 'tiny-rejection'));
  modelFolder(path.join(modelsDir, 'some-benchmark-model'));
  const cacheDir = path.join(root, 'cache');
  cachedModel(cacheDir);
  const r = await findModel({ configuredPath: '  ', modelsDir, cacheDir, hub });
  assert.ok(r.folder);
  assert.equal(r.folder.source, 'models-dir');
  assert.equal(r.folder.path, local);
  assert.equal(r.folder.id, 'tiny-rejection');
});

test('the cache is used when models/ has no complete folder; its id is repo@commit', async () => {
  const root = tempDir();
  const modelsDir = path.join(root, 'models');
  modelFolder(path.join(modelsDir, 'tiny-rejection'), { omit: ['config.json'] });
  const cacheDir = path.join(root, 'cache');
  const cached = cachedModel(cacheDir);
  const r = await findModel({ modelsDir, cacheDir, hub });
  assert.ok(r.folder);
  assert.equal(r.folder.source, 'cache');
  assert.equal(r.folder.path, cached);
  assert.equal(r.folder.id, `${REPO}@${COMMIT}`);
  assert.equal(r.folder.identity, `hub:${REPO}@${COMMIT}`);
  assert.deepEqual(
    r.considered.map((c) => [c.source, c.problem === null]),
    [
      ['models-dir', false],
      ['cache', true],
    ],
  );
});

test('a cache folder without its completion marker, or with a truncated file, or of another commit, is not taken', async () => {
  const cacheDir = tempDir();
  const dir = cachedModel(cacheDir);
  fs.rmSync(path.join(dir, COMPLETE_MARKER));
  assert.match(reasonOf(await findModel({ cacheDir, hub })), /^No model found/);

  const cacheDir2 = tempDir();
  const dir2 = cachedModel(cacheDir2);
  fs.writeFileSync(path.join(dir2, 'onnx', 'model.onnx'), 'fp32');
  const r2 = await findModel({ cacheDir: cacheDir2, hub });
  assert.equal(r2.folder, null);
  assert.match(r2.considered[0].problem ?? '', /onnx\/model\.onnx has 4 bytes, expected 16/);

  const cacheDir3 = tempDir();
  cachedModel(cacheDir3, 'c0ffee0000000000000000000000000000000003');
  assert.equal((await findModel({ cacheDir: cacheDir3, hub })).folder, null);
});

test('with nothing found and no download allowed, one message names every way to get a model', async () => {
  const root = tempDir();
  const modelsDir = path.join(root, 'models');
  const reason = reasonOf(await findModel({ modelsDir, cacheDir: path.join(root, 'cache'), hub }));
  assert.equal(
    reason,
    `No model found. To use the model, set a local model folder (--model PATH, or the refusalLens.modelPath setting), place the files under ${path.join(modelsDir, 'tiny-rejection')} (see models/README.md), or allow the download (run 'refusal-lens model download', or turn on the refusalLens.allowDownload setting).`,
  );
});

test('an incomplete models/ folder is named in the message', async () => {
  const modelsDir = tempDir();
  modelFolder(path.join(modelsDir, 'tiny-rejection'), { omit: ['onnx/model.onnx'] });
  const reason = reasonOf(await findModel({ modelsDir, hub }));
  assert.ok(reason.startsWith(`No model found (${path.join(modelsDir, 'tiny-rejection')} is not a complete model folder: missing onnx/model.onnx).`), reason);
});
