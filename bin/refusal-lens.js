#!/usr/bin/env node
// The CLI entry for `npm install -g` / `npx refusal-lens`: the bundled CLI, built on demand from a checkout.
const path = require('node:path');
const fs = require('node:fs');
const cli = path.join(__dirname, '..', 'dist', 'cli.js');
if (!fs.existsSync(cli)) {
  require('node:child_process').execFileSync(process.execPath, [path.join(__dirname, '..', 'scripts', 'build.mjs'), '--quiet'], { stdio: 'inherit' });
}
require(cli).runAsProcess();
