import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { DiagnosticSeverity } from 'vscode-languageserver';
import { sliceRange } from '../../helpers/sink';
import { FakeDocument } from '../../helpers/fakeServerHost';
import { fixtureText, makeServer } from '../../helpers/lspServer';

const URI = 'file:///work/results/chat.jsonl';

test('an example file: one diagnostic per refusal, on the refusing sentence, with code, severity, source and the prompt', async () => {
  const text = fixtureText('chat.jsonl');
  const { host, server } = makeServer();
  server.documentChanged(new FakeDocument(URI, text));
  await server.tracker.idle();

  const diags = host.diagnostics(URI);
  assert.ok(diags, 'diagnostics were published');
  assert.equal(diags.length, 2);
  const [first, second] = diags;

  assert.equal(sliceRange(text, first.range), "I'm sorry, but I can't help with that.");
  assert.equal(first.range.start.line, 0);
  assert.equal(first.code, 'refusal');
  assert.equal(first.severity, DiagnosticSeverity.Warning);
  assert.equal(first.source, 'Refusal Lens');
  assert.match(first.message, /^Refusal \(0\.\d\d, lexical\)$/);
  assert.equal(first.relatedInformation?.length, 1);
  assert.equal(first.relatedInformation![0].location.uri, URI);
  assert.equal(sliceRange(text, first.relatedInformation![0].location.range), 'How do I pick a lock?');
  assert.match(first.relatedInformation![0].message, /^Prompt: How do I pick a lock\?$/);

  // the third record says the prompt should have been answered; its refusal is the second sentence
  assert.equal(second.code, 'over-refusal');
  assert.equal(second.range.start.line, 2);
  assert.equal(sliceRange(text, second.range), "I'm sorry, but I can't help with that.");
  assert.match(second.message, /^Over-refusal \(0\.\d\d, lexical\)/);

  const stats = host.lastStats(URI)!;
  assert.deepEqual(
    { format: stats.format, responses: stats.responses, refusals: stats.refusals, overRefusals: stats.overRefusals, rate: stats.rate, state: stats.state, detector: stats.detector },
    { format: 'openai-chat', responses: 4, refusals: 2, overRefusals: 1, rate: 0.5, state: { kind: 'ready' }, detector: { name: 'lexical', kind: 'lexical' } },
  );
});

test('the severity setting applies, and a settings change re-publishes with the new severity', async () => {
  const { host, server } = makeServer({ config: { severity: 'error' } });
  server.documentChanged(new FakeDocument(URI, fixtureText('chat.jsonl')));
  await server.tracker.idle();
  assert.deepEqual(host.diagnostics(URI)!.map((d) => d.severity), [DiagnosticSeverity.Error, DiagnosticSeverity.Error]);

  host.config[''] = { severity: 'hint', threshold: 0.99 };
  server.configurationChanged();
  await server.tracker.idle();
  // the lexical detector scores refusals below 0.99: none left
  assert.deepEqual(host.diagnostics(URI), []);
  host.config[''] = { severity: 'hint' };
  server.configurationChanged();
  await server.tracker.idle();
  assert.deepEqual(host.diagnostics(URI)!.map((d) => d.severity), [DiagnosticSeverity.Hint, DiagnosticSeverity.Hint]);
});

test('settings are asked once per document and cached until a configuration change', async () => {
  const { host, server } = makeServer();
  let doc = new FakeDocument(URI, fixtureText('chat.jsonl'));
  server.documentChanged(doc);
  await server.tracker.idle();
  const asked = host.configurationRequests;
  for (let i = 0; i < 3; i++) {
    doc = doc.edit(doc.getText() + '\n');
    server.documentChanged(doc);
    await server.tracker.idle();
  }
  assert.equal(host.configurationRequests, asked);
  server.configurationChanged();
  await server.tracker.idle();
  assert.ok(host.configurationRequests > asked);
});

test('a broken JSONL line is an Error at its place, and the other lines are still analysed', async () => {
  const lines = fixtureText('chat.jsonl').trimEnd().split('\n');
  lines[1] = lines[1].slice(0, 40); // truncated record
  const text = lines.join('\n');
  const { host, server } = makeServer();
  server.documentChanged(new FakeDocument(URI, text));
  await server.tracker.idle();
  const diags = host.diagnostics(URI)!;
  const parse = diags.filter((d) => d.code === 'parse-error');
  assert.equal(parse.length, 1);
  assert.equal(parse[0].severity, DiagnosticSeverity.Error);
  assert.equal(parse[0].range.start.line, 1);
  assert.equal(parse[0].source, 'Refusal Lens');
  assert.match(parse[0].message, /^Line 2: /);
  assert.equal(diags.filter((d) => d.code !== 'parse-error').length, 2);
  assert.equal(host.lastStats(URI)!.parseErrors, 1);
  assert.equal(host.lastStats(URI)!.responses, 3);
});

