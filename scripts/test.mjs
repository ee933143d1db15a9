#!/usr/bin/env node
// `npm test`: type-check, bundle, then every unit test under test/unit with node's own runner.
// Arguments narrow the unit tests to files whose path contains one of them.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const filters = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const skipChecks = process.argv.includes('--no-typecheck');

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

if (!skipChecks) {
  run(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-b']);
  run(process.execPath, [path.join(root, 'scripts/check-imports.mjs')]);
}
run(process.execPath, [path.join(root, 'scripts/build.mjs'), '--quiet']);

const files = [];
const visit = (d) => {
  for (const e of fs.readdirSync(d, { withFileTypes: true })) {
    const p = path.join(d, e.name);
    if (e.isDirectory()) visit(p);
    else if (e.name.endsWith('.test.ts')) files.push(path.relative(root, p));
  }
};
visit(path.join(root, 'test/unit'));
const selected = files.sort().filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)));
if (selected.length === 0) {
  console.error('no unit test files matched');
  process.exit(1);
}
run(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...selected]);
