import * as assert from 'node:assert/strict';
import { ClassifiedCountRequest, type ClassifiedCount } from '../../../server/src/shared/protocol';
import { activateExtension, apiWith } from './extensionApi';
import { chatJsonl, refusalsIn } from './generated';
import { metric, serverRssMb } from './metrics';
import { waitForDiagnostics } from './waitFor';
import { closeAllEditors, openFile, rangeOf, writeFile } from './workspace';

describe('large files', () => {
  before(activateExtension);
  afterEach(closeAllEditors);

  it('1,000 responses: diagnostics after opening (timed)', async () => {
    writeFile('generated/chat-1000.jsonl', chatJsonl(1000));
    const start = Date.now();
    const { document: doc } = await openFile('generated/chat-1000.jsonl');
    await waitForDiagnostics(doc.uri, (d) => d.length === refusalsIn(1000), `${refusalsIn(1000)} diagnostics`);
    metric('openToDiagnostics1000Lexical', Date.now() - start, 'ms');
  });

  it('5,000 responses: editing one response classifies only that response again', async function () {
    writeFile('generated/chat-5000.jsonl', chatJsonl(5000));
    const start = Date.now();
    const editor = await openFile('generated/chat-5000.jsonl');
    const doc = editor.document;
    await waitForDiagnostics(doc.uri, (d) => d.length === refusalsIn(5000), `${refusalsIn(5000)} diagnostics`, 120_000);
    metric('openToDiagnostics5000Lexical', Date.now() - start, 'ms');
    const rss = serverRssMb();
    if (rss !== null) metric('serverRssAfter5000', rss, 'MB');

    const api = await apiWith(this, 'sendRequest');
    const count = async () => ((await api.sendRequest(ClassifiedCountRequest)) as ClassifiedCount).texts;
    const before = await count();
    const old = 'Here is the answer to question 2501: it depends on the details, but usually yes.';
    const edited = "I'm sorry, but I can't help with question 2501.";
    const editStart = Date.now();
    assert.ok(await editor.edit((b) => b.replace(rangeOf(doc, old), edited)));
    const target = rangeOf(doc, edited);
    await waitForDiagnostics(doc.uri, (d) => d.length === refusalsIn(5000) + 1 && d.some((x) => x.range.isEqual(target)), 'the edited response\'s diagnostic');
    metric('editToDiagnostics5000', Date.now() - editStart, 'ms');
    const after = await count();
    assert.equal(after - before, 1, `texts classified because of the edit: ${after - before}`);
  });
});

