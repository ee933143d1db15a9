import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { DocumentRowsRequest, type ClassifyTextResult, type DocumentRows, type ScanResult } from '../../../server/src/shared/protocol';
import { activateExtension, apiWith, EXTENSION_ID } from './extensionApi';
import { waitForDiagnostics, waitForEvent, waitForPanel } from './waitFor';
import { closeAllEditors, copyFixture, openFile, rangeOf, workspacePath } from './workspace';

describe('commands', () => {
  before(activateExtension);
  afterEach(closeAllEditors);

  it('every contributed command is registered once the extension is active', async () => {
    const contributed: { command: string }[] = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes?.commands ?? [];
    assert.ok(contributed.length > 0, 'package.json contributes commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(contributed.map((c) => c.command).filter((c) => !registered.has(c)), []);
  });

  it('Classify Selection: a refusal and an answer', async function () {
    const editor = await openFile('fixtures/chat.jsonl');
    const doc = editor.document;
    await waitForDiagnostics(doc.uri, (d) => d.length > 0, 'the server to be working');
    const classify = async (text: string) => {
      const r = rangeOf(doc, text);
      editor.selection = new vscode.Selection(r.start, r.end);
      return vscode.commands.executeCommand<ClassifyTextResult | undefined>('refusalLens.classifySelection');
    };
    const refused = await classify("I'm sorry, but I can't help with that.");
    if (refused === undefined) {
      console.log('      skipped: refusalLens.classifySelection returns no result (docs/e2e-notes.md, point 2)');
      this.skip();
    }
    assert.equal(refused.label, 'refusal');
    assert.ok(refused.score > refused.threshold, `score ${refused.score} above threshold ${refused.threshold}`);
    assert.equal(refused.detector.kind, 'lexical');
    const answered = await classify('The capital of France is Paris.');
    assert.equal(answered?.label, 'normal');
  });

  it('Show Results Panel opens the panel; the rows are the file\'s responses', async function () {
    const { document: doc } = await openFile('fixtures/chat.jsonl');
    await waitForDiagnostics(doc.uri, (d) => d.length === 2, '2 diagnostics');
    const opened = waitForEvent(vscode.window.tabGroups.onDidChangeTabs, (e) => e.opened.some(isResultsPanel), 'the results panel tab');
    await vscode.commands.executeCommand('refusalLens.showResults');
    if (!vscode.window.tabGroups.all.some((g) => g.tabs.some(isResultsPanel))) await opened;

    const api = await apiWith(this, 'sendRequest');
    const rows = (await api.sendRequest(DocumentRowsRequest, { uri: doc.uri.toString() })) as DocumentRows | null;
    assert.ok(rows, 'the server has rows for the open file');
    assert.equal(rows.rows.length, 5);
    assert.deepEqual(rows.rows.map((r) => r.label), ['refusal', 'normal', 'normal', 'refusal', 'normal']);
    assert.deepEqual(rows.rows.map((r) => r.model), ['gpt-4o', 'gpt-4o', 'gpt-4o', 'claude-3-haiku', 'claude-3-haiku']);
  });

  it('the results panel follows its file: opened before the analysis finished, and after a settings change', async function () {
    const api = await apiWith(this, 'panel', 'onDidChangeStats');
    copyFixture('fixtures/chat.jsonl', 'generated/panel-chat.jsonl');
    const editor = await openFile('generated/panel-chat.jsonl');
    const doc = editor.document;
    await waitForDiagnostics(doc.uri, (d) => d.length === 2, '2 diagnostics');
    // an edit is analysed after a pause: the panel opens while the new version has no result yet
    assert.ok(await editor.edit((b) => b.insert(doc.positionAt(doc.getText().length), '\n')), 'the edit was applied');
    await vscode.commands.executeCommand('refusalLens.showResults');
    const shown = await waitForPanel(api, (p) => p.rows.length === 5, "the edited file's 5 rows");
    assert.deepEqual(shown.rows.map((r) => r.label), ['refusal', 'normal', 'normal', 'refusal', 'normal']);

    const config = vscode.workspace.getConfiguration('refusalLens', doc.uri);
    await config.update('threshold', 0.99, vscode.ConfigurationTarget.Workspace);
    try {
      // the same version analysed again: the lexical detector scores no refusal above 0.99
      await waitForPanel(api, (p) => p.rows.length === 5 && p.rows.every((r) => r.label === 'normal'), 'the rows labelled again under threshold 0.99');
    } finally {
      await config.update('threshold', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('Scan Workspace: totals, and diagnostics on a file that was never opened', async () => {
    const result = await vscode.commands.executeCommand<ScanResult | undefined>('refusalLens.scanWorkspace');
    assert.ok(result, 'the command returns the scan totals');
    assert.equal(result.cancelled, false);
    // fixtures/ (5 files) and examples/ at least; generated files of earlier tests add to it.
    assert.ok(result.files >= 5, `files scanned: ${result.files}`);
    assert.ok(result.refusals >= 8, `refusals: ${result.refusals}`);
    // xss.jsonl is never opened by this suite: its diagnostics come from the scan.
    const xss = vscode.Uri.file(workspacePath('fixtures/xss.jsonl'));
    assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.toString() === xss.toString()), 'xss.jsonl is not open');
    await waitForDiagnostics(xss, (d) => d.length === 2, 'the scan\'s 2 diagnostics on xss.jsonl');
  });
});

function isResultsPanel(tab: vscode.Tab): boolean {
  return tab.input instanceof vscode.TabInputWebview && /refusalLens\.results$/.test(tab.input.viewType);
}
