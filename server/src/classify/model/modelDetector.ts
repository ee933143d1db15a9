import type { Classification, ClassifyOptions, Detector } from '../detector';
import { CancelledError } from '../detector';
import { ResultCache } from '../resultCache';
import type { BatchLimits } from './batches';
import type { ClassifyMode, ModelFiles } from './inferenceEngine';
import type { SessionTuning } from './session';
import { InferenceWorkerClient } from './workerClient';
import type { LoadedInfo } from './workerProtocol';

export interface ModelDetectorOptions {
  model: ModelFiles & {
    /** What users see, e.g. `ProtectAI/distilroberta-base-rejection-v1@<commit>` or a folder name. */
    id: string;
    /** Same string, same model files (a revision, or a hash of sizes and dates): part of every cache key. */
    identity: string;
  };
  mode: ClassifyMode;
  /** Tokens read per text (special tokens included); above the model's limit, the limit. */
  maxTokens: number;
  threads: number;
  tuning?: Partial<SessionTuning>;
  batch?: Partial<BatchLimits>;
  /** Shared by detectors that should share results; one of its own otherwise. */
  cache?: ResultCache;
  /** The worker's entry (tests and the benchmark pass the bundled or source one). */
  workerFile?: string;
}

/** Texts per worker request: results are cached as each request completes, so a cancelled scan keeps what it finished. */
const REQUEST_TEXTS = 512;

/** The ONNX model detector: cache in front, inference in a worker thread. */
export class ModelDetector implements Detector {
  readonly kind = 'model' as const;
  readonly name: string;
  readonly cache: ResultCache;
  private readonly client: InferenceWorkerClient;
  private readonly scope: string;
  /** Texts sent to the worker so far (cache hits and repeats within a call are not counted). */
  inferred = 0;

  constructor(readonly options: ModelDetectorOptions) {
    this.name = displayName(options.model.id);
    this.cache = options.cache ?? new ResultCache();
    this.scope = ResultCache.scope(options.model.identity, options.mode, options.maxTokens);
    this.client = new InferenceWorkerClient(options.model, { tuning: { ...options.tuning, threads: options.threads }, batch: options.batch }, options.workerFile);
  }

  /** Loads the model in the worker (done on first use otherwise); rejects with ModelLoadError. */
  load(): Promise<LoadedInfo> {
    return this.client.ready();
  }

  /** session.run calls in the current worker. */
  get sessionRuns(): number {
    return this.client.runs;
  }

  /** The worker, for tests of crash recovery: stops it as a crash would. */
  get worker(): Pick<InferenceWorkerClient, 'kill' | 'starts'> {
    return this.client;
  }

  async classify(texts: readonly string[], options: ClassifyOptions = {}): Promise<Classification[]> {
    const { signal, onProgress } = options;
    if (signal?.aborted) throw new CancelledError();
    const out = new Array<Classification>(texts.length);
    const keys = texts.map((t) => ResultCache.key(this.scope, t));
    const misses = new Map<string, number[]>();
    let hits = 0;
    for (let i = 0; i < texts.length; i++) {
      const hit = this.cache.get(keys[i]);
      if (hit) {
        out[i] = hit;
        hits++;
      } else {
        const waiting = misses.get(keys[i]);
        if (waiting) waiting.push(i);
        else misses.set(keys[i], [i]);
      }
    }
    if (misses.size === 0) {
      onProgress?.(texts.length, texts.length);
      return out;
    }
    onProgress?.(hits, texts.length);
    const groups = [...misses.values()];
    const requests: number[][][] = [];
    for (let i = 0; i < groups.length; i += REQUEST_TEXTS) requests.push(groups.slice(i, i + REQUEST_TEXTS));
    const doneBy = new Array<number>(requests.length).fill(0);
    let finished = hits;
    const report = () => onProgress?.(Math.min(texts.length, finished + doneBy.reduce((a, b) => a + b, 0)), texts.length);
    // All requests are queued at once: the worker goes from one to the next without waiting for us.
    await Promise.all(
      requests.map(async (req, r) => {
        const results = await this.client.classify(req.map((indexes) => texts[indexes[0]]), this.options.mode, this.options.maxTokens, {
          signal,
          onProgress: (done) => {
            doneBy[r] = done;
            report();
          },
        });
        this.inferred += req.length;
        req.forEach((indexes, j) => {
          this.cache.set(keys[indexes[0]], results[j]);
          for (const i of indexes) out[i] = results[j];
          finished += indexes.length;
        });
        doneBy[r] = 0;
        report();
      }),
    );
    return out;
  }

  dispose(): Promise<void> {
    return this.client.dispose();
  }
}

/** `owner/name@revision` -> `name`; a folder name stays as it is. */
function displayName(id: string): string {
  return id.replace(/@.*$/, '').split(/[\\/]/).pop() || id;
}
