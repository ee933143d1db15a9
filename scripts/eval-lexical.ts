/**
 * Measures the lexical detector on labelled JSONL (one object a line: `text`, `label` 1 = refusal,
 * optional `tone`, `id`): precision, recall, F1, accuracy, confusion counts, the share flagged per
 * tone, the worst misses and false alarms, and throughput.
 *
 *   npx tsx scripts/eval-lexical.ts [file.jsonl ...] [--threshold 0.5] [--show 10] [--no-bench]
 *       [--folds 5] [--show-folds 0,1,2] [--save scores.json] [--compare scores.json]
 *
 * Without a file it reads the development set, ../shared/data/dev/chatgpt-refusals.jsonl.
 *
 * `--folds K` splits the rows into K folds by a hash of their id (stable across runs and edits of
 * the file) and reports each fold's figures and a cross-validated F1: for each fold the decision
 * threshold is chosen on the other folds and applied to the held-out one, and the held-out
 * decisions are pooled. `--save` writes every row's score; `--compare` reads such a file (the
 * detector before a change) and prints each fold's F1 before and after, so a change is kept only
 * when the held-out folds improve, not just the whole file. `--show-folds` lists misses and false
 * alarms of those folds only (look at some folds' errors, judge on the others).
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
const text = (name: string): string | undefined => {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const v = args[i + 1];
  if (v === undefined || v.startsWith('--')) throw new Error(`${name} needs a value`);
  args.splice(i, 2);
  return v;
};
const threshold = option('--threshold', 0.5);
const show = option('--show', 10);
const folds = option('--folds', 0);
const showFolds = text('--show-folds')?.split(',').map(Number);
const savePath = text('--save');
const comparePath = text('--compare');
const bench = !args.includes('--no-bench');
const files = args.filter((a) => !a.startsWith('--'));
if (folds !== 0 && (!Number.isInteger(folds) || folds < 2)) throw new Error('--folds needs a whole number >= 2');
if (showFolds && folds === 0) throw new Error('--show-folds needs --folds');
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

/** FNV-1a over the id's UTF-16 code units: a row's fold never depends on its line or on the other rows. */
function foldOf(id: string, k: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return (h >>> 0) % k;
}

interface Counts { tp: number; fp: number; fn: number; tn: number }
function count(labels: readonly number[], scores: readonly number[], at: number, keep: (i: number) => boolean = () => true): Counts {
  const c = { tp: 0, fp: 0, fn: 0, tn: 0 };
  for (let i = 0; i < labels.length; i++) {
    if (!keep(i)) continue;
    const flagged = scores[i] > at;
    if (labels[i] === 1) flagged ? c.tp++ : c.fn++;
    else flagged ? c.fp++ : c.tn++;
  }
  return c;
}
const f1Of = (c: Counts): number => (2 * c.tp) / (2 * c.tp + c.fp + c.fn);
const prf = (c: Counts): string => `P ${fixed(c.tp / (c.tp + c.fp))}  R ${fixed(c.tp / (c.tp + c.fn))}  F1 ${fixed(f1Of(c))}`;

/** The threshold with the best F1 on the rows `keep` selects (ties: the one nearest 0.5). */
function bestThreshold(labels: readonly number[], scores: readonly number[], keep: (i: number) => boolean): number {
  let best = 0.5, bestF1 = -1;
  for (let t = 0.2; t <= 0.8001; t += 0.01) {
    const f = f1Of(count(labels, scores, t, keep));
    if (f > bestF1 + 1e-12 || (Math.abs(f - bestF1) <= 1e-12 && Math.abs(t - 0.5) < Math.abs(best - 0.5))) [best, bestF1] = [t, f];
  }
  return best;
}

/**
 * Per-fold figures at the fixed threshold, and the cross-validated figures: each fold judged with
 * the threshold that is best on the other folds. With `before` (scores of an earlier detector),
 * each fold's F1 before and after.
 */
