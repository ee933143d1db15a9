import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { AutoTokenizer } from '@huggingface/transformers';
import { ModelTokenizer, wordCut } from '../../../server/src/classify/model/tokenizer';
import { SAMPLE_TEXTS, tinyModel } from '../../helpers/tinyModel';
import { missingShared, TOKENIZER_DIR } from '../../helpers/sharedData';

const generated = tinyModel({ tokenizer: 'generated' });
const real = missingShared(path.join(TOKENIZER_DIR, 'tokenizer.json')) ? null : tinyModel({ tokenizer: 'auto' });

/** Long texts of several kinds: prose, many spaces, punctuation runs, CJK, digits, emoji. */
const LONG = [
  'The quick brown fox jumps over the lazy dog. '.repeat(400),
  `${'word  '.repeat(900)}  tail`,
  `${'Hello, world!!! '.repeat(500)}`,
  `${'数字 1234567 and 中文 text; '.repeat(400)}`,
  `${'😀 emoji, '.repeat(900)}`,
  `${SAMPLE_TEXTS.join(' ').repeat(30)}`,
  `${'a'.repeat(7000)} then words`,
];

for (const [name, model] of [['generated', generated], ['roberta-base', real]] as const) {
  test(`long texts: the tokens cut before a space are the whole text's first tokens (${name} tokenizer)`, async (t) => {
    if (!model) return t.skip('../shared/fixtures/roberta-base-tokenizer not found');
    const ours = await ModelTokenizer.load(model.dir);
    const reference = await AutoTokenizer.from_pretrained(path.basename(model.dir));
    for (const maxTokens of [512, 64]) {
      for (const text of LONG) {
        const whole = reference.encode(text, { add_special_tokens: false });
        const want = [...ours.prefix, ...whole.slice(0, maxTokens - 2), ...ours.suffix];
        assert.deepEqual(ours.encode(text, maxTokens), want, `${text.slice(0, 30)}... at ${maxTokens}`);
      }
    }
  });
}

test('wordCut cuts before a space that follows a word, or not at all', () => {
  assert.equal(wordCut('abc def ghi', 9), 7);
  assert.equal(wordCut('abc  def', 5), 3);
  assert.equal(wordCut('a'.repeat(100), 60), -1);
});
