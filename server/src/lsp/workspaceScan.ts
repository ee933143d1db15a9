import type { Diagnostic } from 'vscode-languageserver';
import { CancelledError } from '../classify/detector';
import { scanFile } from '../engine/scan';
import type { ParseErrorRecord } from '../formats/records';
import type { ResultRow } from '../shared/resultRow';
import type { ScanResult, ScanWorkspaceParams } from '../shared/protocol';
import type { DetectorHost } from './detectorHost';
import { parseErrorDiagnostics, refusalDiagnostics } from './diagnostics';
import type { DocumentTracker } from './documentTracker';
import { displayPath, fsPathOf } from './documentUri';
import { toResultRow } from './resultRows';
import { scanSettingsFor } from './scanSettings';
import type { SettingsCache } from './settingsCache';
import type { ServerHost } from './serverHost';

const ROWS_PER_MESSAGE = 500;
const PROGRESS_INTERVAL_MS = 100;

export interface ScannerOptions {
  host: ServerHost;
  detectors: DetectorHost;
  settings: SettingsCache;
  tracker: DocumentTracker;
  workspaceFolders: () => readonly string[];
}

/**
 * Scan Workspace: files on disk read with the engine (JSONL streamed), one at a time, rows
 * streamed to the client, diagnostics published for files not open in the editor (open ones keep
 * their live analysis). Files no format recognises are skipped quietly, unless a glob names them.
 * A finished scan clears the diagnostics an earlier one gave files it no longer reports on
 * (unrecognised now, unreadable, or gone).
 */
export class WorkspaceScanner {
  /** Files not open in the editor that hold diagnostics a scan published. */
  private readonly withDiagnostics = new Set<string>();

  constructor(private readonly o: ScannerOptions) {}

  async scan(params: ScanWorkspaceParams, signal: AbortSignal): Promise<ScanResult> {
    const { host } = this.o;
    const result: ScanResult = { scanId: params.scanId, files: 0, skipped: 0, responses: 0, refusals: 0, overRefusals: 0, parseErrors: 0, cancelled: false };
    const active = await this.o.detectors.get();
    let rows: ResultRow[] = [];
    const flushRows = () => {
      if (rows.length === 0) return;
      host.sendScanRows({ scanId: params.scanId, rows });
      rows = [];
    };
    let lastProgress = 0;
    let filesDone = 0;
    const published = new Set<string>();
    try {
      for (let i = 0; i < params.uris.length; i++, filesDone = i) {
        if (signal.aborted) throw new CancelledError();
        const uri = params.uris[i];
        const fsPath = fsPathOf(uri);
        if (!fsPath) continue;
        const file = displayPath(uri, this.o.workspaceFolders());
        const now = Date.now();
        if (i === 0 || now - lastProgress >= PROGRESS_INTERVAL_MS) {
          lastProgress = now;
          host.sendScanProgress({ scanId: params.scanId, filesDone: i, filesTotal: params.uris.length, file, responses: result.responses });
        }
        const settings = await this.o.settings.get(uri);
        const scan = scanSettingsFor(settings, fsPath, this.o.workspaceFolders());
        const diagnostics: Diagnostic[] = [];
        const errors: ParseErrorRecord[] = [];
        const fileRows: ResultRow[] = [];
        let format: string | null = null;
        try {
          await scanFile(
            fsPath,
            active.detector,
            scan,
            {
              verdicts: (_p, verdicts) => {
                diagnostics.push(...refusalDiagnostics(uri, verdicts, settings.severity));
                // rows wait for the file's format to be known (it names the rows' format)
                for (const v of verdicts) fileRows.push(toResultRow(v, uri, file, null));
              },
              errors: (_p, e) => errors.push(...e),
              fileDone: (_p, f) => (format = f),
            },
            signal,
          );
        } catch (e) {
          if (e instanceof CancelledError || signal.aborted) throw e;
          host.log.error(`Scanning ${file} failed`, e);
          result.parseErrors++;
          continue;
        }
        if (format === null && scan.inputFormat === null && fileRows.length === 0) {
          result.skipped++;
          continue;
        }
        result.files++;
        for (const row of fileRows) {
          row.format = format ?? scan.inputFormat;
          result.responses++;
          if (row.label === 'refusal') result.refusals++;
          if (row.overRefusal) result.overRefusals++;
          rows.push(row);
          if (rows.length >= ROWS_PER_MESSAGE) flushRows();
        }
        const errorDiagnostics = parseErrorDiagnostics(errors);
        result.parseErrors += errorDiagnostics.length;
        if (!this.o.tracker.isOpen(uri)) {
          const all = [...diagnostics, ...errorDiagnostics];
          host.publishDiagnostics(uri, all);
          published.add(uri);
          if (all.length > 0) this.withDiagnostics.add(uri);
          else this.withDiagnostics.delete(uri);
        }
      }
    } catch (e) {
      if (!(e instanceof CancelledError) && !signal.aborted) throw e;
      result.cancelled = true;
    }
    if (!result.cancelled) {
      for (const uri of this.withDiagnostics) {
        if (published.has(uri)) continue;
        // an open file's diagnostics are its live analysis' (cleared when it closes)
        if (!this.o.tracker.isOpen(uri)) host.publishDiagnostics(uri, []);
        this.withDiagnostics.delete(uri);
      }
    }
    flushRows();
    host.sendScanProgress({ scanId: params.scanId, filesDone, filesTotal: params.uris.length, file: '', responses: result.responses });
    return result;
  }
}