function foldReport(rows: Row[], scores: number[], before: Map<string, number> | null): void {
  const fold = rows.map((r) => foldOf(r.id, folds));
  const labels = rows.map((r) => r.label);
  const pooled: Counts = { tp: 0, fp: 0, fn: 0, tn: 0 };
  const perFold: number[] = [];
  const chosen: string[] = [];
  console.log(`${folds}-fold (by a hash of the id):`);
  for (let k = 0; k < folds; k++) {
    const inFold = (i: number): boolean => fold[i] === k;
    const t = bestThreshold(labels, scores, (i) => fold[i] !== k);
    chosen.push(t.toFixed(2));
    const held = count(labels, scores, t, inFold);
    for (const key of ['tp', 'fp', 'fn', 'tn'] as const) pooled[key] += held[key];
    const fixedT = count(labels, scores, threshold, inFold);
    perFold.push(f1Of(fixedT));
    let line = `  fold ${k}: ${String(fixedT.tp + fixedT.fp + fixedT.fn + fixedT.tn).padStart(4)} rows  ${prf(fixedT)}`;
    if (before) {
      const old = rows.map((r) => before.get(r.id) ?? Number.NaN);
      const was = f1Of(count(labels, old, threshold, inFold));
      const delta = perFold[k] - was;
      line += `   before ${fixed(was)}  ${delta >= 0 ? '+' : ''}${delta.toFixed(3)}`;
    }
    console.log(line);
  }
  const mean = perFold.reduce((a, b) => a + b, 0) / folds;
  const sd = Math.sqrt(perFold.reduce((a, b) => a + (b - mean) ** 2, 0) / (folds - 1));
  console.log(`  per-fold F1 at ${threshold}: mean ${fixed(mean)}  sd ${fixed(sd)}  min ${fixed(Math.min(...perFold))}`);
  console.log(`  cross-validated (threshold chosen on the other folds: ${chosen.join(', ')}): ${prf(pooled)}`);
  if (before) {
    const old = rows.map((r) => before.get(r.id) ?? Number.NaN);
    const was = perFold.map((_, k) => f1Of(count(labels, old, threshold, (i) => fold[i] === k)));
    const better = perFold.filter((f, k) => f > was[k] + 1e-9).length;
    const worse = perFold.filter((f, k) => f < was[k] - 1e-9).length;
    const flips = rows.map((_, i) => i).filter((i) => (scores[i] > threshold) !== (old[i] > threshold));
    const fixedRows = flips.filter((i) => (scores[i] > threshold) === (labels[i] === 1)).length;
    console.log(`  against ${comparePath}: ${better} folds better, ${worse} worse; ${flips.length} rows changed decision (${fixedRows} now right, ${flips.length - fixedRows} now wrong)`);
    const shown = flips.filter((i) => !showFolds || showFolds.includes(fold[i]));
    if (show > 0 && shown.length > 0) {
      console.log(`  changed decisions${showFolds ? ` in folds ${showFolds.join(',')}` : ''} (${shown.length}):`);
      for (const i of shown.slice(0, show)) {
        const right = (scores[i] > threshold) === (labels[i] === 1);
        console.log(`    ${right ? 'now right' : 'now wrong'} ${old[i].toFixed(3)} -> ${scores[i].toFixed(3)} ${rows[i].id} [${rows[i].tone}] ${clip(rows[i].text, 150)}`);
      }
    }
  }
}

function report(file: string, rows: Row[]): void {
  const results: Classification[] = rows.map((r) => classifyText(r.text));
  const scores = results.map((c) => c.score);
  if (savePath) {
    fs.writeFileSync(savePath, JSON.stringify(Object.fromEntries(rows.map((r, i) => [r.id, scores[i]]))));
    console.log(`scores written to ${savePath}`);
  }
  const before = comparePath ? new Map(Object.entries(JSON.parse(fs.readFileSync(comparePath, 'utf8')) as Record<string, number>)) : null;
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
  if (folds) foldReport(rows, scores, before);
  else if (before) {
    const old = rows.map((r) => before.get(r.id) ?? Number.NaN);
    console.log(`against ${comparePath}: F1 before ${fixed(f1Of(count(rows.map((r) => r.label), old, threshold)))}`);
  }
  const listed = (i: number): boolean => !showFolds || showFolds.includes(foldOf(rows[i].id, folds));
  const order = rows.map((_, i) => i).filter(listed);
  const misses = order.filter((i) => rows[i].label === 1 && results[i].score <= threshold).sort((a, b) => results[a].score - results[b].score);
  const alarms = order.filter((i) => rows[i].label === 0 && results[i].score > threshold).sort((a, b) => results[b].score - results[a].score);
  if (show > 0) {
    console.log(`worst misses (${misses.length}${showFolds ? ` in folds ${showFolds.join(',')}` : ''}):`);
    for (const i of misses.slice(0, show)) console.log(line(rows[i], results[i]));
    console.log(`worst false alarms (${alarms.length}${showFolds ? ` in folds ${showFolds.join(',')}` : ''}):`);
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
