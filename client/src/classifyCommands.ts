import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ClassifyTextRequest, type ClassifyTextResult } from '../../server/src/shared/protocol';
import { describeResult } from './notificationText';
import { selectionText } from './selectionText';

// Both commands return the result too (for tests and other extensions: executeCommand gets it).

/** Classify Selection: the selected text (JSON escapes read), result as a notification. */
export async function classifySelection(client: LanguageClient): Promise<ClassifyTextResult | undefined> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.selection.isEmpty) {
    void vscode.window.showInformationMessage('Refusal Lens: select the text to classify first.');
    return undefined;
  }
  const text = selectionText(editor.document.getText(editor.selection), editor.document.languageId);
  return classifyAndShow(client, text, editor.document.uri.toString());
}

/** Classify Text...: text typed into an input box. */
export async function classifyTypedText(client: LanguageClient): Promise<ClassifyTextResult | undefined> {
  const text = await vscode.window.showInputBox({
    title: 'Refusal Lens: Classify Text',
    prompt: 'Text to classify as a refusal or not',
    placeHolder: "I'm sorry, but I can't help with that.",
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() === '' ? 'Type the text to classify' : null),
  });
  if (text === undefined) return undefined;
  const editor = vscode.window.activeTextEditor;
  return classifyAndShow(client, text, editor ? editor.document.uri.toString() : null);
}

async function classifyAndShow(client: LanguageClient, text: string, uri: string | null): Promise<ClassifyTextResult | undefined> {
  const result = await client.sendRequest(ClassifyTextRequest, { text, uri });
  if (!result) return undefined;
  const show = result.label === 'refusal' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
  void show(describeResult(result));
  return result;
}
