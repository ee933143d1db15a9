import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Detector } from '../../../server/src/classify/detector';
import { LexicalDetector } from '../../../server/src/classify/lexical/lexicalDetector';
import { debounceDelay } from '../../../server/src/lsp/documentTracker';
import type { RefusalServer } from '../../../server/src/lsp/refusalServer';
import { FakeDocument, FakeServerHost, GatedDetector, until } from '../../helpers/fakeServerHost';
import { factoryOf, fixtureText, makeServer } from '../../helpers/lspServer';

const URI = 'file:///work/results/chat.jsonl';

function chatLine(answer: string, prompt = 'q'): string {
  return JSON.stringify({ model: 'm', messages: [{ role: 'user', content: prompt }, { role: 'assistant', content: answer }] });
}

async function twoVersionsInFlight(gated: GatedDetector) {
  const { host, server } = makeServer({ detectorFactory: factoryOf(gated) });
  const v1 = new FakeDocument(URI, [chatLine('REFUSE one'), chatLine('fine two')].join('\n'));
  server.documentChanged(v1);
  await until(() => gated.waiting === 1, 'version 1 in flight');
  const v2 = v1.edit([chatLine('fine one'), chatLine('fine two'), chatLine('REFUSE three'), chatLine('REFUSE four')].join('\n'));
  server.documentChanged(v2);
  await until(() => gated.waiting === 2, 'version 2 in flight');
  return { host, server };
}

function assertOnlyVersion2(host: FakeServerHost, server: RefusalServer): void {
  const published = host.published.filter((p) => p.uri === URI);
  assert.equal(published.length, 1, 'only version 2 published');
  assert.deepEqual(published[0].diagnostics.map((d) => d.range.start.line), [2, 3]);
  const finished = host.stats.filter((s) => s.uri === URI && s.state.kind === 'ready');
  assert.deepEqual(finished.map((s) => s.version), [2]);
  assert.equal(host.lastStats(URI)!.version, 2);
  assert.equal(server.tracker.result(URI)!.version, 2);
}

test('an edit cancels the analysis of the older version: its late answer is dropped', async () => {
  const gated = new GatedDetector();
  const { host, server } = await twoVersionsInFlight(gated);
  gated.releaseAll(); // version 1 answers first, then version 2
  await server.tracker.idle();
  assertOnlyVersion2(host, server);
});

test('a result for an older version that comes back after the newer one was published never replaces it', async () => {
  // the detector answers even when cancelled: the version check alone must drop the old result
  const gated = new GatedDetector({ ignoreCancellation: true });
  const { host, server } = await twoVersionsInFlight(gated);
  gated.releaseNewest(); // version 2 first
  await host.waitForStats((s) => s.uri === URI && s.version === 2 && s.state.kind === 'ready');
  gated.releaseAll(); // then version 1, late
  await server.tracker.idle();
  assertOnlyVersion2(host, server);
});

test('editing one response in a 5,000-response JSONL re-classifies only that response', async () => {
  const lines = Array.from({ length: 5000 }, (_, i) => chatLine(`Answer number ${i}: the result is ${i * 7}.`, `Question ${i}`));
  const { host, server } = makeServer({ detectorFactory: factoryOf(new LexicalDetector()) });
  const v1 = new FakeDocument(URI, lines.join('\n'));
  server.documentChanged(v1);
  await server.tracker.idle();
  assert.equal(server.classifiedCount().texts, 5000);
  assert.deepEqual(host.diagnostics(URI), []);

  lines[1234] = chatLine("I'm sorry, but I can't help with that.", 'Question 1234');
  server.documentChanged(v1.edit(lines.join('\n')));
  await server.tracker.idle();
  assert.equal(server.classifiedCount().texts, 5001, 'one new text classified');
  const diags = host.diagnostics(URI)!;
  assert.equal(diags.length, 1);
  assert.equal(diags[0].range.start.line, 1234);
  assert.equal(host.lastStats(URI)!.refusals, 1);
  assert.equal(host.lastStats(URI)!.responses, 5000);
});

test('large documents report work-done progress, and end it', async () => {
  const lines = Array.from({ length: 1200 }, (_, i) => chatLine(`Distinct answer ${i}.`));
  const { host, server } = makeServer();
  server.documentChanged(new FakeDocument(URI, lines.join('\n')));
  await server.tracker.idle();
  assert.equal(host.progress.length, 1);
  assert.match(host.progress[0].title, /chat\.jsonl/);
  assert.equal(host.progress[0].done, true);
});

test('while classifying, stats say so; a model that is still loading says loading-model', async () => {
  const gated = new GatedDetector();
  let loaded: (() => void) | null = null;
  const slowLoad = async () => {
    await new Promise<void>((r) => (loaded = r));
    return { detector: gated, notice: null };
  };
  const { host, server } = makeServer({ detectorFactory: slowLoad });
  server.documentChanged(new FakeDocument(URI, [chatLine('REFUSE'), chatLine('fine')].join('\n')));
  await host.waitForStats((s) => s.state.kind === 'loading-model');
  await until(() => loaded !== null, 'the detector being made');
  loaded!();
  await until(() => gated.waiting === 1, 'classification started');
  const classifying = await host.waitForStats((s) => s.state.kind === 'classifying');
  assert.deepEqual(classifying.state, { kind: 'classifying', done: 0, total: 2 });
  gated.releaseAll();
  await server.tracker.idle();
  assert.equal(host.lastStats(URI)!.state.kind, 'ready');
  assert.equal(host.lastStats(URI)!.refusals, 1);
});

