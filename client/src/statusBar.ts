import * as vscode from 'vscode';
import type { DocumentStats } from '../../server/src/shared/protocol';
import { isReadable } from './documentSelector';
import { statusView, type ServerState } from './statusText';

/**
 * The one status item: the active document's refusal rate and detector, a spinner while it is
 * classified, a warning colour in lexical fallback or restricted mode, an error colour on failure.
 * It keeps each open document's latest stats (the server sends them as they change).
 */
export class RefusalStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly stats = new Map<string, DocumentStats>();
  private server: ServerState = 'stopped';
  private stopReason: string | null = null;
  private readonly disposables: vscode.Disposable[] = [];

  constructor() {
    this.item = vscode.window.createStatusBarItem('refusalLens.status', vscode.StatusBarAlignment.Right, 100);
    this.item.name = 'Refusal Lens';
    this.disposables.push(
      this.item,
      vscode.window.onDidChangeActiveTextEditor(() => this.render()),
      vscode.workspace.onDidCloseTextDocument((d) => {
        this.stats.delete(d.uri.toString());
        this.render();
      }),
    );
    this.render();
  }

  /** The latest stats of a document (what the status shows for it). */
  statsOf(uri: string): DocumentStats | undefined {
    return this.stats.get(uri);
  }

  update(stats: DocumentStats): void {
    const known = this.stats.get(stats.uri);
    // notifications may overtake each other after a restart: keep the newest version's
    if (known && known.version > stats.version) return;
    this.stats.set(stats.uri, stats);
    if (stats.uri === activeUri()) this.render();
  }

  serverChanged(state: ServerState, reason: string | null): void {
    this.server = state;
    this.stopReason = reason;
    // the stats of a server that stopped describe nothing any more
    if (state !== 'running') this.stats.clear();
    this.render();
  }

  private render(): void {
    const editor = vscode.window.activeTextEditor;
    const view = editor ? statusView(this.stats.get(editor.document.uri.toString()), this.server, isReadable(editor.document), this.stopReason) : null;
    if (!view) {
      this.item.hide();
      return;
    }
    this.item.text = view.text;
    this.item.tooltip = view.tooltip;
    this.item.backgroundColor = view.tone === 'normal' ? undefined : new vscode.ThemeColor(view.tone === 'warning' ? 'statusBarItem.warningBackground' : 'statusBarItem.errorBackground');
    this.item.command = view.click === 'results' ? 'refusalLens.showResults' : 'refusalLens.showLogs';
    this.item.accessibilityInformation = { label: view.text.replace(/\$\([^)]*\)\s*/g, '') };
    this.item.show();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

function activeUri(): string | undefined {
  return vscode.window.activeTextEditor?.document.uri.toString();
}
