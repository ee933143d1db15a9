import type { Worker } from 'node:worker_threads';
import { CancelledError, type TextSpan } from '../detector';
import { findWorkerEntry, startWorker } from '../workerThreads';
import type { ClassifyMode, EngineOptions, ModelFiles, TextResult } from './inferenceEngine';
import { ModelLoadError } from './modelConfig';
import type { ClassifyRequest, FromWorker, LoadedInfo, StopRequest, WorkerData } from './workerProtocol';

/** How long a stopping worker may take to finish its current batch before it is terminated. */
const STOP_TIMEOUT_MS = 60_000;

/** The inference worker stopped while requests were waiting for it. */
export class InferenceWorkerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InferenceWorkerError';
  }
}

interface Pending {
  resolve(results: TextResult[]): void;
  reject(e: Error): void;
  cancel: Int32Array;
  onProgress?: (done: number) => void;
}

/**
 * The main-thread side of the inference worker: starts it on first use, sends requests, routes
 * answers. If the worker dies, every waiting request rejects with InferenceWorkerError and the
 * next request starts a new worker. The worker never keeps the process alive while idle.
 */
export class InferenceWorkerClient {
  private worker: Worker | null = null;
  private loaded: Promise<LoadedInfo> | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  /** Set by dispose, for good: no worker is started after it. */
  private disposed = false;
  /** session.run calls in the current worker. */
  runs = 0;
  /** Workers started so far (a restart after a crash counts). */
  starts = 0;

  constructor(
    private readonly model: ModelFiles,
    private readonly options: EngineOptions,
    private readonly workerFile: string = defaultWorkerFile(),
  ) {}

  /** Starts the worker if needed and waits for the model to load; rejects with ModelLoadError (CancelledError once disposed). */
  ready(): Promise<LoadedInfo> {
    if (this.disposed) return Promise.reject(new CancelledError());
    if (!this.loaded) this.start();
    return this.loaded!;
  }

  async classify(texts: string[], mode: ClassifyMode, maxTokens: number, options: { signal?: AbortSignal; onProgress?: (done: number) => void } = {}): Promise<TextResult[]> {
    const { signal } = options;
    if (signal?.aborted) throw new CancelledError();
    await this.ready();
    if (signal?.aborted) throw new CancelledError();
    const worker = this.worker;
    if (!worker) throw new InferenceWorkerError('The inference worker stopped while loading; the next request starts it again');
    const id = this.nextId++;
    const cancelBuffer = new SharedArrayBuffer(4);
    const cancel = new Int32Array(cancelBuffer);
    const onAbort = () => Atomics.store(cancel, 0, 1);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await new Promise<TextResult[]>((resolve, reject) => {
        this.pending.set(id, { resolve, reject, cancel, onProgress: options.onProgress });
        worker.ref();
        const req: ClassifyRequest = { type: 'classify', id, texts, mode, maxTokens, cancel: cancelBuffer };
        worker.postMessage(req);
      });
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /**
   * Stops the worker as a crash would (exit code 1), at its next safe point: waiting requests
   * reject with InferenceWorkerError, and the next request starts a new worker.
   */
  kill(): Promise<void> {
    return this.stop(1);
  }

  /** Cancels what is waiting, lets the worker release the session and exit; later calls are cancelled. */
  dispose(): Promise<void> {
    this.disposed = true;
    for (const p of this.pending.values()) Atomics.store(p.cancel, 0, 1);
    return this.stop(0);
  }

  /**
   * Asks the worker to exit between runs and waits for it. Never terminate() a worker while
   * onnxruntime may be running in it: that aborts the whole process. Only a worker that does not
   * answer within STOP_TIMEOUT_MS (hung) is terminated.
   */
  private async stop(code: number): Promise<void> {
    const w = this.worker;
    if (!w) return;
    const exited = new Promise<void>((resolve) => w.once('exit', () => resolve()));
    const stop: StopRequest = { type: 'stop', code };
    w.postMessage(stop);
    w.ref();
    const timer = setTimeout(() => void w.terminate(), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  }

  private start(): void {
    const data: WorkerData = { model: this.model, options: this.options };
    const worker = startWorker(this.workerFile, { workerData: data });
    this.worker = worker;
    this.starts++;
    this.runs = 0;
    worker.unref();
    let resolveLoaded!: (info: LoadedInfo) => void;
    let rejectLoaded!: (e: Error) => void;
    this.loaded = new Promise<LoadedInfo>((res, rej) => ((resolveLoaded = res), (rejectLoaded = rej)));
    // Avoid an unhandled rejection when nobody is waiting for the load at the time it fails.
    this.loaded.catch(() => undefined);
    let lastError: Error | null = null;
    worker.on('message', (m: FromWorker) => {
      switch (m.type) {
        case 'loaded':
          return resolveLoaded(m.info);
        case 'load-failed':
          // The worker exits by itself after this.
          lastError = new ModelLoadError(m.message);
          rejectLoaded(lastError);
          return;
        case 'progress':
          this.runs = m.runs;
          return this.pending.get(m.id)?.onProgress?.(m.done);
        case 'done':
          this.runs = m.runs;
          return this.settle(m.id, (p) => p.resolve(unpack(m.scores, m.starts, m.ends)));
        case 'cancelled':
          this.runs = m.runs;
          return this.settle(m.id, (p) => p.reject(new CancelledError()));
        case 'failed':
          return this.settle(m.id, (p) => p.reject(new Error(`Inference failed: ${m.message}`)));
      }
    });
    worker.on('error', (e) => (lastError = e));
    worker.on('exit', (code) => {
      if (this.worker === worker) {
        this.worker = null;
        this.loaded = null;
      }
      // Disposed: what waited (for the load or for results) is cancelled, not failed.
      const why =
        lastError instanceof ModelLoadError
          ? lastError
          : this.disposed
            ? new CancelledError()
            : new InferenceWorkerError(`The inference worker stopped (${lastError ? lastError.message : `exit code ${code}`}); the next request starts it again`);
      rejectLoaded(why);
      for (const [id, p] of this.pending) {
        this.pending.delete(id);
        p.reject(why);
      }
    });
  }

  private settle(id: number, fn: (p: Pending) => void): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    if (this.pending.size === 0) this.worker?.unref();
    fn(p);
  }
}

function unpack(scores: Float64Array, starts: Int32Array, ends: Int32Array): TextResult[] {
  const out: TextResult[] = new Array(scores.length);
  for (let i = 0; i < scores.length; i++) {
    const sentence: TextSpan | null = starts[i] >= 0 ? { start: starts[i], end: ends[i] } : null;
    out[i] = { score: scores[i], sentence };
  }
  return out;
}

/**
 * The worker's entry: dist/inferenceWorker.js beside the bundle running this code (the CLI and
 * the server are bundled into dist/), else the TypeScript source beside this file.
 */
export function defaultWorkerFile(): string {
  const { found, candidates } = findWorkerEntry(__dirname, 'inferenceWorker');
  if (!found) throw new InferenceWorkerError(`The inference worker is missing (looked for ${candidates.join(', ')}); run npm run build`);
  return found;
}
