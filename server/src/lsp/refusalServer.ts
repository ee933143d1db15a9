import type { Hover, Position } from 'vscode-languageserver';
import { ZERO_RANGE, type ResponseRecord } from '../formats/records';
import { makeVerdict } from '../verdicts/verdict';
import type {
  ClassifiedCount,
  ClassifyTextParams,
  ClassifyTextResult,
  CompareFilesParams,
  CompareFilesResult,
  DocumentRows,
  DocumentRowsParams,
  DownloadModelParams,
  DownloadModelResult,
  ExportReportParams,
  ExportReportResult,
  InitializationOptions,
  ModelStatus,
  ScanResult,
  ScanWorkspaceParams,
} from '../shared/protocol';
import { DetectorHost, engineDetectorFactory, type DetectorFactory } from './detectorHost';
import { DocumentTracker, type OpenDocument } from './documentTracker';
import { displayPath } from './documentUri';
import { FileComparer } from './fileCompare';
import { hoverFor, verdictAt } from './hover';
import { ModelDownloads, type DownloadFn } from './modelDownloads';
import { ReportExporter } from './reportExport';
import { toResultRow } from './resultRows';
import type { ServerHost } from './serverHost';
import { SettingsCache } from './settingsCache';
import { WorkspaceScanner } from './workspaceScan';

export interface RefusalServerOptions {
  /** Workspace folders as file system paths. */
  workspaceFolders?: string[];
  detectorFactory?: DetectorFactory;
  download?: DownloadFn | null;
  /** Debounce by document size (tests pass `() => 0`). */
  delay?: (chars: number) => number;
}

/**
 * The language server's logic, one object per server process: documents in, diagnostics, stats
 * and rows out, and the custom requests. `main.ts` connects it to LSP; tests drive it directly.
 */
export class RefusalServer {
  readonly settings: SettingsCache;
  readonly detectors: DetectorHost;
  readonly tracker: DocumentTracker;
  private readonly scanner: WorkspaceScanner;
  private readonly downloads: ModelDownloads;
  private readonly exporter: ReportExporter;
  private readonly comparer: FileComparer;
  private folders: string[];

  constructor(
    private readonly host: ServerHost,
    init: InitializationOptions,
    options: RefusalServerOptions = {},
  ) {
    this.folders = options.workspaceFolders ?? [];
    this.settings = new SettingsCache((uri) => host.configuration(uri), host.log);
    this.detectors = new DetectorHost(options.detectorFactory ?? engineDetectorFactory, init, () => this.settings.get(null), host.log);
    const workspaceFolders = () => this.folders;
    this.tracker = new DocumentTracker({ host, detectors: this.detectors, settings: this.settings, workspaceFolders, delay: options.delay });
    this.scanner = new WorkspaceScanner({ host, detectors: this.detectors, settings: this.settings, tracker: this.tracker, workspaceFolders });
    this.downloads = new ModelDownloads(host, init, options.download ?? null);
    this.exporter = new ReportExporter({ host, detectors: this.detectors, settings: this.settings, workspaceFolders });
    this.comparer = new FileComparer({ host, detectors: this.detectors, settings: this.settings, workspaceFolders });
  }

  /** Starts preparing the detector (a model takes seconds to load) before the first document needs it. */
  warmUp(): void {
    void this.detectors.get();
  }

  setWorkspaceFolders(folders: string[]): void {
    this.folders = folders;
  }

  documentChanged(doc: OpenDocument): void {
    this.tracker.update(doc);
  }

  documentClosed(uri: string): void {
    this.tracker.close(uri);
  }

  /** A `refusalLens` setting changed: ask for settings again and re-analyse open documents. */
  configurationChanged(): void {
    this.settings.clear();
    this.tracker.refreshAll();
  }

  hover(uri: string, position: Position): Hover | null {
    const result = this.tracker.result(uri);
    if (!result) return null;
    const v = verdictAt(result.verdicts, position);
    return v ? hoverFor(v, { threshold: result.settings.threshold, mode: result.settings.mode }) : null;
  }

  documentRows(params: DocumentRowsParams): DocumentRows | null {
    const result = this.tracker.result(params.uri);
    if (!result || result.format === null) return null;
    const file = displayPath(params.uri, this.folders);
    return { uri: params.uri, version: result.version, rows: result.verdicts.map((v) => toResultRow(v, params.uri, file, result.format)) };
  }

  async classifyText(params: ClassifyTextParams, signal?: AbortSignal): Promise<ClassifyTextResult> {
    const settings = await this.settings.get(params.uri);
    const active = await this.detectors.get();
    const text = typeof params.text === 'string' ? params.text : '';
    const [c] = await active.detector.classify([text], { signal });
    // a text with no place in a document: the verdict's label and score are what matter
    const response: ResponseRecord = { id: 'text', text, range: ZERO_RANGE, map: { textLength: text.length, range: () => ZERO_RANGE }, prompt: null, promptRange: null, model: null, expected: null, metadata: {} };
    const v = makeVerdict(response, c, active.detector, settings);
    return {
      label: v.label,
      score: v.score,
      threshold: settings.threshold,
      detector: active.info,
      sentence: c.sentence ? { start: c.sentence.start, end: c.sentence.end, text: text.slice(c.sentence.start, c.sentence.end) } : null,
      notice: DetectorHost.notice(active.fallback),
    };
  }

  modelStatus(): ModelStatus {
    return this.detectors.status();
  }

  classifiedCount(): ClassifiedCount {
    return { texts: this.detectors.classifiedCount };
  }

  scanWorkspace(params: ScanWorkspaceParams, signal: AbortSignal): Promise<ScanResult> {
    return this.scanner.scan(params, signal);
  }

  downloadModel(params: DownloadModelParams, signal: AbortSignal): Promise<DownloadModelResult> {
    return this.downloads.run(params, signal);
  }

  exportReport(params: ExportReportParams, signal: AbortSignal): Promise<ExportReportResult> {
    return this.exporter.run(params, signal);
  }

  compareFiles(params: CompareFilesParams, signal: AbortSignal): Promise<CompareFilesResult> {
    return this.comparer.run(params, signal);
  }

  async dispose(): Promise<void> {
    this.tracker.dispose();
    await this.detectors.dispose();
  }
}
