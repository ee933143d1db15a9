import { ProtocolNotificationType, ProtocolRequestType, ProtocolRequestType0 } from 'vscode-languageserver-protocol';
import type { CompareKey, CompareSummary } from './compareSummary';
import type { ResultRow } from './resultRow';

export { COMPARE_KEYS, type CompareKey, type CompareSummary, type RunCounts } from './compareSummary';

/**
 * The custom messages between the extension and the language server, each declared once with
 * its method name and typed params. Both sides import this module (and nothing else of the server).
 */

type Request<P, R> = ProtocolRequestType<P, R, never, void, void>;
type Request0<R> = ProtocolRequestType0<R, never, void, void>;
type Notification<P> = ProtocolNotificationType<P, void>;
const request = <P, R>(method: string): Request<P, R> => new ProtocolRequestType(method);
const request0 = <R>(method: string): Request0<R> => new ProtocolRequestType0(method);
const notification = <P>(method: string): Notification<P> => new ProtocolNotificationType(method);

export type DetectorKind = 'lexical' | 'model';

export interface DetectorInfo {
  /** What users see: `lexical`, `distilroberta-base-rejection-v1`, ... */
  name: string;
  kind: DetectorKind;
}

/** Where a document's analysis stands. The finished states are ready, lexical-fallback and restricted. */
export type AnalysisState =
  | { kind: 'loading-model' }
  | { kind: 'classifying'; done: number; total: number }
  | { kind: 'ready' }
  /** Finished with the lexical detector because no model could be had; `reason` says why. */
  | { kind: 'lexical-fallback'; reason: string }
  /** Finished with the lexical detector because the workspace is not trusted. */
  | { kind: 'restricted' }
  /** The analysis failed; the document's diagnostics were cleared. */
  | { kind: 'error'; message: string };

export interface DocumentStats {
  uri: string;
  /** The document version these numbers describe. */
  version: number;
  /** The format that read the document; null when none did (the document is not analysed). */
  format: string | null;
  responses: number;
  refusals: number;
  overRefusals: number;
  /** refusals / responses (0 when there are no responses). */
  rate: number;
  /** Parse errors reported as diagnostics. */
  parseErrors: number;
  state: AnalysisState;
  /** The detector that classified (or is classifying) the document; null before one is chosen. */
  detector: DetectorInfo | null;
}

/** Server -> client, whenever a document's state or numbers change. */
export const DocumentStatsNotification = notification<DocumentStats>('refusalLens/documentStats');

export interface DocumentRowsParams {
  uri: string;
}
export interface DocumentRows {
  uri: string;
  version: number;
  rows: ResultRow[];
}
/** The panel's rows for an open document (null when the server has no finished analysis of it). */
export const DocumentRowsRequest = request<DocumentRowsParams, DocumentRows | null>('refusalLens/documentRows');

export interface ScanWorkspaceParams {
  /** Chosen by the client; tags the progress and rows notifications of this scan. */
  scanId: string;
  /** file: URIs to scan (the client finds them, honouring files.exclude). */
  uris: string[];
}
export interface ScanResult {
  scanId: string;
  files: number;
  /** Files no format recognised (skipped without diagnostics). */
  skipped: number;
  responses: number;
  refusals: number;
  overRefusals: number;
  parseErrors: number;
  cancelled: boolean;
}
/**
 * Scans files on disk (cancellable with the request's token). Rows stream through
 * ScanRowsNotification, diagnostics go to the files, progress through ScanProgressNotification.
 */
export const ScanWorkspaceRequest = request<ScanWorkspaceParams, ScanResult>('refusalLens/scanWorkspace');

export interface ScanProgress {
  scanId: string;
  filesDone: number;
  filesTotal: number;
  /** The file being read (workspace-relative). */
  file: string;
  responses: number;
}
export const ScanProgressNotification = notification<ScanProgress>('refusalLens/scanProgress');

export interface ScanRows {
  scanId: string;
  rows: ResultRow[];
}
export const ScanRowsNotification = notification<ScanRows>('refusalLens/scanRows');

export interface ClassifyTextParams {
  text: string;
  /** The document the text came from, for its settings (threshold); null for typed text. */
  uri: string | null;
}
export interface ClassifyTextResult {
  label: 'refusal' | 'normal';
  score: number;
  threshold: number;
  detector: DetectorInfo;
  /** The deciding sentence, when the detector knows it (offsets into the text sent). */
  sentence: { start: number; end: number; text: string } | null;
  /** Why the detector is not the one asked for (lexical fallback or restricted mode). */
  notice: string | null;
}
export const ClassifyTextRequest = request<ClassifyTextParams, ClassifyTextResult>('refusalLens/classifyText');

