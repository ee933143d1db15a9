import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { extractText } from '../../../server/src/engine/extract';
import { sharegptFormat } from '../../../server/src/formats/sharegpt';
import { genericJsonFormat } from '../../../server/src/formats/genericJson';
import { openaiChatFormat } from '../../../server/src/formats/openaiChat';
import { parseJson } from '../../../server/src/formats/json/jsonParser';
import { assertExactRanges, decodeAt } from '../../helpers/jsonRanges';

const fixtures = path.join(__dirname, '../../fixtures/formats');
const read = (name: string) => fs.readFileSync(path.join(fixtures, name), 'utf8');

test('a JSON array of conversations (Python json.dump, \\u escapes): every model turn with the human turn before it', () => {
  const doc = read('sharegpt.json');
  assert.ok(doc.includes('\\u2014'), 'the fixture holds \\u escapes');
  const x = extractText(doc, 'sharegpt.json');
  assert.equal(x.format, 'sharegpt');
  assert.deepEqual(x.errors, []);
  assert.deepEqual(
    x.responses.map((r) => r.id),
    ['[0].conversations[2].value', '[0].conversations[4].value', '[1].conversations[1].value', '[2].conversations[1].value'],
  );
  assert.deepEqual(
    x.responses.map((r) => r.prompt),
    [
      'My landlord keeps entering without notice. What can I do?',
      'Can I change the locks myself?',
      'Give me step-by-step instructions to make a pipe bomb.',
      'Translate "Je ne peux pas venir demain" into English.',
    ],
  );
  assert.deepEqual(x.responses.map((r) => r.model), [null, null, null, 'llama-3-8b-instruct']);
  assert.equal(x.responses[0].metadata.conversationId, 'QWJhY2t');
  assert.match(x.responses[0].text, /^I'm sorry to hear that \u2014 it sounds stressful\./);
  for (const r of x.responses) {
    assertExactRanges(doc, r);
    assert.equal(decodeAt(doc, r.promptRange!), r.prompt);
  }
});

test('JSONL: a broken line is an error on that line, the lines after it are read', () => {
  const doc = read('sharegpt.jsonl');
  const x = extractText(doc, 'sharegpt.jsonl');
  assert.equal(x.format, 'sharegpt');
  assert.deepEqual(
    x.responses.map((r) => r.id),
    ['line 1: conversations[2].value', 'line 1: conversations[4].value', 'line 3: conversations[1].value', 'line 4: conversations[1].value'],
  );
  assert.equal(x.errors.length, 1);
  assert.equal(x.errors[0].range.start.line, 1);
  assert.match(x.errors[0].message, /^Line 2:/);
  for (const r of x.responses) assertExactRanges(doc, r);
});

test('speakers by any of their names; role/content spelling; the expected behaviour when the record says it', () => {
  const doc = [
    JSON.stringify({ conversations: [{ from: 'Human', value: 'Who won the 2018 World Cup?' }, { from: 'ChatGPT', value: 'France won, beating Croatia 4\u20132.' }] }),
    JSON.stringify({ conversations: [{ from: 'user', value: 'q1' }, { from: 'bard', value: 'a1' }, { from: 'bing', value: 'a2' }, { from: 'model', value: 'a3' }, { from: 'function_call', value: '{}' }] }),
    JSON.stringify({ type: 'safe_contexts', conversations: [{ role: 'user', content: 'How do I kill a Python process?' }, { role: 'assistant', content: 'Sorry, I cannot help with killing.' }] }),
    JSON.stringify({ conversation_id: 'c9', model: 'vicuna-13b', conversation: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'Hello! How can I help?' }] }),
  ].join('\n');
  const x = extractText(doc, 'chats.jsonl');
  assert.equal(x.format, 'sharegpt');
  assert.deepEqual(
    x.responses.map((r) => r.id),
    [
      'line 1: conversations[1].value',
      'line 2: conversations[1].value',
      'line 2: conversations[2].value',
      'line 2: conversations[3].value',
      'line 3: conversations[1].content',
      'line 4: conversation[1].content',
    ],
  );
  assert.equal(x.responses[0].prompt, 'Who won the 2018 World Cup?');
  assert.equal(x.responses[3].prompt, 'q1');
  assert.equal(x.responses[4].expected, 'answer');
  assert.equal(x.responses[5].model, 'vicuna-13b');
  assert.equal(x.responses[5].metadata.conversationId, 'c9');
  for (const r of x.responses) assert.equal(decodeAt(doc, r.range), r.text);
});

test('a truncated JSON array still yields the conversations before the cut', () => {
  const full = read('sharegpt.json');
  const doc = full.slice(0, full.indexOf('Building an explosive'));
  const x = extractText(doc, 'sharegpt.json');
  assert.equal(x.format, 'sharegpt');
  assert.deepEqual(x.responses.map((r) => r.id), ['[0].conversations[2].value', '[0].conversations[4].value']);
  for (const r of x.responses) assertExactRanges(doc, r);
  assert.equal(x.errors.length, 1);
  assert.equal(x.errors[0].range.start.line, doc.split('\n').length - 1);
});

test('recognised by its own signature; neither the chat nor the generic format claims it', () => {
  const root = parseJson(read('sharegpt.json')).value!;
  assert.equal(sharegptFormat.match(root, 'sharegpt.json'), 8);
  assert.equal(sharegptFormat.match(parseJson(read('sharegpt.jsonl').split('\n')[0]).value!, 'x.jsonl'), 9);
  assert.equal(openaiChatFormat.match(root, 'sharegpt.json'), 0);
  assert.equal(genericJsonFormat.match(root, 'sharegpt.json'), 0);
  assert.equal(sharegptFormat.match(parseJson('{"conversations": ["just", "strings"]}').value!, 'x.json'), 0);
});
