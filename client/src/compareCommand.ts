import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { COMPARE_KEYS, CompareFilesRequest, type CompareFilesResult, type CompareKey, type CompareProgress } from '../../server/src/shared/protocol';
import { parseCompareArgs } from './compareArgs';
import { plainText } from './notificationText';
import type { ResultsView } from './resultsView';

/** Progress of the comparison in flight, fed by the server's notifications. */
let progressSink: ((p: CompareProgress) => void) | null = null;

export function compareProgress(p: CompareProgress): void {
  progressSink?.(p);
}

const KEY_ITEMS: Record<CompareKey, string> = {
  prompt: 'the same prompt text (default)',
  id: 'the same record and field (line or path): runs written in the same order',
  'prompt+model': 'the same prompt answered by the same model',
};

const RESULT_EXTENSIONS = ['json', 'jsonl', 'ndjson', 'jsonlines', 'md', 'markdown', 'csv', 'tsv', 'eval'];

/**
 * Compare With...: the active (or chosen) file as NEW against an OLD run, matched by a key; the
 * server reads both from disk with its detector, the results panel shows the pairs that changed.
 * Returns the server's result to `executeCommand` callers (undefined when the user backed out).
 */
export async function compareWith(client: LanguageClient, results: ResultsView, args: readonly unknown[]): Promise<CompareFilesResult | undefined> {
  const parsed = parseCompareArgs(args, (v): v is vscode.Uri => v instanceof vscode.Uri);
  const newUri = parsed.new ?? vscode.window.activeTextEditor?.document.uri ?? null;
  if (!newUri) {
    void vscode.window.showInformationMessage('Refusal Lens: open a result file (or pick one in the Explorer) to compare it with an earlier run.');
    return undefined;
  }
  const oldUri = parsed.old ?? (await pickOld(newUri));
  if (!oldUri) return undefined;
  const offDisk = [oldUri, newUri].find((u) => u.scheme !== 'file');
  if (offDisk) {
    void vscode.window.showErrorMessage(plainText(`Refusal Lens: Compare With... reads result files on disk; ${offDisk.toString(true)} is not one (save it first).`));
    return undefined;
  }
  const key = parsed.key ?? (await pickKey());
  if (!key) return undefined;
  const wanted = [oldUri.toString(), newUri.toString()];
  const dirty = vscode.workspace.textDocuments.filter((d) => d.isDirty && wanted.includes(d.uri.toString()));
  if (dirty.length > 0) {
    const go = await vscode.window.showWarningMessage(plainText(`Refusal Lens: the comparison reads files from disk; ${dirty.length === 1 ? `${path.basename(dirty[0].uri.fsPath)} has` : 'both files have'} unsaved changes that it will not include.`), 'Compare Anyway');
    if (go !== 'Compare Anyway') return undefined;
  }
  const compareId = `compare-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: plainText(`Refusal Lens: comparing ${path.basename(newUri.fsPath)} with ${path.basename(oldUri.fsPath)}`), cancellable: true },
    async (progress, token) => {
      let reported = 0;
      progressSink = (p) => {
        if (p.compareId !== compareId) return;
        // the old run is the first half of the work, the new run the second
        const pct = (p.side === 'old' ? 0 : 50) + (p.total > 0 ? (p.done / p.total) * 50 : 0);
        progress.report({ increment: Math.max(0, pct - reported), message: plainText(`reading ${p.side === 'old' ? 'the old run' : 'the new run'}: ${p.file}`) });
        reported = Math.max(reported, pct);
      };
      try {
        return await client.sendRequest(CompareFilesRequest, { compareId, oldUri: oldUri.toString(), newUri: newUri.toString(), key }, token);
      } finally {
        progressSink = null;
      }
    },
  );
  if (!result) {
    void vscode.window.showWarningMessage('Refusal Lens: the comparison stopped: the language server went away (see the logs).');
    return undefined;
  }
  if (!result.ok) {
    if (!result.cancelled) void vscode.window.showErrorMessage(plainText(`Refusal Lens: ${result.message}`));
    return result;
  }
  results.showCompare(result);
  return result;
}

async function pickOld(newUri: vscode.Uri): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({
    title: `Refusal Lens: compare ${path.basename(newUri.fsPath)} (new) with an earlier run (old)`,
    openLabel: 'Compare',
    canSelectMany: false,
    canSelectFolders: false,
    defaultUri: newUri.scheme === 'file' ? vscode.Uri.file(path.dirname(newUri.fsPath)) : undefined,
    filters: { 'Result files': RESULT_EXTENSIONS, 'All files': ['*'] },
  });
  return picked?.[0];
}

async function pickKey(): Promise<CompareKey | undefined> {
  const items = COMPARE_KEYS.map((k) => ({ label: k, description: KEY_ITEMS[k] }));
  const picked = await vscode.window.showQuickPick(items, { title: 'Refusal Lens: match the responses of the two runs by', placeHolder: 'prompt' });
  return picked?.label;
}
