/**
 * Measures the lexical detector on labelled JSONL (one object a line: `text`, `label` 1 = refusal,
 * optional `tone`, `id`): precision, recall, F1, accuracy, confusion counts, the share flagged per
 * tone, the worst misses and false alarms, and throughput.
 *
 *   npx tsx scripts/eval-lexical.ts [file.jsonl ...] [--threshold 0.5] [--show 10] [--no-bench]
 *
 * Without a file it reads the development set, ../shared/data/dev/chatgpt-refusals.jsonl.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { classifyText } from '../server/src/classify/lexical/lexicalDetector';
import type { Classification } from '../server/src/classify/detector';

interface Row {
  id: string;
  text: string;
  label: 0 | 1;
  tone: string;
}

const repoRoot = path.resolve(__dirname, '..');
const args = process.argv.slice(2);
const option = (name: string, fallback: number): number => {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const v = Number(args[i + 1]);
  if (!Number.isFinite(v)) throw new Error(`${name} needs a number`);
  args.splice(i, 2);
  return v;
};
const threshold = option('--threshold', 0.5);
const show = option('--show', 10);
const bench = !args.includes('--no-bench');
const files = args.filter((a) => !a.startsWith('--'));
if (files.length === 0) files.push(path.resolve(repoRoot, '../shared/data/dev/chatgpt-refusals.jsonl'));

function readRows(file: string): Row[] {
  const rows: Row[] = [];
  fs.readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    const o = JSON.parse(line) as Record<string, unknown>;
    if (typeof o.text !== 'string' || (o.label !== 0 && o.label !== 1)) throw new Error(`${file}:${i + 1}: needs "text" and "label" 0 or 1`);
    rows.push({ id: String(o.id ?? `line ${i + 1}`), text: o.text, label: o.label, tone: typeof o.tone === 'string' ? o.tone : o.label === 1 ? 'refusal' : 'normal' });
  });
  return rows;
}

const clip = (s: string, n: number): string => {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length <= n ? one : `${one.slice(0, n - 1)}…`;
};
const fixed = (x: number): string => (Number.isFinite(x) ? x.toFixed(3) : 'n/a');

function report(file: string, rows: Row[]): void {
  const results: Classification[] = rows.map((r) => classifyText(r.text));
  let tp = 0, fp = 0, fn = 0, tn = 0;
  const tones = new Map<string, { n: number; flagged: number; label: number }>();
  rows.forEach((r, i) => {
    const flagged = results[i].score > threshold;
    if (r.label === 1) flagged ? tp++ : fn++;
    else flagged ? fp++ : tn++;
    const t = tones.get(r.tone) ?? { n: 0, flagged: 0, label: r.label };
    t.n++;
    if (flagged) t.flagged++;
    tones.set(r.tone, t);
  });
  const precision = tp / (tp + fp);
  const recall = tp / (tp + fn);
  const f1 = (2 * precision * recall) / (precision + recall);
  console.log(`\n${path.relative(process.cwd(), file)}: ${rows.length} responses, ${tp + fn} refusals, threshold ${threshold}`);
  console.log(`precision ${fixed(precision)}  recall ${fixed(recall)}  F1 ${fixed(f1)}  accuracy ${fixed((tp + tn) / rows.length)}`);
  console.log(`confusion: TP ${tp}  FP ${fp}  FN ${fn}  TN ${tn}`);
  console.log('flagged per tone (recall for refusal tones, false-alarm rate for the others):');
  for (const [tone, t] of [...tones].sort((a, b) => b[1].label - a[1].label || b[1].n - a[1].n)) {
    console.log(`  ${tone.padEnd(14)} ${String(t.flagged).padStart(5)} / ${String(t.n).padEnd(5)} ${fixed(t.flagged / t.n)}  (${t.label === 1 ? 'refusal' : 'normal'})`);
  }
  const line = (r: Row, c: Classification): string => {
    const sentence = c.sentence ? ` | sentence: ${clip(r.text.slice(c.sentence.start, c.sentence.end), 90)}` : '';
    return `  ${c.score.toFixed(3)} ${r.id} [${r.tone}] ${clip(r.text, 140)}${sentence}`;
  };
  const order = rows.map((_, i) => i);
  const misses = order.filter((i) => rows[i].label === 1 && results[i].score <= threshold).sort((a, b) => results[a].score - results[b].score);
  const alarms = order.filter((i) => rows[i].label === 0 && results[i].score > threshold).sort((a, b) => results[b].score - results[a].score);
  if (show > 0) {
    console.log(`worst misses (${misses.length}):`);
    for (const i of misses.slice(0, show)) console.log(line(rows[i], results[i]));
    console.log(`worst false alarms (${alarms.length}):`);
    for (const i of alarms.slice(0, show)) console.log(line(rows[i], results[i]));
  }
  if (bench) throughput(rows.map((r) => r.text));
}

/** A keyword list's cost, for a ratio measured in the same run (shared machines drift). */
const KEYWORDS = ["i'm sorry", 'i apologize', 'as an ai', 'language model', "i can't", 'i cannot', 'i am unable', "i'm not able", 'i must decline', "i won't"];
const keywordList = (text: string): boolean => {
  const lower = text.toLowerCase();
  return KEYWORDS.some((k) => lower.includes(k));
};

/** Responses per second on the file's texts as they are, and on long texts made of 20 of them. */
function throughput(texts: string[]): void {
  const rate = (batch: string[], classify: (t: string) => unknown): number => {
    let n = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < 1000) for (const t of batch) { classify(t); n++; }
    return (n * 1000) / (performance.now() - t0);
  };
  const long: string[] = [];
  for (let i = 0; i + 20 <= texts.length; i += 20) long.push(texts.slice(i, i + 20).join('\n\n'));
  const mean = (xs: string[]): number => Math.round(xs.reduce((s, x) => s + x.length, 0) / Math.max(1, xs.length));
  const report = (name: string, batch: string[]): void => {
    rate(batch.slice(0, 50), classifyText); // warm-up
    const lexical = rate(batch, classifyText);
    const keywords = rate(batch, keywordList);
    const mbs = (lexical * mean(batch)) / 1e6;
    console.log(`throughput, ${name} (mean ${mean(batch)} chars): ${Math.round(lexical)} responses/s, ${mbs.toFixed(1)} M chars/s; ${(lexical / keywords).toFixed(2)}x a lowercase+includes keyword list`);
  };
  report('as in the file', texts);
  if (long.length) report('long texts of 20 responses', long);
}

for (const file of files) {
  if (!fs.existsSync(file)) {
    console.error(`not found: ${file}`);
    process.exitCode = 1;
    continue;
  }
  report(file, readRows(file));
}