export interface ModelStatus {
  /** loading: the detector is being prepared; ready: it classifies; the notice says what fell back. */
  state: 'loading' | 'ready';
  preference: 'auto' | 'model' | 'lexical';
  detector: DetectorInfo | null;
  notice: string | null;
  restricted: boolean;
  /** The configured model folder ('' = none). */
  modelPath: string;
  /** Texts classified since the server started (cache hits excluded). */
  classified: number;
  /** The model's precision and its int8 check, in words (e.g. `int8 (verified: labels agree on 106/106 texts, ...)`); null for the lexical detector. */
  precision: string | null;
}
export const ModelStatusRequest = request0<ModelStatus>('refusalLens/modelStatus');

export interface DownloadModelParams {
  downloadId: string;
}
export interface DownloadModelResult {
  ok: boolean;
  /** What happened, for the user (where the model went, or why it did not). */
  message: string;
  /** The model folder, when ok. */
  path: string | null;
}
/** Downloads the model into the extension's storage (cancellable with the request's token). */
export const DownloadModelRequest = request<DownloadModelParams, DownloadModelResult>('refusalLens/downloadModel');

export interface DownloadProgress {
  downloadId: string;
  /** Bytes so far and in all (total null when unknown). */
  received: number;
  total: number | null;
  file: string;
}
export const DownloadProgressNotification = notification<DownloadProgress>('refusalLens/downloadProgress');

/** Report formats Export Report writes (the CLI's own JSON, CSV and SARIF). */
export const EXPORT_FORMATS = ['json', 'csv', 'sarif'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportReportParams {
  /** file: URIs of the result files to report on (read from disk). */
  uris: string[];
  format: ExportFormat;
  /** file: URI of the report to write; never one of `uris`. */
  target: string;
}
export interface ExportReportResult {
  ok: boolean;
  /** What was written, or why not. */
  message: string;
  files: number;
  responses: number;
}
/**
 * Writes a report of whole responses (the CLI's report formats) to the target, atomically
 * (cancellable with the request's token: nothing is left behind).
 */
export const ExportReportRequest = request<ExportReportParams, ExportReportResult>('refusalLens/exportReport');

export interface CompareFilesParams {
  /** Chosen by the client; tags this comparison's progress notifications. */
  compareId: string;
  /** file: URIs of the two runs, read from disk. */
  oldUri: string;
  newUri: string;
  key: CompareKey;
}
export interface CompareFilesResult {
  ok: boolean;
  /** Why not (when not ok), or a one-line summary. */
  message: string;
  cancelled: boolean;
  summary: CompareSummary | null;
  /** The changed and still-refused pairs, one row per NEW response (its `diff` names the OLD one), in NEW's order. */
  rows: ResultRow[];
}
/**
 * Compares two result files on disk with the server's detector (the CLI's `diff`), cancellable
 * with the request's token; progress by CompareProgressNotification.
 */
export const CompareFilesRequest = request<CompareFilesParams, CompareFilesResult>('refusalLens/compareFiles');

export interface CompareProgress {
  compareId: string;
  /** The run being read. */
  side: 'old' | 'new';
  file: string;
  /** Bytes of that file read so far, and its size. */
  done: number;
  total: number;
}
export const CompareProgressNotification = notification<CompareProgress>('refusalLens/compareProgress');

export interface ClassifiedCount {
  /** Texts sent to a detector since the server started (texts answered from the cache are not counted). */
  texts: number;
}
/** For tests: proves that an edit re-classifies only the responses it changed. */
export const ClassifiedCountRequest = request0<ClassifiedCount>('refusalLens/classifiedCount');

/** What the client passes in `initialize`. */
export interface InitializationOptions {
  /** vscode.workspace.isTrusted; untrusted workspaces get the lexical detector only. */
  trusted: boolean;
  /** The extension's global storage folder (where downloaded models go). */
  storagePath: string | null;
  /** The extension's own folder (its `models/` folder is searched for a model). */
  extensionPath: string | null;
}

export function parseInitializationOptions(raw: unknown): InitializationOptions {
  const o = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  return {
    // untrusted unless the client says otherwise: a missing flag must not unlock the model
    trusted: o.trusted === true,
    storagePath: typeof o.storagePath === 'string' ? o.storagePath : null,
    extensionPath: typeof o.extensionPath === 'string' ? o.extensionPath : null,
  };
}

/** The status text of a rate: "12.5%". */
export function formatRate(rate: number): string {
  const pct = rate * 100;
  return `${pct === 0 || pct === 100 ? pct.toFixed(0) : pct.toFixed(1)}%`;
}
