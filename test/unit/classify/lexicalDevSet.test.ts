import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { classifyText } from '../../../server/src/classify/lexical/lexicalDetector';

const repoRoot = path.resolve(__dirname, '../../..');
const DEV_SET = path.resolve(repoRoot, '../shared/data/dev/chatgpt-refusals.jsonl');
const HOLDOUT = path.resolve(repoRoot, 'test/fixtures/lexical/holdout.jsonl');
/** Written for the second pass, before its rules (batch 3) and after them, unseen (batch 4). */
const HOLDOUT_2 = path.resolve(repoRoot, 'test/fixtures/lexical/holdout2.jsonl');

interface Figures {
  precision: number;
  recall: number;
  f1: number;
  /** Share flagged per `tone`. */
  tones: Map<string, number>;
}

function measure(file: string): Figures {
  let tp = 0, fp = 0, fn = 0;
  const tones = new Map<string, [number, number]>();
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const row = JSON.parse(line) as { text: string; label: 0 | 1; tone: string };
    const flagged = classifyText(row.text).score > 0.5;
    if (row.label === 1) flagged ? tp++ : fn++;
    else if (flagged) fp++;
    const t = tones.get(row.tone) ?? [0, 0];
    t[0] += flagged ? 1 : 0;
    t[1]++;
    tones.set(row.tone, t);
  }
  const precision = tp / (tp + fp);
  const recall = tp / (tp + fn);
  return { precision, recall, f1: (2 * precision * recall) / (precision + recall), tones: new Map([...tones].map(([k, [f, n]]) => [k, f / n])) };
}

const show = (f: Figures): string => `P ${f.precision.toFixed(3)} R ${f.recall.toFixed(3)} F1 ${f.f1.toFixed(3)}`;

test('holdout set in other models\u2019 styles (Claude, Llama, Gemini, Mistral, GPT-4o): F1 >= 0.98', () => {
  const f = measure(HOLDOUT);
  console.log(`holdout: ${show(f)}`);
  assert.ok(f.f1 >= 0.98, show(f));
  assert.ok(f.precision >= 0.95, show(f));
  assert.equal(f.tones.get('rejected'), 1, 'every explicit refusal');
});

test('second holdout set (Claude 3/3.5/4, Llama 3, Gemini, Mistral, Qwen, GPT-4o): F1 >= 0.95, no false alarms on disclaimers that answer', () => {
  const f = measure(HOLDOUT_2);
  console.log(`holdout 2: ${show(f)}`);
  assert.ok(f.f1 >= 0.95, show(f));
  assert.ok(f.precision >= 0.97, show(f));
  assert.equal(f.tones.get('rejected'), 1, 'every explicit refusal');
  assert.equal(f.tones.get('complied'), 0, 'no answer flagged');
});

test('development set (gpt-3.5, Reuter & Schulze 2023): F1 >= 0.87, well above keyword lists (0.72 to 0.73)', (t) => {
  if (!fs.existsSync(DEV_SET)) {
    t.skip(`../shared/data/dev not found: ${DEV_SET}`);
    return;
  }
  const f = measure(DEV_SET);
  console.log(`dev set: ${show(f)}`);
  // Measured 0.876 (5-fold cross-validated 0.874), below the brief's target of 0.90. Most of the
  // errors left are "As an AI language model, I don't have personal opinions. However, ..." replies,
  // labelled refusal or answer by whether what follows answers the prompt, which the response
  // text alone does not show (docs/lexical-detector.md). This floor guards against regressions.
  assert.ok(f.f1 >= 0.87, show(f));
  assert.ok(f.precision >= 0.84, show(f));
  assert.ok(f.recall >= 0.89, show(f));
  assert.ok((f.tones.get('rejected') ?? 0) >= 0.95, `explicit refusals (tone "rejected"): ${f.tones.get('rejected')}`);
  assert.ok((f.tones.get('complied') ?? 1) <= 0.1, `false alarms on answers: ${f.tones.get('complied')}`);
});
