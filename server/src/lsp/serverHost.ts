import type { Diagnostic } from 'vscode-languageserver';
import type { CompareProgress, DocumentStats, DownloadProgress, ScanProgress, ScanRows } from '../shared/protocol';

/**
 * What the server's logic needs from the editor. `main.ts` implements it over the LSP connection;
 * unit tests implement it in memory (test/helpers), so every class runs without a transport.
 */
export interface ServerHost {
  publishDiagnostics(uri: string, diagnostics: Diagnostic[]): void;
  sendStats(stats: DocumentStats): void;
  sendScanProgress(progress: ScanProgress): void;
  sendScanRows(rows: ScanRows): void;
  sendDownloadProgress(progress: DownloadProgress): void;
  sendCompareProgress(progress: CompareProgress): void;
  /** The raw `refusalLens` configuration for a document (null: the window's). */
  configuration(uri: string | null): Promise<unknown>;
  /** Editor-visible progress for long work (LSP work-done progress). */
  startProgress(title: string): Promise<ProgressHandle>;
  readonly log: Logger;
}

export interface ProgressHandle {
  report(percentage: number, message: string): void;
  done(): void;
}

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  /** Errors carry their stack to the log. */
  error(message: string, error?: unknown): void;
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
