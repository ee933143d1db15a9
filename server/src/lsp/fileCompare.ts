import * as fs from 'node:fs/promises';
import { CancelledError } from '../classify/detector';
import { collectVerdicts, type FileVerdicts } from '../engine/collect';
import { diffRuns } from '../engine/diff';
import { COMPARE_KEYS, formatRate, type CompareFilesParams, type CompareFilesResult } from '../shared/protocol';
import type { DetectorHost } from './detectorHost';
import { compareSummary, diffRows, type RunPlace } from './diffRows';
import { displayPath, fsPathOf } from './documentUri';
import type { SettingsCache } from './settingsCache';
import { scanSettingsFor } from './scanSettings';
import { errorMessage, type ServerHost } from './serverHost';

const PROGRESS_INTERVAL_MS = 100;

/**
 * Compare With...: two result files read from disk with the server's detector and settings (as
 * Export Report reads them), matched by the engine's diffRuns, returned as panel rows of the
 * pairs that changed or stayed refused, with the runs' rates before and after.
 */
export class FileComparer {
  constructor(
    private readonly o: { host: ServerHost; detectors: DetectorHost; settings: SettingsCache; workspaceFolders: () => readonly string[] },
  ) {}

  async run(params: CompareFilesParams, signal: AbortSignal): Promise<CompareFilesResult> {
    const fail = (message: string, cancelled = false): CompareFilesResult => ({ ok: false, message, cancelled, summary: null, rows: [] });
    if (!(COMPARE_KEYS as readonly string[]).includes(params.key)) return fail(`Unknown matching key "${String(params.key)}"; known: ${COMPARE_KEYS.join(', ')}`);
    const folders = this.o.workspaceFolders();
    const sides = [
      { side: 'old' as const, uri: String(params.oldUri) },
      { side: 'new' as const, uri: String(params.newUri) },
    ].map((s) => ({ ...s, path: fsPathOf(s.uri), file: displayPath(s.uri, folders) }));
    for (const s of sides) {
      if (!s.path) return fail(`${s.file} is not a file on disk: Compare With... reads result files from disk.`);
      const stat = await fs.stat(s.path).catch(() => null);
      if (!stat?.isFile()) return fail(`${s.file} is not a file.`);
    }
    try {
      const active = await this.o.detectors.get();
      const runs: Array<{ place: RunPlace; read: FileVerdicts }> = [];
      for (const s of sides) {
        if (signal.aborted) throw new CancelledError();
        const scan = scanSettingsFor(await this.o.settings.get(s.uri), s.path!, folders);
        let last = 0;
        const read = await collectVerdicts(
          s.path!,
          active.detector,
          scan,
          signal,
          (done, total) => {
            const now = Date.now();
            if (now - last < PROGRESS_INTERVAL_MS && done < total) return;
            last = now;
            this.o.host.sendCompareProgress({ compareId: params.compareId, side: s.side, file: s.file, done, total });
          },
        );
        if (read.verdicts.length === 0) {
          const why = read.errors.length ? ` (${read.errors[0].message})` : read.format === null ? ': no format Refusal Lens reads recognises it' : '';
          return fail(`${s.file} holds no responses to compare${why}.`);
        }
        runs.push({ place: { uri: s.uri, file: s.file, format: read.format ?? scan.inputFormat }, read });
      }
      const [oldRun, newRun] = runs;
      const diff = diffRuns(oldRun.read.verdicts, newRun.read.verdicts, params.key);
      const summary = compareSummary(diff, params.key, oldRun.place, newRun.place, { old: oldRun.read.errors.length, new: newRun.read.errors.length });
      const rows = diffRows(diff, newRun.read.verdicts, oldRun.place, newRun.place);
      const matched = summary.newlyRefused + summary.newlyAnswered + summary.stillRefused + summary.stillAnswered;
      const unmatched = matched === 0 && (summary.onlyOld > 0 || summary.onlyNew > 0) ? ` No response matched by ${params.key}: try another key.` : '';
      const message = `${summary.newlyRefused} newly refused, ${summary.newlyAnswered} newly answered, ${summary.stillRefused} still refused; refusal rate ${formatRate(summary.old.rate)} → ${formatRate(summary.new.rate)}.${unmatched}`;
      return { ok: true, message, cancelled: false, summary, rows };
    } catch (e) {
      if (e instanceof CancelledError || signal.aborted) return fail('Comparison cancelled.', true);
      this.o.host.log.error(`Comparing ${sides[0].file} with ${sides[1].file} failed`, e);
      return fail(`Could not compare the files: ${errorMessage(e)}`);
    }
  }
}
