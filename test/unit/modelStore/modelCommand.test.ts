import { after, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { DownloadProgressDisplay } from '../../../server/src/cli/downloadProgress';
import { main } from '../../../server/src/cli/main';
import { modelCommand } from '../../../server/src/cli/modelCommand';
import { hubModelFiles, ModelServer } from '../../helpers/modelServer';

const REPO = 'TestOrg/tiny-rejection';
const COMMIT = 'c0ffee0000000000000000000000000000000004';
const files = hubModelFiles(600_000);
const temps: string[] = [];
after(() => {
  for (const d of temps) fs.rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'refusal-lens-cli-'));
  temps.push(d);
  return d;
}

class Capture extends Writable {
  text = '';
  constructor(
    readonly isTTY = false,
    private readonly onText?: (text: string) => void,
  ) {
    super();
  }
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    this.onText?.(this.text);
    done();
  }
}

function run(argv: string[], places: { modelsDir?: string | null; cacheDir?: string } = {}, signal?: AbortSignal, stderr = new Capture()) {
  const stdout = new Capture();
  return modelCommand(argv, { stdout, stderr }, signal, { modelsDir: null, env: {}, ...places }).then((code) => ({ code, out: stdout.text, err: stderr.text }));
}

function localModel(dir: string): string {
  for (const [rel, content] of Object.entries({ 'config.json': '{}', 'tokenizer.json': '{"model":{}}', 'tokenizer_config.json': '{}', 'onnx/model.onnx': 'graph' })) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), content);
  }
  return dir;
}

async function hubServer(): Promise<ModelServer> {
  return new ModelServer({ repo: REPO, commit: COMMIT, files }).start();
}

