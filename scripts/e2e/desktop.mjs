#!/usr/bin/env node
// `npm run test:desktop`: the same extension-host suite (dist/test/suite.js) in desktop VS Code through
// @vscode/test-electron, for machines that can download VS Code (this one cannot: use test:e2e).
// Runs it three times, like test:e2e: in a trusted workspace, in an untrusted one (restricted mode),
// and with a generated model folder in the user settings.
// Env: VSCODE_VERSION (default stable), E2E_GREP (mocha grep). Downloads go to .vscode-test/.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTests } from '@vscode/test-electron';
import { generateModel, prepareWorkspace } from './workspace.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const runDir = path.join(root, '.vscode-test', 'desktop-run');
const log = (msg) => console.log(`[desktop] ${msg}`);

const build = spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

async function suite(name, trusted, settings = {}) {
  const ws = path.join(runDir, `ws-${name}`);
  prepareWorkspace(root, ws, { restricted: !trusted, log });
  const userData = path.join(runDir, `user-${name}`);
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.writeFileSync(
    path.join(userData, 'User', 'settings.json'),
    JSON.stringify({ 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.banner': 'never', 'workbench.startupEditor': 'none', ...settings }),
  );
  log(`${name} workspace: ${ws}`);
  await runTests({
    version: process.env.VSCODE_VERSION || 'stable',
    extensionDevelopmentPath: root,
    extensionTestsPath: path.join(root, 'dist/test/suite.js'),
    launchArgs: [ws, '--disable-extensions', '--user-data-dir', userData, ...(trusted ? ['--disable-workspace-trust'] : [])],
  });
}

try {
  fs.rmSync(runDir, { recursive: true, force: true });
  await suite('trusted', true);
  await suite('restricted', false);
  await suite('model', true, { 'refusalLens.modelPath': generateModel(root, path.join(runDir, 'model-tiny'), 'tiny', log) });
  log('passed');
} catch (e) {
  const message = e instanceof Error ? e.message : String(e);
  const offline = /ENOTFOUND|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN/.test(message);
  console.error(`[desktop] failed: ${message}${offline ? '\n[desktop] VS Code could not be downloaded from here; run the same suite in code-server: npm run test:e2e' : ''}`);
  process.exit(1);
}