test('a failing analysis becomes an error state with cleared diagnostics and a logged stack; the server goes on', async () => {
  let fail = false;
  const flaky: Detector = {
    kind: 'lexical',
    name: 'flaky',
    classify: async (texts) => {
      if (fail) throw new Error('inference exploded');
      return new LexicalDetector().classify(texts);
    },
    dispose: async () => {},
  };
  const { host, server } = makeServer({ detectorFactory: factoryOf(flaky) });
  const v1 = new FakeDocument(URI, fixtureText('chat.jsonl'));
  server.documentChanged(v1);
  await server.tracker.idle();
  assert.equal(host.diagnostics(URI)!.length, 2);

  fail = true;
  const v2 = v1.edit(v1.getText() + chatLine('A brand new answer.') + '\n');
  server.documentChanged(v2);
  await server.tracker.idle();
  assert.deepEqual(host.diagnostics(URI), [], 'no stale squiggles');
  const stats = host.lastStats(URI)!;
  assert.deepEqual(stats.state, { kind: 'error', message: 'inference exploded' });
  const logged = host.logs.find((l) => l.level === 'error');
  assert.ok(logged);
  assert.match(logged.message, /inference exploded\n\s*at /, 'the stack is in the log');

  fail = false;
  server.documentChanged(v2.edit(v2.getText() + chatLine('Another one.') + '\n'));
  await server.tracker.idle();
  assert.equal(host.lastStats(URI)!.state.kind, 'ready');
  assert.equal(host.diagnostics(URI)!.length, 2);
});

test('in an untrusted workspace no detector is made from settings: lexical only, state restricted', async () => {
  let asked = false;
  const { host, server } = makeServer({
    trusted: false,
    config: { detector: 'model', modelPath: '/evil/model' },
    detectorFactory: async () => {
      asked = true;
      throw new Error('must not be called');
    },
  });
  server.documentChanged(new FakeDocument(URI, fixtureText('chat.jsonl')));
  await server.tracker.idle();
  assert.equal(asked, false);
  const stats = host.lastStats(URI)!;
  assert.deepEqual(stats.state, { kind: 'restricted' });
  assert.equal(stats.detector?.name, 'lexical');
  assert.equal(host.diagnostics(URI)!.length, 2);
  const status = server.modelStatus();
  assert.equal(status.restricted, true);
  assert.equal(status.modelPath, '', 'the workspace model path is not even reported');
});

test('no model: the lexical detector runs and the state says why', async () => {
  const { host, server } = makeServer({ detectorFactory: factoryOf(new LexicalDetector(), 'Using the lexical detector: no model found') });
  server.documentChanged(new FakeDocument(URI, fixtureText('chat.jsonl')));
  await server.tracker.idle();
  assert.deepEqual(host.lastStats(URI)!.state, { kind: 'lexical-fallback', reason: 'Using the lexical detector: no model found' });
});

test('a detector that cannot be made at all falls back to lexical with the reason', async () => {
  const { host, server } = makeServer({
    detectorFactory: async () => {
      throw new Error('No model: the folder /m holds no model.onnx');
    },
  });
  server.documentChanged(new FakeDocument(URI, fixtureText('chat.jsonl')));
  await server.tracker.idle();
  const stats = host.lastStats(URI)!;
  assert.equal(stats.state.kind, 'lexical-fallback');
  assert.match((stats.state as { reason: string }).reason, /holds no model\.onnx/);
  assert.equal(host.diagnostics(URI)!.length, 2);
});

test('the debounce grows with the document and stays bounded', () => {
  assert.ok(debounceDelay(1_000) < debounceDelay(1_000_000));
  assert.ok(debounceDelay(1_000_000) < debounceDelay(10_000_000));
  assert.equal(debounceDelay(1e9), 2000);
});

test('classify text: label, score, sentence and detector', async () => {
  const { server } = makeServer({ config: { threshold: 0.5 } });
  const refusal = await server.classifyText({ text: "Sure. I'm sorry, but I can't help with that.", uri: null });
  assert.equal(refusal.label, 'refusal');
  assert.equal(refusal.detector.name, 'lexical');
  assert.equal(refusal.sentence?.text, "I'm sorry, but I can't help with that.");
  assert.equal(refusal.threshold, 0.5);
  const normal = await server.classifyText({ text: 'Paris is the capital of France.', uri: null });
  assert.equal(normal.label, 'normal');
  assert.equal(normal.sentence, null);
});

test('a settings change re-labels the records already read; only a change of what is read reads the document again', async () => {
  const uri = 'file:///work/results/runs.json';
  const text = JSON.stringify({ runs: [{ said: "I'm sorry, but I can't help with that." }, { said: 'Paris is the capital of France.' }] });
  const { host, server } = makeServer({ config: { fields: ['runs[*].said'] } });
  server.documentChanged(new FakeDocument(uri, text, 'json'));
  await server.tracker.idle();
  const read = server.tracker.result(uri)!.verdicts.map((v) => v.response);
  assert.equal(read.length, 2);
  assert.equal(host.diagnostics(uri)!.length, 1);

  host.config[''] = { fields: ['runs[*].said'], threshold: 0.99, severity: 'hint' };
  server.configurationChanged();
  await server.tracker.idle();
  const relabelled = server.tracker.result(uri)!;
  assert.equal(relabelled.settings.threshold, 0.99);
  assert.deepEqual(host.diagnostics(uri), [], 'the new threshold applies');
  assert.ok(relabelled.verdicts.every((v, i) => v.response === read[i]), 'the same records: the document was not read again');

  host.config[''] = { fields: [] };
  server.configurationChanged();
  await server.tracker.idle();
  assert.equal(host.lastStats(uri)!.format, 'generic', 'the format it was read as stays named');
  assert.equal(server.tracker.result(uri)!.verdicts.length, 0, 'without the field paths nothing is read: the document was read again');
});
