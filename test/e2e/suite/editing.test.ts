import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension } from './extensionApi';
import { waitForDiagnostics } from './waitFor';
import { closeAllEditors, copyFixture, openFile, rangeOf } from './workspace';

const isError = (d: vscode.Diagnostic) => d.severity === vscode.DiagnosticSeverity.Error;
const refusals = (ds: vscode.Diagnostic[]) => ds.filter((d) => !isError(d));

async function replace(editor: vscode.TextEditor, range: vscode.Range, text: string): Promise<void> {
  const ok = await editor.edit((b) => b.replace(range, text));
  assert.ok(ok, 'the edit was applied');
}

describe('editing', () => {
  before(activateExtension);
  afterEach(closeAllEditors);

  it('an edited response gets, then loses, its diagnostic', async () => {
    copyFixture('fixtures/chat.jsonl', 'generated/edit-chat.jsonl');
    const editor = await openFile('generated/edit-chat.jsonl');
    const doc = editor.document;
    await waitForDiagnostics(doc.uri, (d) => d.length === 2, '2 diagnostics before the edit');

    const refusal = "I'm sorry, but I can't help with geography.";
    await replace(editor, rangeOf(doc, 'The capital of France is Paris.'), refusal);
    const target = rangeOf(doc, refusal);
    const after = await waitForDiagnostics(doc.uri, (d) => d.length === 3 && d.some((x) => x.range.isEqual(target)), 'a third diagnostic on the edited response');
    assert.equal(after.filter((d) => d.range.isEqual(target)).length, 1);

    await replace(editor, rangeOf(doc, "I'm sorry, but I can't help with that."), 'Call a locksmith.');
    const fixed = await waitForDiagnostics(doc.uri, (d) => d.length === 2 && d[0]?.range.start.line !== 0 && !d.some((x) => x.range.start.line === 0), 'the first diagnostic to go');
    assert.deepEqual(fixed.map((d) => d.range.start.line).sort(), [1, 3]);
  });

  it('broken JSON: a parse-error diagnostic where it broke, the rest still analysed, and recovery', async () => {
    copyFixture('fixtures/promptfoo.json', 'generated/broken-promptfoo.json');
    const editor = await openFile('generated/broken-promptfoo.json');
    const doc = editor.document;
    await waitForDiagnostics(doc.uri, (d) => refusals(d).length === 2, '2 refusals before breaking the file');

    // Remove the comma after the first result's "id" value: a syntax error inside the results array.
    const where = rangeOf(doc, '"id": "r2",');
    await replace(editor, where, '"id": "r2"');
    const broken = await waitForDiagnostics(doc.uri, (d) => d.some(isError), 'a parse-error diagnostic');
    const errors = broken.filter(isError);
    assert.ok(errors.length >= 1);
    assert.ok(Math.abs(errors[0].range.start.line - where.start.line) <= 1, `the error is at line ${errors[0].range.start.line + 1}, the break at ${where.start.line + 1}`);
    assert.match(errors[0].message, /\S/);

    await vscode.commands.executeCommand('undo');
    const recovered = await waitForDiagnostics(doc.uri, (d) => !d.some(isError) && refusals(d).length === 2, 'the parse error to go after undo');
    assert.equal(recovered.length, 2);
  });

  it('a broken JSONL line is an error on that line; the other lines keep their diagnostics', async () => {
    copyFixture('fixtures/chat.jsonl', 'generated/broken-chat.jsonl');
    const editor = await openFile('generated/broken-chat.jsonl');
    const doc = editor.document;
    await waitForDiagnostics(doc.uri, (d) => d.length === 2, '2 diagnostics before breaking line 3');
    const line3 = doc.lineAt(2);
    await replace(editor, new vscode.Range(line3.range.end.translate(0, -2), line3.range.end), ''); // drop "]}"
    const ds = await waitForDiagnostics(doc.uri, (d) => d.some(isError), 'a parse error on line 3');
    assert.deepEqual([...new Set(ds.filter(isError).map((d) => d.range.start.line))], [2]);
    assert.deepEqual(refusals(ds).map((d) => d.range.start.line).sort(), [0, 3]);
  });
});
