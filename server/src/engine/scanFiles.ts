import type { Detector } from '../classify/detector';
import type { ParseErrorRecord } from '../formats/records';
import type { Verdict } from '../verdicts/verdict';
import { scanFile, type ScanObserver, type ScanSettings } from './scan';

export interface ScanFilesOptions {
  /** Files scanned at the same time (the CLI: the core count). */
  concurrency: number;
  /**
   * Responses a file that is not yet being reported may hold before its scan waits (default
   * 2048). With scanFile's read-ahead, a waiting file holds at most this plus three chunks.
   */
  maxBufferedResponses?: number;
}

/**
 * Scans several files at once and reports them as if one after another: the observer sees
 * fileStarted, errors, verdicts and fileDone file by file, in input order (reports stay ordered),
 * while the files after the one being reported are read and classified meanwhile. Their events
 * wait in memory, a bounded amount each (maxBufferedResponses): past it, a file's scan pauses
 * until its turn comes, so memory stays within concurrency x (that bound + a few chunks).
 * Progress events (bytes, classified) are passed on as they happen. When one scan fails
 * (cancellation, a detector that died), the others are stopped and the first failure is thrown.
 */
export async function scanFiles(
  files: readonly string[],
  detector: Detector,
  settings: ScanSettings,
  observer: ScanObserver,
  options: ScanFilesOptions,
  signal?: AbortSignal,
): Promise<void> {
  if (files.length === 0) return;
  const limit = options.maxBufferedResponses ?? 2048;
  const slots = files.map(() => new OrderedFile(observer, limit));
  const stop = new AbortController();
  const scanSignal = signal ? AbortSignal.any([signal, stop.signal]) : stop.signal;
  const releaseAll = () => slots.forEach((s) => s.abandon());
  scanSignal.addEventListener('abort', releaseAll, { once: true });
  let head = 0;
  let next = 0;
  let failure: { error: unknown } | null = null;
  let reporting: Promise<void> = Promise.resolve();

  /** Hands the turn on to the next files, as far as they are finished; each replays what it buffered. */
  const advance = async (): Promise<void> => {
    while (head < slots.length && slots[head].finished) {
      head++;
      if (head < slots.length) await slots[head].takeTurn();
    }
  };

  const run = async (): Promise<void> => {
    while (next < files.length && !failure) {
      const index = next++;
      const slot = slots[index];
      try {
        await scanFile(files[index], detector, settings, slot.observer(), scanSignal);
      } catch (e) {
        failure ??= { error: e };
        stop.abort();
        return;
      }
      slot.finished = true;
      if (index === head) {
        reporting = reporting.then(advance);
        await reporting;
      }
    }
  };

  try {
    await slots[0].takeTurn();
    await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, files.length)) }, run));
    await reporting;
  } finally {
    scanSignal.removeEventListener('abort', releaseAll);
  }
  if (failure) throw (failure as { error: unknown }).error;
}

interface OrderedEvent {
  run(): void;
  /** A batch of verdicts: the output is drained after it when replayed. */
  verdicts: boolean;
}

/** One file's events: passed straight on during its turn, buffered before it. */
class OrderedFile {
  finished = false;
  private current = false;
  private abandoned = false;
  private readonly events: OrderedEvent[] = [];
  private buffered = 0;
  private waiting: (() => void) | null = null;

  constructor(
    private readonly target: ScanObserver,
    private readonly limit: number,
  ) {}

  observer(): ScanObserver {
    const t = this.target;
    return {
      fileStarted: (p) => this.ordered(() => t.fileStarted?.(p)),
      verdicts: (p, v: readonly Verdict[]) => {
        if (!this.current) this.buffered += v.length;
        this.ordered(() => t.verdicts?.(p, v), true);
      },
      errors: (p, e: readonly ParseErrorRecord[]) => this.ordered(() => t.errors?.(p, e)),
      fileDone: (p, f) => this.ordered(() => t.fileDone?.(p, f)),
      bytes: t.bytes && ((p, d, n) => t.bytes!(p, d, n)),
      classified: t.classified && ((p, d, n) => t.classified!(p, d, n)),
      flush: () => {
        if (this.current) return t.flush?.() ?? Promise.resolve();
        if (this.buffered <= this.limit || this.abandoned) return Promise.resolve();
        return new Promise<void>((resolve) => (this.waiting = resolve));
      },
    };
  }

  /** This file's turn: what it buffered goes out (the output drained between chunks), then the rest goes straight. */
  async takeTurn(): Promise<void> {
    while (this.events.length > 0) {
      for (const e of this.events.splice(0)) {
        e.run();
        if (e.verdicts) await this.target.flush?.();
      }
    }
    this.current = true;
    this.buffered = 0;
    this.release();
  }

  /** The scan is being stopped: a scan waiting for its turn goes on (and meets the cancellation). */
  abandon(): void {
    this.abandoned = true;
    this.release();
  }

  private release(): void {
    const w = this.waiting;
    this.waiting = null;
    w?.();
  }

  private ordered(run: () => void, verdicts = false): void {
    if (this.current) run();
    else this.events.push({ run, verdicts });
  }
}
