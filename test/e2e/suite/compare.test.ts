import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { CompareFilesResult } from '../../../server/src/shared/protocol';
import { activateExtension, apiWith } from './extensionApi';
import { waitForEvent } from './waitFor';
import { closeAllEditors, writeFile } from './workspace';

const REFUSE = "I'm sorry, but I can't help with that.";

/**
 * Two runs of the same ten prompts: the new one lists them in reverse order, and four answers
 * changed: prompt 4 became a refusal, prompt 7 stopped being one, prompt 9 was refused again in
 * other words; prompt 2 stayed refused word for word.
 */
function runs(): { old: string; new: string; prompts: string[]; newOrder: number[] } {
  const prompts = Array.from({ length: 10 }, (_, i) => `Question ${i}: explain topic ${i}.`);
  const oldAnswers = prompts.map((_, i) => (i === 2 || i === 7 || i === 9 ? REFUSE : `Here is an explanation of topic ${i}.`));
  const newAnswers = oldAnswers.map((a, i) => (i === 4 ? REFUSE : i === 7 ? 'Topic 7, explained at last.' : i === 9 ? 'Sorry, I cannot help with that request.' : a));
  const line = (i: number, answer: string) => JSON.stringify({ model: i % 2 ? 'model-a' : 'model-b', messages: [{ role: 'user', content: prompts[i] }, { role: 'assistant', content: answer }] });
  const newOrder = [9, 8, 7, 6, 5, 4, 3, 2, 1, 0];
  return {
    old: `${prompts.map((_, i) => line(i, oldAnswers[i])).join('\n')}\n`,
    new: `${newOrder.map((i) => line(i, newAnswers[i])).join('\n')}\n`,
    prompts,
    newOrder,
  };
}

describe('Compare With...', () => {
  before(activateExtension);
  afterEach(closeAllEditors);

  it('compares two runs on disk; the results panel gets the changed pairs with both sides', async function () {
    const api = await apiWith(this, 'panel');
    const r = runs();
    const oldUri = vscode.Uri.file(writeFile('generated/compare/old.jsonl', r.old));
    const newUri = vscode.Uri.file(writeFile('generated/compare/new.jsonl', r.new));

    const tab = waitForEvent(vscode.window.tabGroups.onDidChangeTabs, (e) => [...e.opened, ...e.changed].some(isResultsPanel), 'the results panel tab');
    const result = await vscode.commands.executeCommand<CompareFilesResult | undefined>('refusalLens.compareWith', oldUri, newUri, { key: 'prompt' });
    assert.ok(result, 'the command returns the comparison');
    assert.equal(result.ok, true, result.message);

    const panel = api.panel();
    assert.ok(panel, 'the results panel is open');
    if (!vscode.window.tabGroups.all.some((g) => g.tabs.some(isResultsPanel))) await tab;
    assert.equal(panel.title, 'generated/compare/old.jsonl → generated/compare/new.jsonl');
    const prompts = (change: string) => panel.rows.filter((row) => row.diff?.change === change).map((row) => row.prompt).sort();
    assert.deepEqual(prompts('newly-refused'), [r.prompts[4]]);
    assert.deepEqual(prompts('newly-answered'), [r.prompts[7]]);
    assert.deepEqual(prompts('still-refused'), [r.prompts[2], r.prompts[9]].sort());
    assert.equal(panel.rows.length, 4, 'nothing else: the answers that stayed answers are not rows');
    assert.deepEqual(panel.rows, result.rows, 'the panel holds what the server returned');
    for (const row of panel.rows) {
      const i = r.prompts.indexOf(row.prompt!);
      assert.equal(row.uri, newUri.toString());
      assert.equal(row.range.start.line, r.newOrder.indexOf(i), `${row.prompt}: the NEW response's line`);
      assert.equal(row.diff!.old.uri, oldUri.toString());
      assert.equal(row.diff!.old.range.start.line, i, `${row.prompt}: the OLD response's line`);
    }
    const answered = panel.rows.find((row) => row.diff?.change === 'newly-answered')!;
    assert.deepEqual([answered.diff!.old.label, answered.label], ['refusal', 'normal']);

    const s = panel.compare;
    assert.ok(s, 'the panel has the comparison\'s summary');
    assert.deepEqual([s.old.refusals, s.old.responses, s.new.refusals, s.new.responses], [3, 10, 3, 10]);
    assert.deepEqual([s.newlyRefused, s.newlyAnswered, s.stillRefused, s.stillAnswered], [1, 1, 2, 6]);
    assert.deepEqual(s.byModel.map((m) => [m.model, m.old?.refusals, m.new?.refusals]), [
      ['model-a', 2, 1],
      ['model-b', 1, 2],
    ]);
  });

  it('two files selected in the Explorer: the first selected is the old run; another key matches otherwise', async function () {
    const api = await apiWith(this, 'panel');
    const r = runs();
    const oldUri = vscode.Uri.file(writeFile('generated/compare/explorer-old.jsonl', r.old));
    const newUri = vscode.Uri.file(writeFile('generated/compare/explorer-new.jsonl', r.new));
    // the Explorer passes the clicked file and the selection
    const byPrompt = await vscode.commands.executeCommand<CompareFilesResult | undefined>('refusalLens.compareWith', newUri, [oldUri, newUri], { key: 'prompt' });
    assert.equal(byPrompt?.summary?.oldUri, oldUri.toString());
    assert.equal(byPrompt?.summary?.newUri, newUri.toString());
    assert.equal(byPrompt?.rows.length, 4);
    // by id, line k meets line k: the reversed order pairs other prompts
    const byId = await vscode.commands.executeCommand<CompareFilesResult | undefined>('refusalLens.compareWith', oldUri, newUri, { key: 'id' });
    assert.equal(byId?.ok, true);
    const shown = api.panel()!;
    assert.equal(shown.compare?.key, 'id');
    assert.ok(shown.rows.every((row) => row.diff!.old.range.start.line === row.range.start.line));
    assert.notDeepEqual(shown.rows.map((row) => row.prompt).sort(), byPrompt!.rows.map((row) => row.prompt).sort());
  });
});

function isResultsPanel(tab: vscode.Tab): boolean {
  return tab.input instanceof vscode.TabInputWebview && /refusalLens\.results$/.test(tab.input.viewType);
}
