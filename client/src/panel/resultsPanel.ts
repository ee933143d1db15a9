/**
 * The results panel: a webview with every response of a result set (the current file, or the
 * last workspace scan) in a virtualised table, filters, a summary and export.
 *
 * API for the client (commands, status bar):
 *
 *   import { ResultsPanel } from './panel/resultsPanel';
 *
 *   // `refusalLens.showResults`: one panel per window; shows the existing one if open.
 *   const panel = ResultsPanel.createOrShow(context);               // context: { extensionUri }
 *   panel.setRows(fileLabel, rows, { threshold: settings.threshold }); // replace the result set
 *
 *   // Workspace scan: start an empty set, stream rows as files finish, report progress.
 *   panel.setRows('Workspace scan', [], { threshold });
 *   panel.appendRows(rowsOfOneFile);  panel.setStatus('Scanning 12/340 files');  panel.setStatus(null);
 *
 *   ResultsPanel.current?.setRows(...);   // refresh an open panel without opening one
 *                                         // (same title as before: the webview keeps its scroll position)
 *   panel.setRows('old.jsonl → new.jsonl', diffRows, { threshold, compare: summary }); // two runs compared
 *   panel.onDidReveal((row) => ...);      // a row's document was shown with row.range selected
 *   panel.onDidDispose(() => ...);
 *
 * Click (or Enter on a focused row) reveals the row: this class opens row.uri and selects
 * row.range itself; on a compared pair, a click in its Before cell (or Shift+Enter) opens the
 * OLD response instead. Export writes the rows the panel shows (after its filters) as JSON or CSV
 * to a file the user picks, and refuses to write over any file of the result set.
 * The rows live here; the webview gets copies and is re-sent them each time it is shown again
 * (retainContextWhenHidden stays off; filters, sort and scroll survive through getState/setState).
 */
import * as vscode from 'vscode';
import type { CompareSummary } from '../../../server/src/shared/compareSummary';
import type { ResultRow } from '../../../server/src/shared/resultRow';
import { makeNonce, panelHtml } from './panelHtml';
import type { ExportFormat, RevealSide } from './panelMessages';
import type { SetRowsOptions } from './panelSession';
import { PanelSession, revealTarget } from './panelSession';
import { exportText } from './rowExport';
import { plainText } from '../notificationText';

export class ResultsPanel implements vscode.Disposable {
  static readonly viewType = 'refusalLens.results';
  private static open: ResultsPanel | undefined;

  /** The open panel, if any. */
  static get current(): ResultsPanel | undefined {
    return ResultsPanel.open;
  }

  static createOrShow(context: Pick<vscode.ExtensionContext, 'extensionUri'>, column: vscode.ViewColumn = vscode.ViewColumn.Beside): ResultsPanel {
    if (ResultsPanel.open) {
      ResultsPanel.open.panel.reveal(undefined, true);
      return ResultsPanel.open;
    }
    const dist = vscode.Uri.joinPath(context.extensionUri, 'dist');
    const panel = vscode.window.createWebviewPanel(ResultsPanel.viewType, 'Refusal Lens Results', { viewColumn: column, preserveFocus: true }, {
      enableScripts: true,
      enableCommandUris: false,
      localResourceRoots: [dist],
    });
    ResultsPanel.open = new ResultsPanel(panel, dist);
    return ResultsPanel.open;
  }

  private readonly session: PanelSession;
  private readonly revealEmitter = new vscode.EventEmitter<ResultRow>();
  private readonly disposeEmitter = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [];

