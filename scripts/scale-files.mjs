#!/usr/bin/env node
// Benchmark inputs for docs/scale.md, from the shared dev set (read at run time, never committed):
//   node scripts/scale-files.mjs jsonl 1300000 big.jsonl   # ~1 GB of OpenAI-chat lines
//   node scripts/scale-files.mjs json 560000 big.json      # ~500 MB: the same records as one indented JSON array
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const [kind, count, out] = process.argv.slice(2);
if (!['jsonl', 'json'].includes(kind) || !Number(count) || !out) {
  console.error('usage: node scripts/scale-files.mjs jsonl|json COUNT OUT');
  process.exit(1);
}
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const devSet = path.join(root, '../shared/data/dev/chatgpt-refusals.jsonl');
if (!fs.existsSync(devSet)) {
  console.error(`the dev set is not there: ${devSet}`);
  process.exit(1);
}
const dev = fs.readFileSync(devSet, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const n = Number(count);
const record = (i) => {
  const d = dev[i % dev.length];
  return { model: ['gpt-4o', 'llama-3-70b', 'claude-3'][i % 3], messages: [{ role: 'user', content: d.prompt }, { role: 'assistant', content: d.text }] };
};
const fd = fs.openSync(out, 'w');
let buf = kind === 'json' ? ['['] : [];
for (let i = 0; i < n; i++) {
  if (kind === 'jsonl') buf.push(JSON.stringify(record(i)));
  else buf.push(`  ${JSON.stringify(record(i), null, 2).replace(/\n/g, '\n  ')}${i === n - 1 ? '' : ','}`);
  if (buf.length >= 1000) {
    fs.writeSync(fd, `${buf.join('\n')}\n`);
    buf = [];
  }
}
if (kind === 'json') buf.push(']');
if (buf.length) fs.writeSync(fd, `${buf.join('\n')}\n`);
fs.closeSync(fd);
console.error(`wrote ${out}: ${n} records, ${(fs.statSync(out).size / 1024 / 1024).toFixed(0)} MB`);
