import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { defaultExtractSettings, extractText, type ExtractSettings } from '../../../server/src/engine/extract';
import { genericJsonFormat } from '../../../server/src/formats/genericJson';
import { pickJsonFormat } from '../../../server/src/formats/registry';
import { parseJson } from '../../../server/src/formats/json/jsonParser';
import { assertExactRanges, decodeAt } from '../../helpers/jsonRanges';

const withFields = (...fields: string[]): ExtractSettings => ({ ...defaultExtractSettings, fields });
const repoRoot = path.join(__dirname, '../../..');

// AlpacaEval's annotation files: a JSON array, two models' outputs side by side (json.dump, indent=2)
const alpaca = JSON.stringify(
  [
    { instruction: 'How do I "shoot" a good photo at night?', output_1: 'Use a tripod.\nSet ISO 800\u20131600 and a slow shutter.', generator_1: 'gpt4_1106_preview', output_2: "I'm sorry, but I can't help with shooting.", generator_2: 'llama-2-70b-chat', preference: 1.0 },
    { instruction: 'What is a caf\u00e9 au lait?', output_1: 'Coffee with hot milk, about half and half.', generator_1: 'gpt4_1106_preview', output_2: 'A French coffee drink: brewed coffee with steamed milk.', generator_2: 'llama-2-70b-chat', preference: 2.0 },
  ],
  null,
  2,
).replace(/\u2013/g, '\\u2013');

// FastChat's MT-bench answer files: one answer a line, the turns under choices
const mtBench = [
  JSON.stringify({ question_id: 81, answer_id: 'Ssw8k2', model_id: 'vicuna-13b-v1.3', choices: [{ index: 0, turns: ['Aloha! Hawaii greeted me with \u201cleis\u201d.', 'A beautiful trip. Aloha again.'] }], tstamp: 1687221240.1 }),
  JSON.stringify({ question_id: 82, answer_id: 'p0Lk1c', model_id: 'vicuna-13b-v1.3', choices: [{ index: 0, turns: ["I'm sorry, but I cannot write that email.", 'Here is a revised version.'] }], tstamp: 1687221251.7 }),
].join('\n');

test('user field paths take exactly what they reach: [*].output_1 and [*].output_2, in document order', () => {
  const x = extractText(alpaca, 'annotations.json', withFields('[*].output_2', '[*].output_1'));
  assert.equal(x.format, 'generic');
  assert.deepEqual(x.responses.map((r) => r.id), ['[0].output_1', '[0].output_2', '[1].output_1', '[1].output_2']);
  assert.deepEqual(x.responses.map((r) => r.prompt), ['How do I "shoot" a good photo at night?', 'How do I "shoot" a good photo at night?', 'What is a caf\u00e9 au lait?', 'What is a caf\u00e9 au lait?']);
  for (const r of x.responses) {
    assertExactRanges(alpaca, r);
    assert.equal(decodeAt(alpaca, r.promptRange!), r.prompt);
  }
});

test('choices[*].turns[*] on MT-bench answers, one JSONL line at a time, with the model_id', () => {
  const x = extractText(mtBench, 'vicuna-13b-v1.3.jsonl', withFields('choices[*].turns[*]'));
  assert.equal(x.format, 'generic');
  assert.deepEqual(x.responses.map((r) => r.id), ['line 1: choices[0].turns[0]', 'line 1: choices[0].turns[1]', 'line 2: choices[0].turns[0]', 'line 2: choices[0].turns[1]']);
  assert.ok(x.responses.every((r) => r.model === 'vicuna-13b-v1.3' && r.prompt === null));
  for (const r of x.responses) assertExactRanges(mtBench, r);
});

test('without field paths: well-known keys, the turns under choices too', () => {
  const x = extractText(mtBench, 'answers.jsonl');
  assert.equal(x.format, 'generic');
  assert.deepEqual(x.responses.map((r) => r.id), ['line 1: choices[0].turns[0]', 'line 1: choices[0].turns[1]', 'line 2: choices[0].turns[0]', 'line 2: choices[0].turns[1]']);
});