  readonly onDidReveal = this.revealEmitter.event;
  readonly onDidDispose = this.disposeEmitter.event;

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    dist: vscode.Uri,
  ) {
    const webview = panel.webview;
    this.session = new PanelSession({
      post: (message) => void webview.postMessage(message),
      reveal: (row, side) => void this.revealRow(row, side),
      exportRows: (format, title, rows) => void this.exportRows(format, title, rows),
    });
    webview.html = panelHtml({
      cspSource: webview.cspSource,
      nonce: makeNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.css')).toString(),
    });
    this.disposables.push(
      webview.onDidReceiveMessage((m: unknown) => this.session.receive(m)),
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.session.detach();
      }),
      panel.onDidDispose(() => this.disposed()),
    );
  }

  /** The current result set, as given. */
  get rows(): readonly ResultRow[] {
    return this.session.currentRows;
  }

  get title(): string {
    return this.session.currentTitle;
  }

  /** The comparison the panel shows, when its rows compare two runs. */
  get compare(): CompareSummary | undefined {
    return this.session.currentCompare;
  }

  get visible(): boolean {
    return this.panel.visible;
  }

  setRows(title: string, rows: readonly ResultRow[], options?: SetRowsOptions): void {
    this.panel.title = `Refusal Lens: ${title}`;
    this.session.setRows(title, rows, options);
  }

  appendRows(rows: readonly ResultRow[]): void {
    this.session.appendRows(rows);
  }

  setStatus(text: string | null): void {
    this.session.setStatus(text);
  }

  reveal(preserveFocus = true): void {
    this.panel.reveal(undefined, preserveFocus);
  }

  dispose(): void {
    this.panel.dispose();
  }

  private disposed(): void {
    if (ResultsPanel.open === this) ResultsPanel.open = undefined;
    this.disposeEmitter.fire();
    for (const d of this.disposables) d.dispose();
    this.revealEmitter.dispose();
    this.disposeEmitter.dispose();
  }

  private async revealRow(row: ResultRow, side: RevealSide = 'new'): Promise<void> {
    const target = revealTarget(row, side);
    try {
      const uri = vscode.Uri.parse(target.uri, true);
      const document = await vscode.workspace.openTextDocument(uri);
      const r = target.range;
      const range = document.validateRange(new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character));
      const shown = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === document.uri.toString());
      const column = shown?.viewColumn ?? (this.panel.viewColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Beside : vscode.ViewColumn.One);
      const editor = await vscode.window.showTextDocument(document, { viewColumn: column, selection: range, preserveFocus: false });
      editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
      this.revealEmitter.fire(row);
    } catch (err) {
      void vscode.window.showErrorMessage(plainText(`Refusal Lens: cannot open ${target.file}: ${err instanceof Error ? err.message : String(err)}`));
    }
  }

  private async exportRows(format: ExportFormat, title: string, rows: ResultRow[]): Promise<void> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const name = `${this.session.currentCompare ? 'refusal-lens-comparison' : 'refusal-lens-results'}.${format}`;
    const target = await vscode.window.showSaveDialog({
      title: `Export ${rows.length} shown rows`,
      saveLabel: 'Export',
      defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
      filters: format === 'csv' ? { CSV: ['csv'] } : { JSON: ['json'] },
    });
    if (!target) return;
    const compared = this.session.currentCompare;
    if (isResultFile(target, this.session.currentRows, compared ? [compared.oldUri, compared.newUri] : [])) {
      void vscode.window.showErrorMessage(plainText(`Refusal Lens: ${target.fsPath} is one of the result files in the panel; export to another file.`));
      return;
    }
    try {
      await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(exportText(format, title, rows)));
    } catch (err) {
      void vscode.window.showErrorMessage(plainText(`Refusal Lens: cannot write ${target.fsPath}: ${err instanceof Error ? err.message : String(err)}`));
      return;
    }
    const choice = await vscode.window.showInformationMessage(plainText(`Refusal Lens: exported ${rows.length} rows to ${target.fsPath}.`), 'Open');
    if (choice === 'Open') await vscode.window.showTextDocument(target);
  }
}

/** Whether `target` is the document of any row, or of a compared row's OLD side (export never writes into users' result files). */
function isResultFile(target: vscode.Uri, rows: readonly ResultRow[], more: readonly string[]): boolean {
  const fold = (u: vscode.Uri): string => (u.scheme === 'file' && process.platform !== 'linux' ? u.fsPath.toLowerCase() : u.toString());
  const wanted = fold(target);
  const seen = new Set<string>();
  for (const uri of [...more, ...rows.flatMap((row) => (row.diff ? [row.uri, row.diff.old.uri] : [row.uri]))]) {
    if (seen.has(uri)) continue;
    seen.add(uri);
    try {
      if (fold(vscode.Uri.parse(uri, true)) === wanted) return true;
    } catch {
      // A malformed row URI names no file we could write over.
    }
  }
  return false;
}
