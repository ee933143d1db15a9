import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { ModelStatusRequest, type ModelStatus } from '../../../server/src/shared/protocol';
import { activateExtension, apiWith } from './extensionApi';
import { waitForDiagnostics } from './waitFor';
import { openFile, workspacePath } from './workspace';

// Runs in an untrusted folder whose .vscode/settings.json sets refusalLens.modelPath to a real
// (generated) model and asks for the model detector (scripts/e2e/workspace.mjs).
describe('restricted mode (untrusted workspace)', () => {
  const settings = JSON.parse(fs.readFileSync(workspacePath('.vscode/settings.json'), 'utf8')) as Record<string, string>;

  it('the workspace is untrusted and sets a model path', () => {
    assert.equal(vscode.workspace.isTrusted, false);
    assert.ok(settings['refusalLens.modelPath'], 'the harness wrote a workspace model path');
  });

  it('diagnostics still come, from the lexical detector', async () => {
    await activateExtension();
    const { document: doc } = await openFile('fixtures/chat.jsonl');
    const ds = await waitForDiagnostics(doc.uri, (d) => d.length === 2, '2 lexical diagnostics');
    for (const d of ds) assert.match(d.message, /lexical/);
  });

  it('the workspace model path is not loaded', async function () {
    const api = await apiWith(this, 'sendRequest');
    const status = (await api.sendRequest(ModelStatusRequest)) as ModelStatus;
    assert.equal(status.restricted, true);
    assert.notEqual(status.modelPath, settings['refusalLens.modelPath']);
    assert.equal(status.detector?.kind, 'lexical');
  });
});
