import type { Detector } from '../classify/detector';
import { throwIfCancelled } from '../classify/detector';
import type { ParseErrorRecord } from '../formats/records';
import { makeVerdict, type Verdict, type VerdictOptions } from '../verdicts/verdict';
import { extractFile, type FileSourceOptions } from './fileSource';

/** What a scan reports as it goes; reports and progress bars implement it. */
export interface ScanObserver {
  fileStarted?(path: string): void;
  verdicts?(path: string, verdicts: readonly Verdict[]): void;
  errors?(path: string, errors: readonly ParseErrorRecord[]): void;
  fileDone?(path: string, format: string | null): void;
  /** Bytes of the current file read so far, after each chunk (for progress and ETA). */
  bytes?(path: string, done: number, total: number): void;
  /** Responses of the current chunk classified so far (a model takes seconds per chunk). */
  classified?(path: string, done: number, total: number): void;
  /** Awaited after each chunk: lets a report drain its output before more is read. */
  flush?(): Promise<void>;
}

export interface ScanSettings extends FileSourceOptions, VerdictOptions {}

/**
 * Scans one file: extraction streams chunks, each chunk is classified as a batch, verdicts go to
 * the observer. Errors in the file become error records; only cancellation rejects.
 */
export async function scanFile(
  filePath: string,
  detector: Detector,
  settings: ScanSettings,
  observer: ScanObserver,
  signal?: AbortSignal,
): Promise<void> {
  observer.fileStarted?.(filePath);
  const file = extractFile(filePath, settings);
  for await (const chunk of file.chunks) {
    throwIfCancelled(signal);
    const { done, total } = file.bytes();
    observer.bytes?.(filePath, done, total);
    if (chunk.errors.length) observer.errors?.(filePath, chunk.errors);
    if (chunk.responses.length === 0) continue;
    const classes = await detector.classify(
      chunk.responses.map((r) => r.text),
      { signal, onProgress: observer.classified && ((done, total) => observer.classified!(filePath, done, total)) },
    );
    observer.verdicts?.(
      filePath,
      chunk.responses.map((r, i) => makeVerdict(r, classes[i], detector, settings)),
    );
    await observer.flush?.();
  }
  observer.fileDone?.(filePath, file.format());
}
