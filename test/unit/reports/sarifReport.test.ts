import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { LexicalDetector } from '../../../server/src/classify/lexical/lexicalDetector';
import { defaultExtractSettings } from '../../../server/src/engine/extract';
import { scanFile } from '../../../server/src/engine/scan';
import { SummaryBuilder } from '../../../server/src/engine/summary';
import { Output } from '../../../server/src/reports/output';
import { createReport } from '../../../server/src/reports/reportFactory';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'rl-sarif-'));
const file = path.join(root, 'runs', 'a b.jsonl');
fs.mkdirSync(path.dirname(file));
fs.writeFileSync(file, `${JSON.stringify({ messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: "I'm sorry, but I can't help with that." }] })}\n`);

/** A SARIF report written the way the editor's Export Report writes one: paths relative to a workspace folder. */
async function sarifFrom(cwd: string): Promise<{ runs: Array<{ originalUriBaseIds: Record<string, { uri: string }>; results: Array<{ locations: Array<{ physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string } } }> }> }> }> {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (b: Buffer) => chunks.push(b));
  const out = new Output(stream);
  const report = createReport('sarif', out, cwd);
  const summary = new SummaryBuilder();
  await scanFile(file, new LexicalDetector(), { ...defaultExtractSettings, maxFileBytes: 1e9, threshold: 0.5 }, report);
  report.finish(summary.build());
  await report.flush();
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

test('SARIF: relative URIs resolve against %SRCROOT%, the folder the paths are relative to (not the process working directory)', async () => {
  const sarif = await sarifFrom(root);
  const run = sarif.runs[0];
  const location = run.results[0].locations[0].physicalLocation.artifactLocation;
  assert.deepEqual(location, { uri: 'runs/a%20b.jsonl', uriBaseId: '%SRCROOT%' });
  assert.equal(new URL(location.uri, run.originalUriBaseIds['%SRCROOT%'].uri).href, pathToFileURL(file).href);
});

test('SARIF: a file outside that folder gets an absolute file: URI', async () => {
  const sarif = await sarifFrom(path.join(root, 'elsewhere'));
  const location = sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation;
  assert.deepEqual(location, { uri: pathToFileURL(file).href });
});
