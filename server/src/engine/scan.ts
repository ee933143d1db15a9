import type { Classification, Detector } from '../classify/detector';
import { throwIfCancelled } from '../classify/detector';
import type { ParseErrorRecord } from '../formats/records';
import { makeVerdict, type Verdict, type VerdictOptions } from '../verdicts/verdict';
import { extractFile, type FileChunk, type FileSourceOptions } from './fileSource';

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
 * How many chunks are read and sent to classification ahead of the one being delivered: while a
 * detector that runs elsewhere (the model's worker, the lexical worker pool) classifies them,
 * this thread reads and extracts the next ones. Bounds memory to (1 + READ_AHEAD) chunks a file.
 */
const READ_AHEAD = 2;

interface InFlight {
  chunk: FileChunk;
  /** Bytes read when this chunk was complete. */
  done: number;
  total: number;
  classes: Promise<Classification[]> | null;
}

/**
 * Scans one file: extraction streams chunks, each chunk is classified as a batch, verdicts go to
 * the observer, chunk after chunk in file order (bytes, errors, verdicts, then flush is awaited).
 * Errors in the file become error records; only cancellation rejects.
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
  const queue: InFlight[] = [];
  const deliver = async (): Promise<void> => {
    const head = queue[0];
    observer.bytes?.(filePath, head.done, head.total);
    if (head.chunk.errors.length) observer.errors?.(filePath, head.chunk.errors);
    if (head.classes) {
      const classes = await head.classes;
      throwIfCancelled(signal);
      const responses = head.chunk.responses;
      observer.verdicts?.(
        filePath,
        responses.map((r, i) => makeVerdict(r, classes[i], detector, settings)),
      );
      queue.shift();
      await observer.flush?.();
    } else queue.shift();
  };
  try {
    for await (const chunk of file.chunks) {
      throwIfCancelled(signal);
      const { done, total } = file.bytes();
      const entry: InFlight = { chunk, done, total, classes: null };
      if (chunk.responses.length > 0) {
        // progress within a chunk is shown for the chunk being delivered
        const onProgress = observer.classified && ((d: number, t: number) => queue[0] === entry && observer.classified!(filePath, d, t));
        entry.classes = detector.classify(
          chunk.responses.map((r) => r.text),
          { signal, onProgress: onProgress || undefined },
        );
        entry.classes.catch(() => undefined); // awaited in order; a later chunk's failure must not go unhandled meanwhile
      }
      queue.push(entry);
      while (queue.length > READ_AHEAD || (queue.length > 0 && !queue[0].classes)) await deliver();
    }
    while (queue.length > 0) await deliver();
  } finally {
    queue.length = 0;
  }
  observer.fileDone?.(filePath, file.format());
}
