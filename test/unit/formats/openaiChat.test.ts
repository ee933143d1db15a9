import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { extractText } from '../../../server/src/engine/extract';
import { sentenceSpans } from '../../../server/src/classify/sentences';
import { sliceRange } from '../../helpers/sink';

const jsonl = [
  JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Hi "there"' }, { role: 'assistant', content: 'I can\'t help with that.\n\tCaf\u00e9 "quoted" \u{1F600} ok.' }] }).replace('Café', 'Caf\\u00e9'),
  '{"messages": [{"role": "user", "content": "q"}, {"role": "assistant", "content": "a"}',
  JSON.stringify({ messages: [{ role: 'assistant', content: [{ type: 'text', text: 'Part one.' }, { type: 'image_url' }, { type: 'text', text: 'Part two.' }] }] }),
].join('\n');

test('reads assistant messages with prompt, model and exact ranges', () => {
  const x = extractText(jsonl, 'chat.jsonl');
  assert.equal(x.format, 'openai-chat');
  assert.equal(x.responses.length, 3);
  const [first] = x.responses;
  assert.equal(first.id, 'line 1: messages[1].content');
  assert.equal(first.prompt, 'Hi "there"');
  assert.equal(first.model, 'gpt-4o');
  assert.equal(JSON.parse(`"${sliceRange(jsonl, first.range)}"`), first.text);
});

test('every sentence range slices the document to that sentence, escapes and all', () => {
  const x = extractText(jsonl, 'chat.jsonl');
  for (const r of x.responses.slice(0, 2)) {
    for (const s of sentenceSpans(r.text)) {
      const raw = sliceRange(jsonl, r.map.range(s.start, s.end));
      assert.equal(JSON.parse(`"${raw}"`), r.text.slice(s.start, s.end));
    }
  }
});

test('a truncated line is an error on its line; the lines after it are still read', () => {
  const x = extractText(jsonl, 'chat.jsonl');
  assert.equal(x.errors.length, 1);
  assert.equal(x.errors[0].range.start.line, 1);
  assert.equal(x.responses[2].text, 'Part one.\n\nPart two.');
  assert.equal(x.responses[2].range.start.line, 2);
});

test('a content part with a repeated key is read as JSON.parse reads it: the last value wins', () => {
  const doc = '{"messages": [{"role": "assistant", "content": [{"type": "text", "text": "draft", "text": "I cannot help."}, {"type": "image_url", "type": "text", "text": "Sorry."}]}]}';
  const x = extractText(doc, 'chat.json');
  assert.deepEqual(
    x.responses.map((r) => r.text),
    ['I cannot help.\n\nSorry.'],
  );
});
