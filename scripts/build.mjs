#!/usr/bin/env node
// Bundles the extension client, the language server, the CLI and the inference worker with esbuild.
// `--if-stale`: do nothing when every bundle is newer than every source (the `scan` script runs this first).
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const args = new Set(process.argv.slice(2));

/** Each bundle: entry, output, and what stays outside it (native or editor-provided modules). */
export const bundles = [
  { entry: 'server/src/cli/main.ts', out: 'dist/cli.js' },
  { entry: 'server/src/lsp/main.ts', out: 'dist/server.js' },
  { entry: 'server/src/classify/model/inferenceWorker.ts', out: 'dist/inferenceWorker.js' },
  { entry: 'server/src/classify/pool/lexicalWorker.ts', out: 'dist/lexicalWorker.js' },
  { entry: 'client/src/extension.ts', out: 'dist/client.js' },
  // The results panel's webview script (and its stylesheet, dist/webview.css): runs in the webview, not in node.
  { entry: 'client/src/webview/main.ts', out: 'dist/webview.js', platform: 'browser', format: 'iife', target: 'chrome120' },
  { entry: 'test/e2e/suite/index.ts', out: 'dist/test/suite.js', test: true },
].filter((b) => fs.existsSync(path.join(root, b.entry)));

// onnxruntime-node (native) and onnxruntime-common (its Tensor class, which must be the one copy the
// binding knows) ship in node_modules of the .vsix; sharp is replaced by a stub (images only).
const external = ['vscode', 'onnxruntime-node', 'onnxruntime-common', 'mocha'];
const alias = { sharp: path.join(root, 'scripts/bundleStubs/sharp.cjs') };

/** The latest modification time of a file, or of any file below a folder (0 when missing). */
function newest(p) {
  if (!fs.existsSync(p)) return 0;
  if (!fs.statSync(p).isDirectory()) return fs.statSync(p).mtimeMs;
  let t = 0;
  for (const e of fs.readdirSync(p, { withFileTypes: true })) t = Math.max(t, newest(path.join(p, e.name)));
  return t;
}

function stale() {
  const inputs = ['server/src', 'client/src', 'test/e2e', 'scripts/bundleStubs', 'scripts/build.mjs', 'package.json'];
  const src = Math.max(...inputs.map((p) => newest(path.join(root, p))));
  return bundles.some((b) => {
    const out = path.join(root, b.out);
    return !fs.existsSync(out) || fs.statSync(out).mtimeMs < src;
  });
}

if (args.has('--if-stale') && !stale()) process.exit(0);

const t0 = Date.now();
await Promise.all(
  bundles.map((b) =>
    esbuild.build({
      entryPoints: [path.join(root, b.entry)],
      outfile: path.join(root, b.out),
      bundle: true,
      platform: b.platform ?? 'node',
      target: b.target ?? 'node20',
      format: b.format ?? 'cjs',
      sourcemap: 'linked',
      minify: args.has('--production'),
      external,
      alias,
      define: { REFUSAL_LENS_VERSION: JSON.stringify(pkg.version) },
      logLevel: 'warning',
    }),
  ),
);
if (!args.has('--quiet')) process.stderr.write(`built ${bundles.length} bundles in ${Date.now() - t0} ms\n`);
