import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { defaultExtractSettings, extractText } from '../../../server/src/engine/extract';
import { extractDocument } from '../../../server/src/lsp/documentExtraction';
import { formatForPath, globRegExp } from '../../../server/src/lsp/fileGlobs';
import { displayPath, fileNameFor } from '../../../server/src/lsp/documentUri';
import { fixtureText } from '../../helpers/lspServer';

function plain(x: Awaited<ReturnType<typeof extractDocument>>) {
  return { format: x.format, errors: x.errors, responses: x.responses.map(({ map: _map, ...r }) => r) };
}

test('JSONL read in slices gives exactly the records of a one-pass read', async () => {
  const lines = fixtureText('chat.jsonl').trimEnd().split('\n');
  const many = Array.from({ length: 4500 }, (_, i) => lines[i % lines.length]);
  many[10] = '{"messages": [';
  const text = many.join('\r\n');
  const sliced = await extractDocument(text, 'big.jsonl', defaultExtractSettings);
  assert.equal(sliced.responses.length, 4499);
  assert.deepEqual(plain(sliced), plain(extractText(text, 'big.jsonl', defaultExtractSettings)));
});

test('a cancelled slice read stops', async () => {
  const text = Array.from({ length: 5000 }, () => fixtureText('chat.jsonl').split('\n')[0]).join('\n');
  const c = new AbortController();
  const p = extractDocument(text, 'big.jsonl', defaultExtractSettings, c.signal);
  c.abort();
  await assert.rejects(p, { name: 'CancelledError' });
});

test('globs: *, **, ?, {a,b} and [..] against workspace-relative and absolute paths', () => {
  assert.ok(globRegExp('**/*.json').test('a/b/c.json'));
  assert.ok(globRegExp('**/*.json').test('c.json'));
  assert.ok(!globRegExp('*.json').test('a/c.json'));
  assert.ok(globRegExp('evals/{runs,old}/r?.jsonl').test('evals/old/r1.jsonl'));
  assert.ok(globRegExp('out[0-9].txt').test('out7.txt'));
  assert.ok(!globRegExp('out[!0-9].txt').test('out7.txt'));
  const files = { 'openai-chat': ['evals/**/*.data'], 'no-such-format': ['**'] };
  assert.equal(formatForPath(files, '/ws/evals/x/y.data', ['/ws']), 'openai-chat');
  assert.equal(formatForPath(files, '/elsewhere/evals/x/y.data', ['/ws']), null);
  assert.equal(formatForPath({ 'openai-chat': ['/data/**/*.log'] }, '/data/a/b.log', []), 'openai-chat');
});

test('untitled documents are named by their language; paths are shown workspace-relative', () => {
  assert.equal(fileNameFor('untitled:Untitled-1', 'jsonl'), 'Untitled-1.jsonl');
  assert.equal(fileNameFor('file:///a/b%20c.json', 'json'), '/a/b c.json');
  assert.equal(displayPath('file:///ws/evals/a.jsonl', ['/ws']), 'evals/a.jsonl');
  assert.equal(displayPath('file:///other/a.jsonl', ['/ws']), '/other/a.jsonl');
});
