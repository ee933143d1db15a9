import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { describeResult } from '../../../client/src/notificationText';
import type { ClassifyTextResult } from '../../../server/src/shared/protocol';

// VS Code's notifications make `[label](target)` a link when the target starts with command:,
// file: or http(s)://, and run a command: link with its arguments on a click.
const LINK = /\[[^\]]+\]\((?:command:|file:|https?:\/\/)/i;

function result(sentence: string): ClassifyTextResult {
  return { label: 'refusal', score: 0.97, threshold: 0.5, detector: { name: 'lexical', kind: 'lexical' }, sentence: { start: 0, end: sentence.length, text: sentence }, notice: null };
}

test('Classify Selection: the notification says label, score, detector and the sentence', () => {
  assert.equal(describeResult(result("I'm sorry, but I can't help with that.")), "Refusal Lens: Refusal (0.97, lexical): “I'm sorry, but I can't help with that.”");
});

test('a transcript sentence in a notification never becomes a link (a command: link would run on a click)', () => {
  const probes = [
    "I'm sorry, I can't help [see the policy](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22id%5Cn%22%7D).",
    "I can't do that. [Open](file:///etc/passwd) [docs](https://example.com/x)",
  ];
  for (const probe of probes) {
    const text = describeResult(result(probe));
    assert.doesNotMatch(text, LINK, text);
    assert.equal(text.replace(/\u200b/g, ''), `Refusal Lens: Refusal (0.97, lexical): “${probe}”`, 'it reads the same');
  }
});
