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
      // one at a time: a file read whole comes as one batch, too long to spread into push's arguments
      verdicts: (_p, v) => appendAll(result.verdicts, v),
      errors: (_p, e) => appendAll(result.errors, e),
      fileDone: (_p, f) => (result.format = f),
      bytes: onBytes && ((_p, done, total) => onBytes(done, total)),
    },
    signal,
  );
  return result;
}

function appendAll<T>(to: T[], items: readonly T[]): void {
  for (const item of items) to.push(item);
}
