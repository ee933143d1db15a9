import type { Connection, Diagnostic } from 'vscode-languageserver';
import {
  CompareProgressNotification,
  DocumentStatsNotification,
  DownloadProgressNotification,
  ScanProgressNotification,
  ScanRowsNotification,
  type CompareProgress,
  type DocumentStats,
  type DownloadProgress,
  type ScanProgress,
  type ScanRows,
} from '../shared/protocol';
import { SETTINGS_SECTION } from '../shared/settings';
import { describeError, type Logger, type ProgressHandle, type ServerHost } from './serverHost';

/** ServerHost over a real LSP connection (the client's output channel gets the log). */
export class ConnectionHost implements ServerHost {
  readonly log: Logger;

  constructor(
    private readonly connection: Connection,
    private readonly canShowProgress: boolean,
  ) {
    const console = connection.console;
    this.log = {
      info: (m) => console.info(m),
      warn: (m) => console.warn(m),
      error: (m, e) => console.error(e === undefined ? m : `${m}\n${describeError(e)}`),
    };
  }

  publishDiagnostics(uri: string, diagnostics: Diagnostic[]): void {
    void this.connection.sendDiagnostics({ uri, diagnostics });
  }

  sendStats(stats: DocumentStats): void {
    void this.connection.sendNotification(DocumentStatsNotification, stats);
  }

  sendScanProgress(progress: ScanProgress): void {
    void this.connection.sendNotification(ScanProgressNotification, progress);
  }

  sendScanRows(rows: ScanRows): void {
    void this.connection.sendNotification(ScanRowsNotification, rows);
  }

  sendDownloadProgress(progress: DownloadProgress): void {
    void this.connection.sendNotification(DownloadProgressNotification, progress);
  }

  sendCompareProgress(progress: CompareProgress): void {
    void this.connection.sendNotification(CompareProgressNotification, progress);
  }

  configuration(uri: string | null): Promise<unknown> {
    return this.connection.workspace.getConfiguration(uri === null ? { section: SETTINGS_SECTION } : { scopeUri: uri, section: SETTINGS_SECTION });
  }

  async startProgress(title: string): Promise<ProgressHandle> {
    if (!this.canShowProgress) return { report: () => {}, done: () => {} };
    const reporter = await this.connection.window.createWorkDoneProgress();
    reporter.begin(title, 0, undefined, false);
    return { report: (percentage, message) => reporter.report(percentage, message), done: () => reporter.done() };
  }
}
