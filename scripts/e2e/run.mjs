#!/usr/bin/env node
// `npm run test:e2e`: the extension in a real VS Code (code-server 4.100.3 + Debian chromium).
//   1. code-server into .vscode-test/ (once);
//   2. `npm run package`: the production bundles and the .vsix users install (contents checked);
//   3. the extension-host mocha suite (dist/test/suite.js) with extensionDevelopmentPath, in a
//      trusted workspace, in an untrusted one (restricted mode) and with a generated model;
//   4. the UI test: the .vsix installed with --install-extension, driven in chromium, screenshots
//      into docs/screenshots/.
// Options: --only ext|restricted|model|ui (comma-separated or repeated), --no-package (rebuild dist/, reuse the .vsix),
// --keep (keep .vscode-test/runs/<run>/ even on success). Env: E2E_GREP (mocha grep),
// E2E_VERBOSE=1 (browser console), E2E_TIMEOUT_MS (per suite, default 600000), E2E_MODEL_PRESET
// (tiny, the default, or distilroberta-base: the real model's size, for timings).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureCodeServer, installExtension, startCodeServer } from './codeServer.mjs';
import { runExtensionTests } from './extensionTests.mjs';
import { createMetrics } from './metrics.mjs';
import { runUiTests } from './ui.mjs';
import { generateModel, prepareWorkspace } from './workspace.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const work = path.join(root, '.vscode-test');
const argv = process.argv.slice(2);
const only = new Set(argv.flatMap((a, i) => (argv[i - 1] === '--only' ? a.split(',') : [])));
const wants = (part) => only.size === 0 || only.has(part);
const timeoutMs = Number(process.env.E2E_TIMEOUT_MS || 600_000);
const modelPreset = process.env.E2E_MODEL_PRESET || 'tiny';
const t0 = Date.now();
const log = (msg) => console.log(`[e2e ${((Date.now() - t0) / 1000).toFixed(1).padStart(6)}s] ${msg}`);
const metrics = createMetrics();

const runDir = path.join(work, 'runs', `${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}`);
const running = new Set();
const timings = [];

async function section(name, fn) {
  console.log(`\n=== e2e: ${name}`);
  const start = Date.now();
  try {
    return await fn();
  } finally {
    timings.push({ name, seconds: (Date.now() - start) / 1000 });
    log(`${name}: ${((Date.now() - start) / 1000).toFixed(1)} s`);
  }
}

async function withCodeServer(options, fn) {
  const cs = await startCodeServer({ work, log, ...options });
  running.add(cs);
  try {
    return await fn(cs);
  } finally {
    await cs.stop();
    running.delete(cs);
  }
}

async function stopAll() {
  await Promise.all([...running].map((cs) => cs.stop()));
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    console.error(`\ne2e: ${signal}, stopping code-server`);
    void stopAll().finally(() => process.exit(130));
  });
}

function packageVsix() {
  const version = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version;
  const target = `${process.platform}-${process.arch}`;
  const vsix = path.join(root, `refusal-lens-${version}-${target}.vsix`);
  if (argv.includes('--no-package')) {
    // Iterating on tests: rebuild the bundles (not minified), keep the last .vsix for the UI test.
    if (!fs.existsSync(vsix)) throw new Error(`--no-package: ${path.relative(root, vsix)} does not exist; run without --no-package`);
    const b = spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'inherit' });
    if (b.status !== 0) throw new Error(`npm run build failed (exit ${b.status})`);
    return vsix;
  }
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'scripts/package.ts'), '--target', target], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`npm run package failed (exit ${r.status})`);
  const size = fs.statSync(vsix).size;
  metrics.record('vsixSize', size / 1024 / 1024, 'MB');
  return vsix;
}

async function extensionSuite(name, { trusted, settings = {} }) {
  const ws = path.join(runDir, `ws-${name}`);
  prepareWorkspace(root, ws, { restricted: !trusted, log });
  const testsPath = path.join(root, 'dist/test/suite.js');
  if (!fs.existsSync(testsPath)) throw new Error('dist/test/suite.js is missing: scripts/build.mjs bundles test/e2e/suite/index.ts');
  const code = await withCodeServer({ profileDir: path.join(runDir, `profile-${name}`), trust: trusted, settings }, (cs) =>
    runExtensionTests({
      url: cs.url,
      extensionPath: root,
      testsPath,
      folder: ws,
      timeoutMs,
      log: (line) => {
        metrics.scan(line);
        console.log(line);
      },
    }),
  );
  if (code !== 0) throw new Error(`the ${name} extension-host suite failed (exit code ${code})`);
}

async function main() {
  fs.mkdirSync(runDir, { recursive: true });
  await section('code-server', () => ensureCodeServer(work, log));
  const vsix = await section('package (.vsix)', () => packageVsix());
  if (wants('ext')) await section('extension-host suite (trusted workspace)', () => extensionSuite('trusted', { trusted: true }));
  if (wants('restricted')) await section('extension-host suite (restricted mode)', () => extensionSuite('restricted', { trusted: false }));
  if (wants('model')) {
    await section(`extension-host suite (model detector, ${modelPreset} generated model)`, () => {
      const model = generateModel(root, path.join(runDir, `model-${modelPreset}`), modelPreset, log);
      // A user setting (machine scope), the way users point the extension at a model folder.
      return extensionSuite('model', { trusted: true, settings: { 'refusalLens.modelPath': model } });
    });
  }
  if (wants('ui')) {
    await section('UI test with the installed .vsix', async () => {
      const profileDir = path.join(runDir, 'profile-ui');
      installExtension(work, profileDir, vsix);
      log(`installed ${path.relative(root, vsix)}`);
      const ws = path.join(runDir, 'ws-ui');
      prepareWorkspace(root, ws, { restricted: false, log });
      // Word wrap: the refusals sit far right on JSONL lines; wrapped, they are on screen (and in the screenshots).
      await withCodeServer({ profileDir, settings: { 'editor.wordWrap': 'on' } }, (cs) =>
        runUiTests({ url: cs.url, folder: ws, shotsDir: path.join(root, 'docs/screenshots'), failShotsDir: runDir, metrics, log, timeoutMs }),
      );
    });
  }
}

let failed = null;
try {
  await main();
} catch (e) {
  failed = e;
} finally {
  await stopAll();
}
console.log('\n=== e2e: summary');
for (const t of timings) console.log(`  ${t.seconds.toFixed(1).padStart(7)} s  ${t.name}`);
console.log(`  ${((Date.now() - t0) / 1000).toFixed(1).padStart(7)} s  total`);
metrics.print(console.log);
metrics.write(path.join(work, 'metrics.json'));
if (failed) {
  console.error(`\ne2e FAILED: ${failed.message}\n  logs and screenshots kept in ${path.relative(root, runDir)}/`);
  process.exit(1);
}
if (!argv.includes('--keep')) fs.rmSync(runDir, { recursive: true, force: true });
console.log('\ne2e passed');