test('model path prints the folder that would be used, or exits 1 with the reason', async () => {
  const modelsDir = tempDir();
  const local = localModel(path.join(modelsDir, 'distilroberta-base-rejection-v1'));
  const found = await run(['path'], { modelsDir, cacheDir: tempDir() });
  assert.equal(found.code, 0);
  assert.equal(found.out, `${local}\n`);

  const configured = await run(['path', '--model', local]);
  assert.equal(configured.out, `${local}\n`);

  const none = await run(['path'], { modelsDir: tempDir(), cacheDir: tempDir() });
  assert.equal(none.code, 1);
  assert.equal(none.out, '');
  assert.match(none.err, /^refusal-lens: No model found\. To use the model, set a local model folder \(--model PATH/);
});

test('model status says what was looked at, what is used, and its files with sizes', async () => {
  const modelsDir = tempDir();
  const cacheDir = tempDir();
  const none = await run(['status'], { modelsDir, cacheDir });
  assert.equal(none.code, 1);
  assert.match(none.out, /^Model: ProtectAI\/distilroberta-base-rejection-v1 at [0-9a-f]{40} \(the pinned commit\), from https:\/\/huggingface\.co\n/);
  assert.match(none.out, /1\. models folder +.*distilroberta-base-rejection-v1\n +.* does not exist\n/);
  assert.match(none.out, /2\. download cache +.*\n/);
  assert.match(none.out, /Using: none\nNo model found\./);
  assert.ok(none.out.includes(`would install it in ${path.join(cacheDir, 'models', 'ProtectAI--distilroberta-base-rejection-v1')}`), none.out);

  const local = localModel(path.join(modelsDir, 'distilroberta-base-rejection-v1'));
  const some = await run(['status'], { modelsDir, cacheDir });
  assert.equal(some.code, 0);
  assert.ok(some.out.includes(`Using: ${local}\n  source    models folder\n  id        distilroberta-base-rejection-v1\n  identity  local:`), some.out);
  assert.match(some.out, /\n    onnx\/model\.onnx +5 B\n/);
  assert.match(some.out, /\n    total +21 B\n/);
});

test('model download fetches into --cache-dir with plain progress lines off a terminal; path then finds it', async () => {
  const hub = await hubServer();
  try {
    const cacheDir = tempDir();
    const flags = ['--endpoint', hub.url, '--repo', REPO, '--revision', COMMIT, '--cache-dir', cacheDir];
    const r = await run(['download', ...flags]);
    assert.equal(r.code, 0, r.err);
    const folder = path.join(cacheDir, 'models', 'TestOrg--tiny-rejection', COMMIT);
    assert.match(r.out, new RegExp(`^Downloaded and verified ${REPO}@${COMMIT} \\(\\d+(\\.\\d+)? kB\\): ${folder.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\n$`));
    assert.match(r.err, /^TestOrg\/tiny-rejection at c0ffee0+4 from http:\/\/127\.0\.0\.1:\d+\n/);
    assert.match(r.err, /\ndownloading onnx\/model\.onnx \(600\.0 kB\)\n/);
    assert.match(r.err, /\n {2}100% of \d+(\.\d+)? kB/);
    assert.ok(!r.err.includes('\r'), 'no terminal control characters off a terminal');

    const p = await run(['path', ...flags]);
    assert.equal(p.out, `${folder}\n`);
    const again = await run(['download', ...flags]);
    assert.match(again.out, /^Already downloaded/);
  } finally {
    await hub.close();
  }
});

test('Ctrl-C during model download exits 130 and installs nothing', async () => {
  const hub = await hubServer();
  hub.faults.slow = { path: 'onnx/model.onnx', bytes: 8192, everyMs: 10 };
  try {
    const cacheDir = tempDir();
    const flags = ['--endpoint', hub.url, '--repo', REPO, '--revision', COMMIT, '--cache-dir', cacheDir];
    const controller = new AbortController();
    const stderr = new Capture(false, (text) => {
      if (text.includes('10% of')) controller.abort();
    });
    const r = await run(['download', ...flags], {}, controller.signal, stderr);
    assert.equal(r.code, 130);
    assert.match(r.err, /cancelling\.\.\.\nrefusal-lens: download cancelled; nothing was installed \(partial files stay in .*\.staging-c0ffee0+4 and the next download resumes them\)\n$/);
    const p = await run(['path', ...flags]);
    assert.equal(p.code, 1);
  } finally {
    await hub.close();
  }
});

test('a download that cannot reach the hub says so and exits 1', async () => {
  const hub = await hubServer();
  const endpoint = hub.url;
  await hub.close();
  const r = await run(['download', '--endpoint', endpoint, '--cache-dir', tempDir()]);
  assert.equal(r.code, 1);
  assert.match(r.err, /refusal-lens: could not download the model: cannot reach 127\.0\.0\.1:\d+ \(connection refused\)\n$/);
});

test('usage errors go through main with exit 1', async () => {
  const err = new Capture();
  assert.equal(await main(['model'], { stdout: new Capture(), stderr: err }), 1);
  assert.match(err.text, /model needs a subcommand: download, status, path or quantize/);
  const err2 = new Capture();
  assert.equal(await main(['model', 'download', '--model', '/tmp'], { stdout: new Capture(), stderr: err2 }), 1);
  assert.match(err2.text, /--model names a local folder: there is nothing to download for it/);
  const out = new Capture();
  assert.equal(await main(['model', '--help'], { stdout: out, stderr: new Capture() }), 0);
  assert.match(out.text, /^Usage: refusal-lens model <download\|status\|path\|quantize>/);
  const help = new Capture();
  await main(['--help'], { stdout: help, stderr: new Capture() });
  assert.match(help.text, /model download\|status\|path/);
});

test('on a terminal the progress is one line redrawn: bar, bytes, rate, ETA', () => {
  const tty = new Capture(true);
  const display = new DownloadProgressDisplay(tty);
  display.update({ file: 'onnx/model.onnx', fileBytesDone: 164_500_000, fileBytesTotal: 329_000_000, bytesDone: 165_000_000, bytesTotal: 330_000_000, bytesPerSecond: 11_000_000 });
  display.done();
  assert.equal(tty.text, '\r\x1b[Konnx/model.onnx  [############------------]  50%  165.0 MB/330.0 MB  11.0 MB/s  ETA 0:15\r\x1b[K');
});
