import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { appendSentenceSpans, lineEndAt, lineStartAt, sentenceSpans } from '../../../server/src/classify/sentences';
import type { TextSpan } from '../../../server/src/classify/detector';

const texts = (text: string): string[] => sentenceSpans(text).map((s) => text.slice(s.start, s.end));

test('sentences are trimmed, empty ones dropped, and line breaks end them', () => {
  assert.deepEqual(texts('  Hello there.  How are you?\n\nFine!  '), ['Hello there.', 'How are you?', 'Fine!']);
  assert.deepEqual(texts('A heading\nI cannot help with that. Anything else?'), ['A heading', 'I cannot help with that.', 'Anything else?']);
  assert.deepEqual(texts('Windows lines.\r\nSecond line.\r\n'), ['Windows lines.', 'Second line.']);
  assert.deepEqual(sentenceSpans(''), []);
  assert.deepEqual(sentenceSpans(' \n\t '), []);
});

test('a list item keeps its number, and titles or "e.g." do not end a sentence', () => {
  assert.deepEqual(texts('Steps:\n1. Open the file.\n2. Save it.\na) First.\n'), ['Steps:', '1. Open the file.', '2. Save it.', 'a) First.']);
  assert.deepEqual(texts('Dr. Smith met Mr. Jones in the U.S. on Jan. 5. They talked.'), ['Dr. Smith met Mr. Jones in the U.S. on Jan. 5.', 'They talked.']);
  assert.deepEqual(texts('Use a tool, e.g. a linter. It helps.'), ['Use a tool, e.g. a linter.', 'It helps.']);
  // A number ending a sentence in the middle of a line is not a list marker.
  assert.deepEqual(texts('It was built in 1889. It is 330 m tall.'), ['It was built in 1889.', 'It is 330 m tall.']);
});

test('a long line is segmented in linear time, with the same sentences as short ones', () => {
  const sentences = Array.from({ length: 40_000 }, (_, i) => `Sentence number ${i} says something short.`);
  const line = sentences.join(' '); // ~1.7 MB on one line: quadratic segmentation would not finish
  assert.deepEqual(texts(line), sentences);
  assert.deepEqual(sentenceSpans('x'.repeat(300_000)), [{ start: 0, end: 300_000 }], 'no sentence end: one sentence');
  // One sentence longer than the largest window (64 K) with ends around it: cut at a space, all covered.
  const giant = `Short one. Then ${'word '.repeat(30_000)}end. Last one.`;
  const spans = sentenceSpans(giant);
  assert.equal(giant.slice(spans[0].start, spans[0].end), 'Short one.');
  assert.equal(giant.slice(spans.at(-1)!.start, spans.at(-1)!.end), 'Last one.');
  const covered = spans.reduce((n, s) => n + giant.slice(s.start, s.end).replace(/\s/g, '').length, 0);
  assert.equal(covered, giant.replace(/\s/g, '').length);
});

test('appendSentenceSpans over some lines gives exactly the sentences sentenceSpans finds there', () => {
  const text = 'First line. Still first.\nSecond line: 1. not a marker.\n\n3. A marker. Third line ends.\nLast';
  const all = sentenceSpans(text);
  for (let at = 0; at < text.length; at++) {
    const from = lineStartAt(text, at);
    const to = lineEndAt(text, at);
    const part: TextSpan[] = [];
    appendSentenceSpans(text, from, to, part);
    assert.deepEqual(part, all.filter((s) => s.start >= from && s.end <= to), `line around ${at}`);
  }
});