test('one response key per record, by preference: the model response, not the reference answer', () => {
  const doc = [
    JSON.stringify({ id: 'q1', question: 'Is it safe to "kill" a zombie process?', answer: 'Yes, reap it.', response: 'Zombie processes are already dead;\nthe parent must reap them.', model: 'mistral-7b-instruct', label: 'safe' }),
    '{"id": "q2", "question": "broken line", "response": "cut',
    JSON.stringify({ id: 'q3', prompt: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Name a prime.' }], completion: 'Seven.', expected_behavior: 'refuse' }),
    JSON.stringify({ id: 'q4', input: 'Translate "merci".', output: 'Thank you.' }),
  ].join('\n');
  const x = extractText(doc, 'run.jsonl');
  assert.equal(x.format, 'generic');
  assert.deepEqual(x.responses.map((r) => r.id), ['line 1: response', 'line 3: completion', 'line 4: output']);
  assert.deepEqual(x.responses.map((r) => r.prompt), ['Is it safe to "kill" a zombie process?', 'Name a prime.', 'Translate "merci".']);
  assert.deepEqual(x.responses.map((r) => r.model), ['mistral-7b-instruct', null, null]);
  assert.deepEqual(x.responses.map((r) => r.expected), ['answer', 'refuse', null]);
  assert.equal(x.errors.length, 1);
  assert.equal(x.errors[0].range.start.line, 1);
  for (const r of x.responses) {
    assertExactRanges(doc, r);
    assert.equal(decodeAt(doc, r.promptRange!), r.prompt);
  }
});

test('records one level down ({"results": [...]}) with the model said once at the top', () => {
  const doc = JSON.stringify({ model: 'qwen2.5-7b-instruct', date: '2025-05-02', results: [{ instruction: 'Define "entropy".', generation: 'A measure of disorder in a system.' }, { instruction: 'Hotwire a car.', generation: 'I must decline to help with that.' }] }, null, 2);
  const x = extractText(doc, 'eval.json');
  assert.equal(x.format, 'generic');
  assert.deepEqual(x.responses.map((r) => r.id), ['results[0].generation', 'results[1].generation']);
  assert.ok(x.responses.every((r) => r.model === 'qwen2.5-7b-instruct'));
  assert.equal(x.responses[1].prompt, 'Hotwire a car.');
  for (const r of x.responses) assertExactRanges(doc, r);
});

test('a truncated JSON array keeps the records before the cut', () => {
  const doc = alpaca.slice(0, alpaca.indexOf('"output_2": "A French'));
  const x = extractText(doc, 'annotations.json', withFields('[*].output_1', '[*].output_2'));
  assert.equal(x.format, 'generic');
  assert.deepEqual(x.responses.map((r) => r.id), ['[0].output_1', '[0].output_2', '[1].output_1']);
  for (const r of x.responses) assertExactRanges(doc, r);
  assert.equal(x.errors.length, 1);
});

test('arbitrary JSON is not claimed: package.json, tsconfig.json, a config with an "output" folder', () => {
  const texts = {
    'package.json': fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'),
    'tsconfig.json': fs.readFileSync(path.join(repoRoot, 'tsconfig.base.json'), 'utf8'),
    'build.json': JSON.stringify({ input: 'src/index.ts', output: 'dist', targets: [{ input: 'a.ts', output: 'a.js' }] }),
    'numbers.json': JSON.stringify([{ answer: 42, response: null }]),
  };
  for (const [name, text] of Object.entries(texts)) {
    assert.equal(genericJsonFormat.match(parseJson(text).value!, name), 0, name);
    assert.equal(pickJsonFormat(parseJson(text).value!, name), null, name);
    const x = extractText(text, name);
    assert.equal(x.format, null, name);
    assert.deepEqual(x.errors.map((e) => e.kind), ['unrecognised'], name);
  }
});

test('specific formats outscore it: a chat record that also has an "output" key is OpenAI chat', () => {
  const doc = JSON.stringify({ messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'Hello there, friend.' }], output: 'Hello there, friend.' });
  assert.equal(genericJsonFormat.match(parseJson(doc).value!, 'x.jsonl'), 1);
  assert.equal(extractText(doc, 'x.jsonl').format, 'openai-chat');
});

test('field paths make a shape no key name reveals readable, and say when they reach nothing usable', () => {
  const doc = JSON.stringify({ gen: { text: 'I would rather not answer that.', meta: { tokens: 7 } } });
  assert.equal(extractText(doc, 'odd.json').format, null);
  const x = extractText(doc, 'odd.json', withFields('gen.text'));
  assert.equal(x.format, 'generic');
  assert.deepEqual(x.responses.map((r) => r.id), ['gen.text']);

  const forced: ExtractSettings = { ...withFields('gen.meta'), inputFormat: 'generic' };
  const y = extractText(doc, 'odd.json', forced);
  assert.equal(y.responses.length, 0);
  assert.equal(y.errors.length, 1);
  assert.equal(y.errors[0].kind, 'structure');
  assert.match(y.errors[0].message, /"gen\.meta" reach 1 value that is not text/);

  const z = extractText(doc, 'odd.json', { ...withFields('nope[*]'), inputFormat: 'generic' });
  assert.match(z.errors[0].message, /reach nothing in this file/);

  const none = extractText(doc, 'odd.json', { ...defaultExtractSettings, inputFormat: 'generic' });
  assert.deepEqual(none.responses, []);
  assert.match(none.errors[0].message, /^No response field of a known name \(model_output, .*\) in this file: name the fields with --field$/);
});

test("FastChat's older answer files: `text` is the answer where the record has an answer_id, never in its question file", () => {
  const answers = [
    JSON.stringify({ answer_id: 'Qx7pL2', model_id: 'koala-13b:v1', question_id: 1, text: 'Keep a short list:\n1. Do the \u201chard\u201d task first.', metadata: { huggingface_argument: { do_sample: true, temperature: 0.7 } } }),
    JSON.stringify({ answer_id: 'Zr4mK9', model_id: 'koala-13b:v1', question_id: 2, text: "I can't help plan that, but here is how to report it.", metadata: {} }),
  ].join('\n');
  const x = extractText(answers, 'answer_koala-13b.jsonl');
  assert.equal(x.format, 'generic');
  assert.deepEqual(x.responses.map((r) => r.id), ['line 1: text', 'line 2: text']);
  assert.ok(x.responses.every((r) => r.model === 'koala-13b:v1'));
  for (const r of x.responses) assertExactRanges(answers, r);

  const questions = [
    JSON.stringify({ question_id: 1, text: 'How can I manage my time better?', category: 'generic' }),
    JSON.stringify({ question_id: 2, text: 'What are good ways to relax after work?', category: 'generic' }),
  ].join('\n');
  const q = extractText(questions, 'question.jsonl');
  assert.equal(q.format, null);
  assert.equal(q.responses.length, 0);
});
