import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { formatRate, ScanWorkspaceRequest, type ScanProgress, type ScanResult } from '../../server/src/shared/protocol';
import { settingsFor } from './clientSettings';
import { plainText } from './notificationText';
import type { ResultsView } from './resultsView';

const SCANNED = '**/*.{json,jsonl,ndjson,jsonlines,md,markdown,csv,tsv,eval}';
const EXCLUDED = '**/{node_modules,.git,.vscode-test}/**';
const MAX_FILES = 20_000;

/** Progress of the scan in flight, fed by the server's notifications. */
let progressSink: ((p: ScanProgress) => void) | null = null;

export function scanProgress(p: ScanProgress): void {
  progressSink?.(p);
}

/**
 * Scan Workspace: the files found in the workspace (files.exclude honoured) are read from disk by
 * the server; rows stream into the results panel, diagnostics into the Problems view. Returns
 * the scan's totals (undefined when nothing was scanned).
 */
export async function scanWorkspace(client: LanguageClient, results: ResultsView): Promise<ScanResult | undefined> {
  if (!vscode.workspace.workspaceFolders?.length) {
    void vscode.window.showInformationMessage('Refusal Lens: open a folder to scan its result files.');
    return undefined;
  }
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Refusal Lens: scanning the workspace', cancellable: true }, async (progress, token) => {
    progress.report({ message: 'finding result files…' });
    const uris = await findFiles(token);
    if (token.isCancellationRequested) return undefined;
    if (uris.length === 0) {
      void vscode.window.showInformationMessage('Refusal Lens: no result files (JSON, JSONL, Markdown, CSV, .eval) in the workspace.');
      return undefined;
    }
    const scanId = `scan-${Date.now().toString(36)}`;
    results.beginScan(scanId, 'Workspace scan');
    let reported = 0;
    progressSink = (p) => {
      if (p.scanId !== scanId) return;
      const pct = p.filesTotal ? (p.filesDone / p.filesTotal) * 100 : 0;
      progress.report({ increment: Math.max(0, pct - reported), message: plainText(`${p.filesDone}/${p.filesTotal} files${p.file ? `: ${p.file}` : ''}`) });
      results.scanStatus(scanId, `Scanning ${p.filesDone}/${p.filesTotal} files`);
      reported = pct;
    };
    try {
      const r = await client.sendRequest(ScanWorkspaceRequest, { scanId, uris: uris.map((u) => u.toString()) }, token);
      if (!r) {
        void vscode.window.showWarningMessage('Refusal Lens: the scan stopped: the language server went away (see the logs).');
        return undefined;
      }
      const summary = `${r.files} result files, ${r.responses} responses, ${r.refusals} refusals (${formatRate(r.responses ? r.refusals / r.responses : 0)})${r.overRefusals ? `, ${r.overRefusals} over-refusals` : ''}${r.parseErrors ? `, ${r.parseErrors} parse errors (see Problems)` : ''}`;
      void vscode.window.showInformationMessage(r.cancelled ? `Refusal Lens: scan cancelled; so far ${summary}.` : `Refusal Lens: scanned ${summary}.`);
      return r;
    } finally {
      progressSink = null;
      results.scanStatus(scanId, null);
    }
  });
}

async function findFiles(token: vscode.CancellationToken): Promise<vscode.Uri[]> {
  const { files } = settingsFor();
  const patterns = [SCANNED, ...Object.values(files).flat()];
  const found = new Map<string, vscode.Uri>();
  for (const pattern of patterns) {
    for (const uri of await vscode.workspace.findFiles(pattern, EXCLUDED, MAX_FILES, token)) found.set(uri.toString(), uri);
  }
  return [...found.values()].sort((a, b) => a.fsPath.localeCompare(b.fsPath));
}
