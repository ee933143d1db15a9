import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { diffRuns } from '../../../server/src/engine/diff';
import { EscapedTextMap } from '../../../server/src/text/textMap';
import { SingleLine, rangeOf } from '../../../server/src/text/positions';
import { makeVerdict, type Verdict } from '../../../server/src/verdicts/verdict';

function verdict(line: number, prompt: string, text: string): Verdict {
  const map = new EscapedTextMap(new SingleLine(line), 0, text.length);
  const response = { id: `line ${line + 1}`, text, range: rangeOf(new SingleLine(line), 0, text.length), map, prompt, promptRange: null, model: null, expected: null, metadata: {} };
  return makeVerdict(response, { score: 0.1, sentence: null }, { kind: 'lexical', name: 'lexical' }, { threshold: 0.5 });
}

test('150,000 old responses with a prompt the new run lacks are all left over as onlyOld', () => {
  const n = 150_000;
  const oldRun = Array.from({ length: n }, (_, i) => verdict(i, 'the same prompt', `answer ${i}`));
  const diff = diffRuns(oldRun, [verdict(0, 'another prompt', 'hi')], 'prompt');
  assert.equal(diff.onlyOld.length, n);
  assert.equal(diff.onlyOld[n - 1], oldRun[n - 1]);
  assert.equal(diff.onlyNew.length, 1);
});
