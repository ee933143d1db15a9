import * as os from 'node:os';
import type { Worker } from 'node:worker_threads';
import { CancelledError, type Classification, type ClassifyOptions, type Detector } from '../detector';
import { findWorkerEntry, startWorker } from '../workerThreads';
import type { PoolReply, PoolRequest } from './poolProtocol';

/**
 * A worker's heap: the detector keeps no state, so a small young generation does (V8's default
 * grows to 48 MB a worker, and the old generation with it): on a 1 GB scan with two workers the
 * process peaks at 235 MB instead of 340 MB. The old generation keeps its default limit (a single
 * response may be tens of MB).
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 8 };

/** Workers by default: one per core, at most this many (each costs memory; the main thread reads for all). */
export const MAX_DEFAULT_WORKERS = 8;

/** Texts sent to a worker at once: small enough to spread a chunk over the workers, large enough to keep messages few. */
const SLICE = 128;

interface Job {
  resolve(reply: PoolReply): void;
  reject(e: Error): void;
}

interface PoolWorker {
  worker: Worker;
  /** Slices sent and not answered yet. */
  busy: number;
}

/**
 * The lexical detector run in worker threads, one per core: the same detector (same kind, name
 * and results), so a CLI scan uses every core while the main thread reads files. Each classify
 * call is cut into slices spread over the least busy workers; results come back in order.
 * Cancelled calls reject at once (slices already sent finish unseen). Workers start on first use
 * and never keep the process alive when idle; dispose stops them for good.
 */
export class LexicalPool implements Detector {
  readonly kind = 'lexical' as const;
  readonly name = 'lexical';
  private workers: PoolWorker[] | null = null;
  private readonly jobs = new Map<number, Job>();
  private nextId = 1;
  private failure: Error | null = null;
  /** Set by dispose: a disposed pool never starts workers again (a late call would leak them). */
  private disposed = false;

  constructor(
    readonly size: number = Math.min(os.availableParallelism(), MAX_DEFAULT_WORKERS),
    private readonly workerFile: string = defaultLexicalWorkerFile(),
  ) {}

  async classify(texts: readonly string[], options: ClassifyOptions = {}): Promise<Classification[]> {
    const { signal } = options;
    if (this.failure) throw this.failure;
    if (signal?.aborted || this.disposed) throw new CancelledError();
    if (texts.length === 0) return [];
    const workers = this.start();
    const out: Classification[] = new Array(texts.length);
    let done = 0;
    const slices: Promise<void>[] = [];
    for (let from = 0; from < texts.length; from += SLICE) {
      const slice = texts.slice(from, from + SLICE);
      const target = workers.reduce((a, b) => (b.busy < a.busy ? b : a));
      slices.push(
        this.send(target, slice).then((reply) => {
          if (reply.error !== undefined) throw new Error(`The lexical detector failed: ${reply.error}`);
          for (let i = 0; i < slice.length; i++) {
            out[from + i] = { score: reply.scores[i], sentence: reply.starts[i] >= 0 ? { start: reply.starts[i], end: reply.ends[i] } : null };
          }
          done += slice.length;
          if (!signal?.aborted) options.onProgress?.(done, texts.length);
        }),
      );
    }
    let onAbort: (() => void) | null = null;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(new CancelledError());
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    aborted.catch(() => undefined);
    try {
      await Promise.race([Promise.all(slices), aborted]);
    } finally {
      if (onAbort) signal?.removeEventListener('abort', onAbort);
    }
    return out;
  }

  /** Stops the workers; calls still waiting for them reject with CancelledError. */
  async dispose(): Promise<void> {
    const workers = this.workers ?? [];
    this.workers = null;
    this.disposed = true;
    this.rejectWaiting(new CancelledError());
    await Promise.all(workers.map((w) => w.worker.terminate()));
  }

  private send(target: PoolWorker, texts: string[]): Promise<PoolReply> {
    const id = this.nextId++;
    target.busy++;
    if (target.busy === 1) target.worker.ref();
    return new Promise<PoolReply>((resolve, reject) => {
      this.jobs.set(id, {
        resolve: (reply) => {
          target.busy--;
          if (target.busy === 0) target.worker.unref();
          resolve(reply);
        },
        reject,
      });
      const req: PoolRequest = { id, texts };
      target.worker.postMessage(req);
    });
  }

  private start(): PoolWorker[] {
    if (this.failure) throw this.failure;
    if (this.workers) return this.workers;
    const workers: PoolWorker[] = [];
    for (let i = 0; i < Math.max(1, this.size); i++) {
      const worker = startWorker(this.workerFile, { resourceLimits: WORKER_LIMITS });
      worker.unref();
      worker.on('message', (reply: PoolReply) => {
        const job = this.jobs.get(reply.id);
        this.jobs.delete(reply.id);
        job?.resolve(reply);
      });
      worker.on('error', (e) => this.fail(e));
      worker.on('exit', (code) => {
        if (this.workers?.some((w) => w.worker === worker)) this.fail(new Error(`A lexical worker stopped (exit code ${code})`));
      });
      workers.push({ worker, busy: 0 });
    }
    this.workers = workers;
    return workers;
  }

  /** A worker died: every waiting call fails (the lexical detector does not crash on texts: this is a bug). */
  private fail(e: Error): void {
    this.failure = e;
    this.rejectWaiting(e);
    void this.dispose();
  }

  private rejectWaiting(e: Error): void {
    for (const job of this.jobs.values()) job.reject(e);
    this.jobs.clear();
  }
}

/** dist/lexicalWorker.js beside the bundle running this code, else the TypeScript source beside this file. */
export function defaultLexicalWorkerFile(): string {
  const { found, candidates } = findWorkerEntry(__dirname, 'lexicalWorker');
  return found ?? candidates[0];
}
