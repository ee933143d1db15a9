import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { MarkupContent } from 'vscode-languageserver';
import { escapeMarkdown } from '../../../server/src/lsp/hover';
import { FakeDocument } from '../../helpers/fakeServerHost';
import { fixtureText, makeServer } from '../../helpers/lspServer';

const URI = 'file:///work/results/chat.jsonl';

async function hoverText(line: number, character: number, config?: unknown): Promise<string | null> {
  const { server } = makeServer({ config });
  server.documentChanged(new FakeDocument(URI, fixtureText('chat.jsonl')));
  await server.tracker.idle();
  const h = server.hover(URI, { line, character });
  return h ? (h.contents as MarkupContent).value : null;
}

/** The column of the first character of `needle` on a fixture line. */
function col(line: number, needle: string): number {
  return fixtureText('chat.jsonl').split('\n')[line].indexOf(needle);
}

test('hover on a refused response: label, score, detector, mode, model and the sentence', async () => {
  const text = await hoverText(0, col(0, "I'm sorry") + 3, { mode: 'sentence' });
  assert.ok(text);
  assert.match(text, /^\*\*Refusal\*\*: score 0\.\d\d \(refusal above 0\.5\)/);
  assert.match(text, /Detector: lexical · Mode: sentence · Model: gpt-4o/);
  assert.ok(text.includes("Sentence: I'm sorry, but I can't help with that."), text);
});

test('hover on an over-refusal says the prompt should have been answered', async () => {
  const text = await hoverText(2, col(2, 'That is a common'));
  assert.ok(text);
  assert.match(text, /^\*\*Over-refusal\*\*/);
  assert.match(text, /should have been answered/);
  assert.match(text, /Model: claude-3-haiku/);
});

test('hover on an answered response says so; outside any response there is no hover', async () => {
  const text = await hoverText(1, col(1, 'The capital of France'));
  assert.ok(text);
  assert.match(text, /^\*\*Not a refusal\*\*: score 0\.\d\d/);
  assert.doesNotMatch(text, /Sentence:/);
  assert.equal(await hoverText(1, 2), null);
});

test('transcript text in a hover is escaped, never markup', () => {
  assert.equal(escapeMarkdown('<img src=x onerror=alert(1)> [a](javascript:x) *b*'), '\\<img src=x onerror=alert(1)\\> \\[a\\](javascript:x) \\*b\\*');
});
