import * as vscode from 'vscode';
import { LanguageClient, State, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import {
  CompareProgressNotification,
  DocumentStatsNotification,
  DownloadProgressNotification,
  ScanProgressNotification,
  ScanRowsNotification,
  type CompareProgress,
  type DocumentStats,
  type DownloadProgress,
  type InitializationOptions,
  type ScanProgress,
  type ScanRows,
} from '../../server/src/shared/protocol';
import { SETTINGS_SECTION } from '../../server/src/shared/settings';
import { documentSelector } from './documentSelector';
import { plainText } from './notificationText';
import type { ServerState } from './statusText';

/** What the server pushes, routed to the parts of the client that show it. */
export interface ServerListeners {
  stats(stats: DocumentStats): void;
  scanProgress(progress: ScanProgress): void;
  scanRows(rows: ScanRows): void;
  downloadProgress(progress: DownloadProgress): void;
  compareProgress(progress: CompareProgress): void;
  /** The server started, stopped or failed (status bar, stats cleared). */
  stateChanged(state: ServerState): void;
}

/**
 * The language client's life: started at activation, restarted on demand (a new client each time,
 * so the workspace's trust and the settings read at start are current), and the reason it is not
 * running when it is not.
 */
export class ServerController implements vscode.Disposable {
  private client: LanguageClient | null = null;
  private stopReason: string | null = 'not started yet';
  private state: ServerState = 'stopped';
  private starting: Promise<void> | null = null;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly output: vscode.LogOutputChannel,
    private readonly listeners: ServerListeners,
  ) {}

  get serverState(): ServerState {
    return this.state;
  }

  /** The running client, or null (whyNotRunning says why). */
  get running(): LanguageClient | null {
    return this.client && this.client.state === State.Running ? this.client : null;
  }

  whyNotRunning(): string {
    if (this.state === 'starting') return 'it is still starting';
    return this.stopReason ?? 'it stopped';
  }

  /** Resolves once the client runs (waiting for a start in progress); rejects with the reason otherwise. */
  async ready(): Promise<void> {
    await this.starting;
    if (!this.running) throw new Error(`Refusal Lens: the language server is not running (${this.whyNotRunning()})`);
  }

  start(): Promise<void> {
    this.starting ??= this.doStart().finally(() => (this.starting = null));
    return this.starting;
  }

  async restart(): Promise<void> {
    await this.starting?.catch(() => {});
    await this.stop();
    this.output.info('Restarting the language server');
    await this.start();
  }

  private async doStart(): Promise<void> {
    const serverModule = this.context.asAbsolutePath('dist/server.js');
    const serverOptions: ServerOptions = {
      run: { module: serverModule, transport: TransportKind.ipc },
      debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6012'] } },
    };
    const initializationOptions: InitializationOptions = {
      trusted: vscode.workspace.isTrusted,
      storagePath: this.context.globalStorageUri.fsPath,
      extensionPath: this.context.extensionPath,
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: documentSelector(),
      outputChannel: this.output,
      traceOutputChannel: this.output,
      initializationOptions,
      middleware: {
        workspace: {
          configuration: async (params, token, next) => {
            const values = await next(params, token);
            if (!Array.isArray(values)) return values;
            return values.map((value: unknown, i) => (params.items[i]?.section === SETTINGS_SECTION ? withUserOnlySettings(value) : value));
          },
        },
      },
    };
    const client = new LanguageClient('refusalLens', 'Refusal Lens', serverOptions, clientOptions);
    this.client = client;
    this.setState('starting');
    client.onNotification(DocumentStatsNotification, (s) => this.listeners.stats(s));
    client.onNotification(ScanProgressNotification, (p) => this.listeners.scanProgress(p));
    client.onNotification(ScanRowsNotification, (r) => this.listeners.scanRows(r));
    client.onNotification(DownloadProgressNotification, (p) => this.listeners.downloadProgress(p));
    client.onNotification(CompareProgressNotification, (p) => this.listeners.compareProgress(p));
    client.onDidChangeState((e) => {
      if (this.client !== client) return;
      if (e.newState === State.Running) {
        this.stopReason = null;
        this.setState('running');
      } else if (e.newState === State.Stopped) {
        this.stopReason ??= 'the server process stopped (see the logs)';
        this.setState('stopped');
      } else this.setState('starting');
    });
    try {
      await client.start();
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      this.stopReason = `it failed to start: ${message}`;
      this.output.error(`The language server failed to start: ${e instanceof Error && e.stack ? e.stack : message}`);
      this.setState('stopped');
      void vscode.window.showErrorMessage(plainText(`Refusal Lens: the language server failed to start (${message}).`), 'Show Logs').then((c) => {
        if (c === 'Show Logs') this.output.show(true);
      });
    }
  }

  async stop(): Promise<void> {
    const client = this.client;
    if (!client) return;
    this.client = null;
    this.stopReason = 'it was stopped';
    this.setState('stopped');
    try {
      if (client.needsStop()) await client.stop();
      await client.dispose();
    } catch (e) {
      this.output.warn(`Stopping the language server: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private setState(state: ServerState): void {
    if (this.state === state) return;
    this.state = state;
    this.listeners.stateChanged(state);
  }

  dispose(): void {
    void this.stop();
  }
}

/**
 * The model path always, and the download permission in an untrusted workspace, come from the
 * user's settings only: a folder's settings never point the server at a model.
 */
function withUserOnlySettings(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>), modelPath: config.inspect<string>('modelPath')?.globalValue ?? '' };
  if (!vscode.workspace.isTrusted) out.allowDownload = config.inspect<boolean>('allowDownload')?.globalValue ?? false;
  return out;
}
