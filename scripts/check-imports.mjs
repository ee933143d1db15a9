#!/usr/bin/env node
// The dependency rules of ARCHITECTURE.md, checked by grepping imports:
// formats/ and classify/ never import each other; nothing under server/src but lsp/ imports vscode or
// the LSP libraries (shared/ only the protocol types); client/ imports nothing from server/ but server/src/shared/.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// every folder of the server, so that a new one is checked too
const serverDirs = fs.readdirSync(path.join(root, 'server/src'), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
const rules = [
  { dir: 'server/src/formats', banned: [/\/classify\//], why: 'formats know file shapes, nothing about models' },
  { dir: 'server/src/classify', banned: [/\/formats\//], why: 'classification knows texts, nothing about files' },
  ...serverDirs
    .filter((d) => d !== 'lsp' && d !== 'shared')
    .map((d) => ({ dir: `server/src/${d}`, banned: [/^vscode/], why: 'only the language server (lsp/) talks to the editor: the engine and the CLI run without it' })),
  { dir: 'server/src/shared', banned: [/^vscode(?!-languageserver-protocol)/, /^\.\.\//], why: 'the shared protocol module stands alone' },
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
