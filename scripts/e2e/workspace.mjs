// The folder a test run opens: the e2e fixtures and the examples, copied so that tests may edit them.
// Restricted runs also get a workspace setting that must be ignored (a model path).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export function prepareWorkspace(root, ws, { restricted, log }) {
  fs.rmSync(ws, { recursive: true, force: true });
  fs.mkdirSync(ws, { recursive: true });
  fs.cpSync(path.join(root, 'test/fixtures/e2e'), path.join(ws, 'fixtures'), { recursive: true });
  const examples = path.join(root, 'examples');
  if (fs.existsSync(examples)) fs.cpSync(examples, path.join(ws, 'examples'), { recursive: true });
  if (restricted) {
    // A real (generated) model, so that a server that wrongly read the setting would load it and say so.
    const model = generateModel(root, path.join(path.dirname(ws), 'workspace-model'), 'tiny', log);
    fs.mkdirSync(path.join(ws, '.vscode'), { recursive: true });
    fs.writeFileSync(
      path.join(ws, '.vscode/settings.json'),
      `${JSON.stringify({ 'refusalLens.modelPath': model, 'refusalLens.allowDownload': true, 'refusalLens.detector': 'model' }, null, 2)}\n`,
    );
  }
}

/** A model folder with seeded random weights (`npm run model:test`), generated once per run. */
export function generateModel(root, dir, preset, log) {
  if (fs.existsSync(path.join(dir, 'config.json'))) return dir;
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'scripts/generate-test-model.ts'), '--preset', preset, '--out', dir], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`generating the ${preset} test model failed (exit ${r.status}):\n${r.stdout}${r.stderr}`);
  log(r.stdout.trim());
  return dir;
}
