#!/usr/bin/env node
// The dependency rules of ARCHITECTURE.md, checked by grepping imports:
// formats/ and classify/ never import each other; the engine never imports vscode or the LSP
// libraries; client/ imports nothing from server/ but server/src/shared/.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const rules = [
  { dir: 'server/src/formats', banned: [/\/classify\//, /^vscode/], why: 'formats know file shapes, nothing about models or the editor' },
  { dir: 'server/src/classify', banned: [/\/formats\//, /^vscode/], why: 'classification knows texts, nothing about files or the editor' },
  { dir: 'server/src/verdicts', banned: [/^vscode/], why: 'the engine runs without the editor' },
  { dir: 'server/src/engine', banned: [/^vscode/], why: 'the engine runs without the editor' },
  { dir: 'server/src/reports', banned: [/^vscode/], why: 'the engine runs without the editor' },
  { dir: 'server/src/cli', banned: [/^vscode/], why: 'the CLI runs without the editor' },
  { dir: 'server/src/shared', banned: [/^vscode(?!-languageserver-protocol)/, /\.\.\/(formats|classify|engine|lsp|cli)\//], why: 'the shared protocol module stands alone' },
  { dir: 'client/src', banned: [/server\/src\/(?!shared\/)/, /^vscode-languageserver(?!-protocol)/], why: 'the client imports only the shared protocol from the server' },
];
const importRe = /(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g;
let failures = 0;
for (const rule of rules) {
  const dir = path.join(root, rule.dir);
  if (!fs.existsSync(dir)) continue;
  const visit = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) visit(p);
      else if (e.name.endsWith('.ts')) {
        const text = fs.readFileSync(p, 'utf8');
        for (const m of text.matchAll(importRe)) {
          const spec = m[1] ?? m[2] ?? m[3];
          const resolved = spec.startsWith('.') ? path.relative(root, path.resolve(path.dirname(p), spec)).replace(/\\/g, '/') : spec;
          const probe = spec.startsWith('.') ? `/${resolved}` : spec;
          for (const b of rule.banned) {
            if (b.test(probe) || (spec.startsWith('.') && b.test(spec))) {
              console.error(`${path.relative(root, p)}: imports ${spec}: ${rule.why}`);
              failures++;
            }
          }
        }
      }
    }
  };
  visit(dir);
}
if (failures > 0) process.exit(1);