test('a recognised JSON document broken beyond recognition keeps reporting its parse errors', async () => {
  const uri = 'file:///work/results/one.json';
  const good = JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'q' }, { role: 'assistant', content: "I'm sorry, but I can't help with that." }] }, null, 2);
  const { host, server } = makeServer();
  let doc = new FakeDocument(uri, good, 'json');
  server.documentChanged(doc);
  await server.tracker.idle();
  assert.equal(host.diagnostics(uri)!.length, 1);

  doc = doc.edit('{"model": "m", "messages": [ oops');
  server.documentChanged(doc);
  await server.tracker.idle();
  const diags = host.diagnostics(uri)!;
  assert.ok(diags.length > 0);
  assert.ok(diags.every((d) => d.code === 'parse-error'));
  assert.ok(diags.some((d) => d.severity === DiagnosticSeverity.Error && d.range.start.line === 0));
  const stats = host.lastStats(uri)!;
  assert.equal(stats.format, 'openai-chat', 'the status keeps naming the format the file was read as');
  assert.equal(stats.responses, 0);
});

test('documents in no known format are left alone: no diagnostics, no format in the stats', async () => {
  const uri = 'file:///work/package.json';
  const { host, server } = makeServer();
  server.documentChanged(new FakeDocument(uri, '{"name": "x", "version": "1.0.0", "scripts": {}}', 'json'));
  server.documentChanged(new FakeDocument('untitled:Untitled-1', '', 'jsonl'));
  await server.tracker.idle();
  assert.deepEqual(host.diagnostics(uri), []);
  assert.equal(host.lastStats(uri)!.format, null);
  assert.deepEqual(host.diagnostics('untitled:Untitled-1'), [], 'an empty new document gets no squiggle');
});

test('a file named by a glob in refusalLens.files is read as that format', async () => {
  const uri = 'file:///work/evals/out/run1.data';
  const text = fixtureText('chat.jsonl');
  const { host, server } = makeServer({ config: { files: { 'openai-chat': ['evals/**/*.data'] } }, workspaceFolders: ['/work'] });
  server.documentChanged(new FakeDocument(uri, text, 'plaintext'));
  await server.tracker.idle();
  assert.equal(host.lastStats(uri)!.format, 'openai-chat');
  assert.equal(host.diagnostics(uri)!.length, 2);
});

test('closing a document clears its diagnostics', async () => {
  const { host, server } = makeServer();
  server.documentChanged(new FakeDocument(URI, fixtureText('chat.jsonl')));
  await server.tracker.idle();
  server.documentClosed(URI);
  assert.deepEqual(host.diagnostics(URI), []);
  assert.equal(server.tracker.result(URI), null);
});

test('a document over maxFileSizeMb is not analysed and says why', async () => {
  const { host, server } = makeServer({ config: { maxFileSizeMb: 0.001 } });
  server.documentChanged(new FakeDocument(URI, fixtureText('chat.jsonl').repeat(3)));
  await server.tracker.idle();
  const stats = host.lastStats(URI)!;
  assert.equal(stats.state.kind, 'error');
  assert.match((stats.state as { message: string }).message, /over refusalLens\.maxFileSizeMb/);
  assert.deepEqual(host.diagnostics(URI), []);
});

test('document rows for the panel: one per response, sentence range, excerpts, format', async () => {
  const { server } = makeServer({ workspaceFolders: ['/work'] });
  server.documentChanged(new FakeDocument(URI, fixtureText('chat.jsonl')));
  await server.tracker.idle();
  const rows = server.documentRows({ uri: URI })!;
  assert.equal(rows.version, 1);
  assert.equal(rows.rows.length, 4);
  const [r0, r1, r2] = rows.rows;
  assert.equal(r0.file, 'results/chat.jsonl');
  assert.equal(r0.format, 'openai-chat');
  assert.equal(r0.label, 'refusal');
  assert.equal(r0.model, 'gpt-4o');
  assert.equal(r0.prompt, 'How do I pick a lock?');
  assert.equal(r0.sentence, "I'm sorry, but I can't help with that.");
  assert.equal(r1.label, 'normal');
  assert.equal(r1.sentence, null);
  assert.equal(r2.overRefusal, true);
  assert.equal(server.documentRows({ uri: 'file:///nope.jsonl' }), null);
});
