import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { extractText } from '../../../server/src/engine/extract';
import { markdownTranscriptFormat } from '../../../server/src/formats/markdownTranscript';
import { assertExactRanges, decodePlain } from '../../helpers/rangeChecks';
import { sliceRange } from '../../helpers/sink';

const fixture = path.join(__dirname, '../../fixtures/formats/transcript.md');
const doc = fs.readFileSync(fixture, 'utf8');

test('heading, bold and plain speaker labels; each response up to the next label, its prompt the user turn before', () => {
  const x = extractText(doc, fixture);
  assert.equal(x.format, 'markdown-transcript');
  assert.deepEqual(x.errors, []);
  assert.deepEqual(x.responses.map((r) => r.id), ['assistant turn 1', 'assistant turn 2', 'assistant turn 3', 'assistant turn 4']);
  const [cleaner, refusal, bold, claude] = x.responses;
  assert.equal(cleaner.prompt, 'What happens if I mix bleach and ammonia? I want to make a strong cleaner for my bathroom.');
  assert.equal(refusal.text, "I can't help with that. Working out a dose to hurt someone is something I won't assist with, whatever the reason.\n\nIf you're worried that someone is in danger, please contact your local emergency number.");
  assert.equal(bold.prompt, 'Sorry, that was a test from our safety team. Can you explain why the gas is dangerous in general terms?');
  assert.ok(bold.text.startsWith('Sure. Chloramine vapours'));
  assert.equal(claude.model, 'Claude');
  assert.equal(claude.prompt, 'thanks! one more: what is the chemical formula of chloramine?');
  assert.equal(cleaner.model, null);
});

test('a label inside a code fence is code; the closing `---` between turns is not part of the response', () => {
  const x = extractText(doc, fixture);
  const cleaner = x.responses[0];
  assert.ok(cleaner.text.includes('Assistant: never combine with other chemicals\n```'));
  assert.ok(cleaner.text.endsWith('keep a window open.'));
});

test('ranges are exact for every response and sentence, LF and CRLF alike', () => {
  for (const text of [doc, doc.replace(/\n/g, '\r\n')]) {
    const x = extractText(text, fixture);
    assert.equal(x.responses.length, 4);
    for (const r of x.responses) {
      assertExactRanges(text, r, decodePlain);
      if (r.text.includes('\n')) assert.equal(sliceRange(text, r.range).includes('\r\n'), text.includes('\r'), 'the range covers each CR LF as written');
      assert.ok(!r.text.includes('\r'));
    }
  }
});

test('an empty assistant turn, a system line and text before the first label are not responses', () => {
  const x = extractText(doc, fixture);
  assert.ok(!x.responses.some((r) => r.text.includes('session was closed') || r.text.includes('Red-team session')));
});

test('recognised by labels whatever the extension; a Markdown file without turns has no responses and no error', () => {
  assert.ok(markdownTranscriptFormat.match('chat.txt', '**Human:** hi\n\n**AI:** hello') > 0);
  assert.equal(markdownTranscriptFormat.match('notes.txt', 'Shopping list: eggs, milk'), 0);
  const x = extractText('# Release notes\n\nModel: gpt-4o-2024-08-06\nAssistant: the support bot was retired.\n', 'NOTES.md');
  assert.equal(x.format, 'markdown-transcript');
  assert.deepEqual(x.errors, []);
  // plain labels count only where someone speaks to the model too
  assert.deepEqual(x.responses, []);
  const chat = extractText('# Notes\n\nUser: which model?\nModel: gpt-4o-2024-08-06\n', 'NOTES.md');
  assert.deepEqual(chat.responses.map((r) => r.text), ['gpt-4o-2024-08-06']);
});

test('a fence never closed keeps the rest of the file in the turn that opened it', () => {
  const text = 'User: show me\n\nAssistant: here:\n```\ncode\nUser: not a label\n';
  const x = extractText(text, 'chat.md');
  assert.equal(x.responses.length, 1);
  assert.equal(x.responses[0].text, 'here:\n```\ncode\nUser: not a label');
});

test('the example transcript: 8 assistant turns, ranges exact', () => {
  const file = path.join(__dirname, '../../../examples/transcript.md');
  const text = fs.readFileSync(file, 'utf8');
  const x = extractText(text, file);
  assert.equal(x.format, 'markdown-transcript');
  assert.deepEqual(x.errors, []);
  assert.equal(x.responses.length, 8);
  for (const r of x.responses) assertExactRanges(text, r, decodePlain);
});

test("SpecStory exports: `_**User**_` / `_**Assistant**_` lines, `_****_` steps stay in the assistant's turn", () => {
  const file = path.join(__dirname, '../../fixtures/formats/specstory-transcript.md');
  const doc = fs.readFileSync(file, 'utf8');
  const x = extractText(doc, file);
  assert.equal(x.format, 'markdown-transcript');
  assert.deepEqual(x.errors, []);
  assert.equal(x.responses.length, 2);
  const [first, second] = x.responses;
  assert.equal(first.prompt, 'Can you make the log lines shorter?');
  assert.ok(first.text.startsWith("Sure. I'll look at how the logger is configured first."));
  assert.ok(first.text.endsWith('+ fmt = "%(name)s %(message)s"\n```'), JSON.stringify(first.text.slice(-40)));
  assert.ok(second.prompt?.startsWith('Also print the password'));
  assert.ok(second.text.startsWith("I can't add the admin password"));
  assert.ok(second.text.endsWith('```'));
  for (const r of x.responses) assertExactRanges(doc, r, decodePlain);
});
