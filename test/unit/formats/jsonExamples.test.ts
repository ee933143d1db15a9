import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { extractText } from '../../../server/src/engine/extract';
import { assertExactRanges, decodeAt } from '../../helpers/jsonRanges';

// The JSON example files a new user scans first: each read by the right format, whole, exactly.
const examples = path.join(__dirname, '../../../examples');

const expected: Record<string, { format: string; responses: number; models: number; benign: number }> = {
  'promptfoo-results.json': { format: 'promptfoo', responses: 14, models: 3, benign: 9 },
  'promptfoo-results.jsonl': { format: 'promptfoo', responses: 13, models: 1, benign: 3 },
  'sharegpt.json': { format: 'sharegpt', responses: 14, models: 4, benign: 0 },
  'openai-evals-log.jsonl': { format: 'openai-evals', responses: 13, models: 1, benign: 0 },
  'generic-answers.json': { format: 'generic', responses: 15, models: 3, benign: 12 },
};

for (const [name, want] of Object.entries(expected)) {
  test(`examples/${name}: ${want.format}, ${want.responses} responses, exact ranges`, () => {
    const doc = fs.readFileSync(path.join(examples, name), 'utf8');
    const x = extractText(doc, name);
    assert.equal(x.format, want.format);
    assert.deepEqual(x.errors, []);
    assert.equal(x.responses.length, want.responses);
    assert.equal(new Set(x.responses.map((r) => r.model)).size, want.models);
    assert.equal(x.responses.filter((r) => r.expected === 'answer').length, want.benign);
    assert.equal(new Set(x.responses.map((r) => r.id)).size, x.responses.length, 'ids are unique');
    for (const r of x.responses) {
      assert.ok(r.prompt, `${r.id} has its prompt`);
      assertExactRanges(doc, r);
      // promptfoo's chat prompts sit JSON-encoded inside a JSON string: decode twice
      const raw = decodeAt(doc, r.promptRange!);
      assert.equal(raw === r.prompt ? raw : JSON.parse(`"${raw}"`), r.prompt);
    }
  });
}
