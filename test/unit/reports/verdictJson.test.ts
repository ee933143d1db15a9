import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LexicalDetector } from '../../../server/src/classify/lexical/lexicalDetector';
import { extractText } from '../../../server/src/engine/extract';
import { verdictJsonText, verdictToJson } from '../../../server/src/reports/verdictJson';
import { makeVerdict, type Verdict } from '../../../server/src/verdicts/verdict';

test('the JSON report writes each verdict exactly as JSON.stringify of its contract object', async () => {
  const examples = path.resolve(__dirname, '../../../examples');
  const verdicts: Verdict[] = [];
  const detector = new LexicalDetector();
  for (const f of fs.readdirSync(examples).filter((n) => /\.(json|jsonl|md|csv)$/.test(n))) {
    const x = extractText(fs.readFileSync(path.join(examples, f), 'utf8'), f);
    const classes = await detector.classify(x.responses.map((r) => r.text));
    x.responses.forEach((r, i) => verdicts.push(makeVerdict(r, classes[i], detector, { threshold: 0.5 })));
  }
  assert.ok(verdicts.some((v) => v.sentence) && verdicts.some((v) => !v.sentence));
  const base = verdicts[0];
  // the odd ones: an archive entry, fields left undefined by a careless format, a score that is not a number, text to escape
  verdicts.push({ ...base, response: { ...base.response, entry: 'samples/1_epoch_1.json', id: 'x "quoted" \u2028 😀' } });
  verdicts.push({ ...base, score: Number.NaN, response: { ...base.response, prompt: undefined as never, model: undefined as never, text: '\u0000\ttab' } });
  verdicts.push({ ...base, response: { ...base.response, prompt: null, model: null, expected: 'answer' } });
  verdicts.push({ ...base, overRefusal: true, sentence: { range: base.response.range, text: '</script>\n"' } });
  for (const v of verdicts) assert.equal(verdictJsonText(v), JSON.stringify(verdictToJson(v)));
});
