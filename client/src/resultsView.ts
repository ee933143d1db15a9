import * as vscode from 'vscode';
import { DocumentRowsRequest, type CompareFilesResult, type DocumentStats } from '../../server/src/shared/protocol';
import type { ResultRow } from '../../server/src/shared/resultRow';
import { settingsFor } from './clientSettings';
import { compareTitle } from './panel/compareText';
import { ResultsPanel } from './panel/resultsPanel';
import type { ServerController } from './serverController';

type Source = { kind: 'document'; uri: string } | { kind: 'scan'; scanId: string } | { kind: 'compare' };

const REFRESH_DELAY_MS = 300;

/**
 * What the results panel shows: the active document's rows (following the active editor and
 * refreshed when its analysis finishes), the last workspace scan (streamed in as it runs), or a
 * comparison of two runs (Compare With...; it stays until another source replaces it).
 */
export class ResultsView implements vscode.Disposable {
  private source: Source | null = null;
  private scan: { scanId: string; title: string; rows: ResultRow[]; threshold: number } | null = null;
  private refreshTimer: NodeJS.Timeout | null = null;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly server: ServerController,
  ) {
    this.disposables.push(
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        if (editor && ResultsPanel.current && this.source?.kind === 'document' && this.source.uri !== editor.document.uri.toString()) this.scheduleRefresh(editor.document.uri.toString());
      }),
    );
  }

  /**
   * Show Results Panel: the active document's rows, else the last scan's. Returns a message when
   * there is nothing to show. A document whose analysis has not finished yet fills the panel when it does.
   */
  async show(): Promise<string | null> {
    const editor = vscode.window.activeTextEditor;
    if (editor) {
      const shown = await this.showDocument(editor.document.uri.toString(), true);
      if (shown) return null;
    }
    if (this.scan) {
      this.showScan(true);
      return null;
    }
    if (!this.server.running) return `the language server is not running (${this.server.whyNotRunning()}) and there is no workspace scan to show`;
    if (editor) this.source = { kind: 'document', uri: editor.document.uri.toString() };
    const panel = ResultsPanel.createOrShow(this.context);
    panel.setRows('no results', [], {});
    return editor ? 'this file holds no responses Refusal Lens reads; run "Refusal Lens: Scan Workspace" to see every result file' : null;
  }

  /** The rows a report exports: the panel's, else the active document's, else the last scan's. */
  async rowsForExport(): Promise<{ title: string; rows: readonly ResultRow[] } | null> {
    const panel = ResultsPanel.current;
    if (panel && panel.rows.length > 0) return { title: panel.title, rows: panel.rows };
    const editor = vscode.window.activeTextEditor;
    if (editor) {
      const rows = await this.fetchRows(editor.document.uri.toString());
      if (rows && rows.rows.length > 0) return { title: vscode.workspace.asRelativePath(editor.document.uri), rows: rows.rows };
    }
    return this.scan ? { title: this.scan.title, rows: this.scan.rows } : null;
  }

  /** Each finished analysis of the shown document refreshes the panel (an edit, or settings that label it again). */
  stats(stats: DocumentStats): void {
    const finished = stats.state.kind !== 'classifying' && stats.state.kind !== 'loading-model';
    if (finished && ResultsPanel.current && this.source?.kind === 'document' && this.source.uri === stats.uri) this.scheduleRefresh(stats.uri);
  }

  beginScan(scanId: string, title: string): void {
    const threshold = settingsFor().threshold;
    this.scan = { scanId, title, rows: [], threshold };
    this.source = { kind: 'scan', scanId };
    const panel = ResultsPanel.createOrShow(this.context);
    panel.setRows(title, [], { threshold });
    panel.setStatus('Scanning…');
  }

  /** Compare With...: the pairs that changed, with the comparison's summary. */
  showCompare(result: CompareFilesResult): void {
    if (!result.summary) return;
    const title = compareTitle(result.summary);
    this.source = { kind: 'compare' };
    const panel = ResultsPanel.createOrShow(this.context);
    panel.setRows(title, result.rows, { threshold: settingsFor(vscode.Uri.parse(result.summary.newUri)).threshold, compare: result.summary });
    panel.setStatus(null);
  }

  scanRows(scanId: string, rows: ResultRow[]): void {
    if (this.scan?.scanId !== scanId) return;
    this.scan.rows.push(...rows);
    if (this.source?.kind === 'scan' && this.source.scanId === scanId) ResultsPanel.current?.appendRows(rows);
  }

  scanStatus(scanId: string, text: string | null): void {
    if (this.source?.kind === 'scan' && this.source.scanId === scanId) ResultsPanel.current?.setStatus(text);
  }

  private showScan(reveal: boolean): void {
    if (!this.scan) return;
    this.source = { kind: 'scan', scanId: this.scan.scanId };
    const panel = reveal ? ResultsPanel.createOrShow(this.context) : ResultsPanel.current;
    panel?.setRows(this.scan.title, this.scan.rows, { threshold: this.scan.threshold });
  }

  private async showDocument(uri: string, reveal: boolean): Promise<boolean> {
    const rows = await this.fetchRows(uri);
    if (!rows) return false;
    const parsed = vscode.Uri.parse(uri);
    this.source = { kind: 'document', uri };
    const panel = reveal ? ResultsPanel.createOrShow(this.context) : ResultsPanel.current;
    panel?.setRows(vscode.workspace.asRelativePath(parsed), rows.rows, { threshold: settingsFor(parsed).threshold });
    return true;
  }

  private async fetchRows(uri: string) {
    const client = this.server.running;
    if (!client) return null;
    try {
      return await client.sendRequest(DocumentRowsRequest, { uri });
    } catch {
      return null;
    }
  }

  private scheduleRefresh(uri: string): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = null;
      void this.showDocument(uri, false);
    }, REFRESH_DELAY_MS);
  }

  dispose(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    for (const d of this.disposables) d.dispose();
  }
}
