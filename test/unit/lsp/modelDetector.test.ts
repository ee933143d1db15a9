import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { engineDetectorFactory } from '../../../server/src/lsp/detectorHost';
import { FakeDocument } from '../../helpers/fakeServerHost';
import { fixtureText, makeServer } from '../../helpers/lspServer';
import { tinyModel } from '../../helpers/tinyModel';

// The server with the engine's own detector choice and a generated model (random weights: the
// scores mean nothing, the wiring is what is tested).
const model = tinyModel();
const URI = 'file:///work/results/chat.jsonl';

test('a configured model folder is loaded by the engine and named in stats, diagnostics and status', async (t) => {
  const { host, server } = makeServer({ detectorFactory: engineDetectorFactory, config: { detector: 'model', modelPath: model.dir, threads: 1, threshold: 0 } });
  t.after(() => server.dispose());
  server.documentChanged(new FakeDocument(URI, fixtureText('chat.jsonl')));
  await server.tracker.idle();
  const stats = host.lastStats(URI)!;
  assert.deepEqual(stats.state, { kind: 'ready' });
  assert.equal(stats.detector?.kind, 'model');
  const name = stats.detector!.name;
  // threshold 0: every response is a refusal, each diagnostic names the model
  const diags = host.diagnostics(URI)!;
  assert.equal(diags.length, 4);
  for (const d of diags) assert.ok(d.message.includes(`, ${name})`), d.message);
  const status = server.modelStatus();
  assert.deepEqual([status.state, status.detector?.kind, status.modelPath, status.classified], ['ready', 'model', model.dir, 4]);
  // precision auto: the int8 model was made and checked; random weights may fail the check (then fp32, saying why)
  assert.match(status.precision ?? '', /^(int8 \(verified: labels agree on \d+\/\d+ texts|fp32 \(the int8 model was refused: )/);
});

test('a model folder that is not one: the lexical detector, and the reason in the state', async (t) => {
  const empty = fs.mkdtempSync(`${model.dir}-empty`);
  t.after(() => fs.rmSync(empty, { recursive: true, force: true }));
  const { host, server } = makeServer({ detectorFactory: engineDetectorFactory, config: { detector: 'auto', modelPath: empty } });
  t.after(() => server.dispose());
  server.documentChanged(new FakeDocument(URI, fixtureText('chat.jsonl')));
  await server.tracker.idle();
  const stats = host.lastStats(URI)!;
  assert.equal(stats.state.kind, 'lexical-fallback');
  assert.match((stats.state as { reason: string }).reason, /missing/);
  assert.equal(stats.detector?.name, 'lexical');
});
