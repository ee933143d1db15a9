import * as path from 'node:path';
import { CancelledError } from '../classify/detector';
import { scanFile } from '../engine/scan';
import { SummaryBuilder } from '../engine/summary';
import { AtomicFile } from '../reports/atomicFile';
import { Output } from '../reports/output';
import { createReport } from '../reports/reportFactory';
import { EXPORT_FORMATS, type ExportReportParams, type ExportReportResult } from '../shared/protocol';
import type { DetectorHost } from './detectorHost';
import { fsPathOf } from './documentUri';
import type { SettingsCache } from './settingsCache';
import { scanSettingsFor } from './scanSettings';
import { errorMessage, type ServerHost } from './serverHost';

/**
 * Export Report: the CLI's JSON, CSV or SARIF report of whole responses, for files read from
 * disk, written through a temporary file renamed into place. It refuses to write over any of
 * the files it reports on, and never leaves a partial report behind.
 */
export class ReportExporter {
  constructor(
    private readonly o: { host: ServerHost; detectors: DetectorHost; settings: SettingsCache; workspaceFolders: () => readonly string[] },
  ) {}

  async run(params: ExportReportParams, signal: AbortSignal): Promise<ExportReportResult> {
    const fail = (message: string): ExportReportResult => ({ ok: false, message, files: 0, responses: 0 });
    if (!(EXPORT_FORMATS as readonly string[]).includes(params.format)) return fail(`Unknown report format "${params.format}"; known: ${EXPORT_FORMATS.join(', ')}`);
    const target = fsPathOf(params.target);
    if (!target) return fail('Reports are written to files on disk only.');
    const sources = params.uris.flatMap((uri) => {
      const p = fsPathOf(uri);
      return p ? [{ uri, path: p }] : [];
    });
    if (sources.length === 0) return fail('There are no result files on disk to report on.');
    const same = (a: string, b: string) => (process.platform === 'linux' ? a === b : a.toLowerCase() === b.toLowerCase());
    if (sources.some((s) => same(path.resolve(s.path), path.resolve(target)))) return fail(`${target} is one of the result files: the report must go to another file.`);

    const folders = this.o.workspaceFolders();
    const file = new AtomicFile(target);
    const out = new Output(file.stream);
    const report = createReport(params.format, out, folders[0] ?? path.dirname(target));
    const summary = new SummaryBuilder();
    try {
      const active = await this.o.detectors.get();
      for (const { uri, path: source } of sources) {
        if (signal.aborted) throw new CancelledError();
        const settings = await this.o.settings.get(uri);
        summary.addFile();
        await scanFile(
          source,
          active.detector,
          scanSettingsFor(settings, source, folders),
          {
            fileStarted: (p) => report.fileStarted?.(p),
            verdicts: (p, v) => {
              summary.addVerdicts(v);
              report.verdicts?.(p, v);
            },
            errors: (p, e) => {
              summary.addErrors(e);
              report.errors?.(p, e);
            },
            fileDone: (p, f) => report.fileDone?.(p, f),
          },
          signal,
        );
        await report.flush();
      }
      const totals = summary.build();
      report.finish(totals);
      await report.flush();
      await file.commit();
      return { ok: true, message: `Wrote a ${params.format.toUpperCase()} report of ${totals.responses} responses from ${totals.files} files to ${target}.`, files: totals.files, responses: totals.responses };
    } catch (e) {
      await file.discard().catch(() => {});
      if (e instanceof CancelledError || signal.aborted) return fail('Export cancelled: no report was written.');
      this.o.host.log.error(`Writing the report ${target} failed`, e);
      return fail(`Could not write the report: ${errorMessage(e)}`);
    }
  }
}
