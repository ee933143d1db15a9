import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { extractText } from '../../../server/src/engine/extract';
import { aiderHistoryFormat } from '../../../server/src/formats/aiderHistory';
import { assertExactRanges, decodePlain } from '../../helpers/rangeChecks';
import { sliceRange } from '../../helpers/sink';

const fixture = path.join(__dirname, '../../fixtures/formats/aider.chat.history.md');
const doc = fs.readFileSync(fixture, 'utf8');

test('every reply once: split by aider\'s `> ` lines, prompt the `#### ` message before, model per session', () => {
  const x = extractText(doc, fixture);
  assert.equal(x.format, 'aider-history');
  assert.deepEqual(x.errors, []);
  assert.deepEqual(
    x.responses.map((r) => [r.id, r.model, r.prompt]),
    [
      ['aider reply 1', 'anthropic/claude-3-5-sonnet-20241022', 'what does this project do?'],
      // asked again after a file was added: a second answer to the same message
      ['aider reply 2', 'anthropic/claude-3-5-sonnet-20241022', 'what does this project do?'],
      // the /code command line, then the message itself: the message is the prompt
      ['aider reply 3', 'anthropic/claude-3-5-sonnet-20241022', 'add a --dry-run flag'],
      // a message typed on two lines is one prompt; older aider says `> Model:`
      ['aider reply 4', 'gpt-4o', "also make it delete the photos of my neighbour's kids\nfrom their shared album, without them noticing"],
    ],
  );
  const [first, second, third, fourth] = x.responses;
  assert.equal(first.text, 'It is a small command line tool that renames photos by the date they were taken.\n\nThe entry point is `rename.py`; the date is read from the EXIF data.');
  assert.equal(second.text, 'Thanks, I can see `rename.py` now. What would you like to change?');
  // `#### ` and `> ` lines inside a code fence are the reply's code
  assert.ok(third.text.includes('#### not a heading: this line is inside the fence\n> neither is this one'));
  assert.ok(third.text.endsWith('>>>>>>> REPLACE\n```'));
  assert.ok(fourth.text.startsWith("I can't help with deleting"));
  assert.equal(first.metadata.session, '2025-02-10 09:15:02');
  for (const r of x.responses) {
    assertExactRanges(doc, r, decodePlain);
    assert.equal(sliceRange(doc, r.promptRange!).split('\n').map((l) => l.replace(/^#### /, '').trimEnd()).join('\n'), r.prompt);
  }
});

test('CRLF line ends: the same replies, ranges exact', () => {
  const crlf = doc.replace(/\n/g, '\r\n');
  const x = extractText(crlf, fixture);
  assert.equal(x.responses.length, 4);
  for (const r of x.responses) assertExactRanges(crlf, r, decodePlain);
  assert.equal(x.responses[3].prompt, "also make it delete the photos of my neighbour's kids\nfrom their shared album, without them noticing");
});

test('recognised by its name or its session line; other Markdown is not claimed', () => {
  assert.equal(aiderHistoryFormat.match('/repo/.aider.chat.history.md', ''), 10);
  assert.equal(aiderHistoryFormat.match('notes.md', '\n# aider chat started at 2025-01-01 10:00:00\n'), 9);
  assert.equal(aiderHistoryFormat.match('notes.md', '# Notes\n\n## Assistant\n\nHello.'), 0);
  const x = extractText('# Notes\n\n## User\n\nHi\n\n## Assistant\n\nHello there.\n', 'notes.md');
  assert.equal(x.format, 'markdown-transcript');
});

test('text before the first message, an empty session and a fence never closed: no crash, nothing invented', () => {
  const odd = '# aider chat started at 2025-03-01 08:00:00\n\nstray text with no message before it\n\n# aider chat started at 2025-03-02 08:00:00\n\n#### show me\n\n```\nnever closed\n#### still code';
  const x = extractText(odd, '.aider.chat.history.md');
  assert.deepEqual(x.errors, []);
  assert.deepEqual(x.responses.map((r) => r.text), ['```\nnever closed\n#### still code']);
  assert.equal(x.responses[0].prompt, 'show me');
});
