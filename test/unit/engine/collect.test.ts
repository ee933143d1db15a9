import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LexicalDetector } from '../../../server/src/classify/lexical/lexicalDetector';
import { collectVerdicts } from '../../../server/src/engine/collect';
import { defaultExtractSettings } from '../../../server/src/engine/extract';

test('a file read whole in one chunk of 150,000 responses and as many errors is collected whole', async () => {
  // a CSV is read whole, so every verdict and every error of the file arrives in one batch
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rl-collect-'));
  try {
    const n = 150_000;
    const rows = Array.from({ length: n }, (_, i) => `q${i},answer ${i}\nq${i},too,many`);
    const file = path.join(dir, 'big.csv');
    fs.writeFileSync(file, `prompt,response\n${rows.join('\n')}`);
    const r = await collectVerdicts(file, new LexicalDetector(), { ...defaultExtractSettings, maxFileBytes: 1 << 30, threshold: 0.5 });
    assert.equal(r.format, 'csv');
    assert.equal(r.verdicts.length, n);
    assert.equal(r.verdicts[n - 1].response.text, `answer ${n - 1}`);
    assert.equal(r.errors.length, n);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
