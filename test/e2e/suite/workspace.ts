import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

/** The folder the harness opened (scripts/e2e/workspace.mjs copied the fixtures and examples into it). */
export function workspaceRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no workspace folder is open: the harness opens one (scripts/e2e/workspace.mjs)');
  return folder.uri.fsPath;
}

export function workspacePath(...parts: string[]): string {
  return path.join(workspaceRoot(), ...parts);
}

/** Opens a workspace file in an editor (which is what makes the language client send it). */
export async function openFile(relative: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(workspacePath(relative)));
  return vscode.window.showTextDocument(doc, { preview: false });
}

/** Writes a generated file into the workspace (a new name per test, so runs never see stale state). */
export function writeFile(relative: string, text: string): string {
  const file = workspacePath(relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

/** The document range of the first occurrence of `raw` (text as it is written in the file) at or after `from`. */
export function rangeOf(doc: vscode.TextDocument, raw: string, from = 0): vscode.Range {
  const at = doc.getText().indexOf(raw, from);
  if (at < 0) throw new Error(`"${raw}" is not in ${path.basename(doc.uri.fsPath)}`);
  return new vscode.Range(doc.positionAt(at), doc.positionAt(at + raw.length));
}

/** Saves (tests edit only generated copies) and closes every editor: a dirty editor would ask in a modal dialog. */
export async function closeAllEditors(): Promise<void> {
  await vscode.workspace.saveAll(false);
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** Copies a fixture to a new workspace file (for tests that edit it). */
export function copyFixture(fixture: string, copy: string): string {
  return writeFile(copy, fs.readFileSync(workspacePath(fixture), 'utf8'));
}
