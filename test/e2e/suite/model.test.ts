import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ModelStatusRequest, type ModelStatus } from '../../../server/src/shared/protocol';
import { activateExtension, apiWith } from './extensionApi';
import { chatJsonl } from './generated';
import { metric, serverRssMb } from './metrics';
import { waitForStats } from './waitFor';
import { closeAllEditors, openFile, writeFile } from './workspace';

// Runs with refusalLens.modelPath in the user settings pointing at a generated model (random
// weights: the scores mean nothing, so counts are not asserted; which detector ran and when is).
describe('model detector (generated model)', () => {
  const configured = vscode.workspace.getConfiguration('refusalLens').get<string>('modelPath', '');
  before(activateExtension);
  afterEach(closeAllEditors);

  it('1,000 responses: every one classified by the model of the user settings (timed)', async function () {
    const api = await apiWith(this, 'stats', 'onDidChangeStats', 'sendRequest');
    writeFile('generated/model-1000.jsonl', chatJsonl(1000));
    const start = Date.now();
    const { document: doc } = await openFile('generated/model-1000.jsonl');
    const done = await waitForStats(api, doc.uri, (s) => s.version === doc.version && ['ready', 'lexical-fallback', 'error'].includes(s.state.kind), 'the analysis to finish', 300_000);
    assert.equal(done.state.kind, 'ready', `state ${JSON.stringify(done.state)}`);
    assert.equal(done.detector?.kind, 'model');
    assert.equal(done.responses, 1000);
    metric('openToDiagnostics1000Model', Date.now() - start, 'ms');
    const rss = serverRssMb();
    if (rss !== null) metric('serverRssModel', rss, 'MB');

    // Asked once the model has run (while it loads, the server has not read the settings yet).
    const status = (await api.sendRequest(ModelStatusRequest)) as ModelStatus;
    assert.equal(status.modelPath, configured);
    assert.equal(status.restricted, false);
    assert.equal(status.detector?.kind, 'model', `detector: ${JSON.stringify(status.detector)}; notice: ${status.notice}`);
  });
});
