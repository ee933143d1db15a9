import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { EXPORT_FORMATS, ExportReportRequest, type ExportFormat } from '../../server/src/shared/protocol';
import { plainText } from './notificationText';
import type { ResultsView } from './resultsView';

/**
 * Export Report...: the CLI's JSON, CSV or SARIF report (whole responses) of the files the results
 * panel shows (the current file, or the last scan's), to a file the user picks; the server
 * writes it and refuses to write over a result file.
 */
export async function exportReport(client: LanguageClient, results: ResultsView): Promise<void> {
  const source = await results.rowsForExport();
  // a comparison's rows name both runs: the NEW file, and the OLD one in `diff`
  const uris = [...new Set((source?.rows ?? []).flatMap((r) => (r.diff ? [r.diff.old.uri, r.uri] : [r.uri])))].filter((u) => u.startsWith('file:'));
  if (!source || uris.length === 0) {
    void vscode.window.showInformationMessage('Refusal Lens: nothing to export yet: open a result file or run "Refusal Lens: Scan Workspace" first.');
    return;
  }
  const dirty = vscode.workspace.textDocuments.filter((d) => d.isDirty && uris.includes(d.uri.toString()));
  if (dirty.length > 0) {
    const go = await vscode.window.showWarningMessage(plainText(`Refusal Lens: the report reads files from disk; ${dirty.length === 1 ? `${path.basename(dirty[0].uri.fsPath)} has` : `${dirty.length} files have`} unsaved changes that it will not include.`), 'Export Anyway');
    if (go !== 'Export Anyway') return;
  }
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const target = await vscode.window.showSaveDialog({
    title: `Refusal Lens: export a report of ${uris.length === 1 ? source.title : `${uris.length} files`}`,
    saveLabel: 'Export',
    defaultUri: folder ? vscode.Uri.joinPath(folder, 'refusal-report.json') : undefined,
    filters: { JSON: ['json'], CSV: ['csv'], SARIF: ['sarif'] },
  });
  if (!target) return;
  const ext = path.extname(target.fsPath).slice(1).toLowerCase();
  const format: ExportFormat = (EXPORT_FORMATS as readonly string[]).includes(ext) ? (ext as ExportFormat) : 'json';
  if (uris.includes(target.toString())) {
    void vscode.window.showErrorMessage(plainText(`Refusal Lens: ${target.fsPath} is one of the result files; export to another file.`));
    return;
  }
  const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Refusal Lens: writing the report', cancellable: true }, (_progress, token) =>
    client.sendRequest(ExportReportRequest, { uris, format, target: target.toString() }, token),
  );
  if (!result) return;
  if (!result.ok) {
    void vscode.window.showErrorMessage(plainText(`Refusal Lens: ${result.message}`));
    return;
  }
  const open = await vscode.window.showInformationMessage(plainText(`Refusal Lens: ${result.message}`), 'Open Report');
  if (open === 'Open Report') await vscode.window.showTextDocument(target);
}
