import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mayQuote, QuotedRegions } from '../../../server/src/classify/lexical/quotedRegions';

/** Whether the first occurrence of `needle` in `text` starts inside a quotation or code. */
const quoted = (text: string, needle: string): boolean => {
  const at = text.indexOf(needle);
  assert.ok(at >= 0, needle);
  return new QuotedRegions(text).contains(at);
};

test('code blocks, inline code and block quotes are not the model speaking', () => {
  const fenced = 'Run this:\n```sh\necho "I cannot"\n```\nI cannot say more.';
  assert.ok(quoted(fenced, 'echo'));
  assert.ok(!quoted(fenced, 'I cannot say'));
  assert.ok(quoted('~~~\nI cannot\n~~~', 'I cannot'));
  assert.ok(quoted('Unclosed fence:\n```\nI cannot', 'I cannot'), 'an unclosed fence runs to the end');
  const inline = 'The message `I cannot connect` and ``a `nested` one`` appear; I cannot.';
  assert.ok(quoted(inline, 'I cannot connect'));
  assert.ok(quoted(inline, 'nested'));
  assert.ok(!quoted(inline, 'I cannot.'));
  assert.ok(quoted('> I cannot help.\n\nThat is the bot.', 'I cannot'));
  assert.ok(!quoted('A lone ` backtick; I cannot.', 'I cannot'));
});

test('quotations in straight, curly and angle quotes, across lines of one paragraph', () => {
  assert.ok(quoted('He said "I can\'t help you" and left.', "I can't"));
  assert.ok(!quoted('He said "fine" and I can\'t agree.', "I can't"));
  assert.ok(quoted('\u201cI can\u2019t,\u201d she said.', 'I can'));
  assert.ok(quoted('Il a dit \u00ab je ne peux pas \u00bb hier.', 'je ne'));
  assert.ok(quoted('"First line\nI cannot, second line of the quote" he said.', 'I cannot'));
  // A quote left open at a blank line does not swallow the next paragraph.
  assert.ok(!quoted('He said "wait\n\nI cannot help with that.', 'I cannot'));
});

test('a reply wrapped whole in quotes is still the model speaking', () => {
  assert.ok(!quoted('  "I\'m sorry, but I can\'t help with that."  ', "I'm sorry"));
  assert.ok(quoted('"I\'m sorry," he said. "I can\'t."', "I'm sorry"));
});

test('mayQuote is a cheap yes for anything that could hold a quotation', () => {
  assert.ok(!mayQuote('Plain text with no quotes at all.'));
  for (const t of ['say "x"', 'use `x`', '\u201cx\u201d', '\u00ab x \u00bb', '> quoted', 'a\n> quoted', 'a\n  > quoted', '~~~\nx\n~~~']) assert.ok(mayQuote(t), t);
});
