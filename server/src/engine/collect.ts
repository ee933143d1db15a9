import type { Detector } from '../classify/detector';
import type { ParseErrorRecord } from '../formats/records';
import type { Verdict } from '../verdicts/verdict';
import { scanFile, type ScanSettings } from './scan';

export interface FileVerdicts {
  path: string;
  format: string | null;
  verdicts: Verdict[];
  errors: ParseErrorRecord[];
}

/**
 * Every verdict of one file, held in memory (for diffs and the editor; reports stream instead).
 * `onBytes`: bytes of the file read so far and its size, after each chunk (progress).
 */
export async function collectVerdicts(filePath: string, detector: Detector, settings: ScanSettings, signal?: AbortSignal, onBytes?: (done: number, total: number) => void): Promise<FileVerdicts> {
  const result: FileVerdicts = { path: filePath, format: null, verdicts: [], errors: [] };
  await scanFile(
    filePath,
    detector,
    settings,
    {
      verdicts: (_p, v) => result.verdicts.push(...v),
      errors: (_p, e) => result.errors.push(...e),
      fileDone: (_p, f) => (result.format = f),
      bytes: onBytes && ((_p, done, total) => onBytes(done, total)),
    },
    signal,
  );
  return result;
}
