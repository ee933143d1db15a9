import type { Classification, ClassifyOptions, Detector } from '../classify/detector';
import { throwIfCancelled } from '../classify/detector';
import { ResultCache } from '../classify/resultCache';

/** Texts per call to the detector, and characters: small enough to yield and cancel between. */
const BATCH_TEXTS = 256;
const BATCH_CHARS = 256 * 1024;

/** Lets queued LSP messages (edits, cancellations, hovers) run between batches. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * A detector in front of another: answers repeated texts from the cache, sends each new text
 * once, in batches with a yield and a cancellation check between them, and counts what it sent.
 * The cache is the engine's ResultCache (keys are hashes: they never hold the texts, which may be
 * slices of a large document that would then stay alive); the scope names the detector.
 * A detector that caches its own results (the model detector, keyed by model files, mode and
 * maxTokens) gets no second cache here: pass null, and the count is the inner detector's own.
 */
export class CachedDetector implements Detector {
  readonly kind: Detector['kind'];
  readonly name: string;
  private sent = 0;
  private readonly scope: string;

  constructor(
    private readonly inner: Detector,
    private readonly cache: ResultCache | null,
  ) {
    this.kind = inner.kind;
    this.name = inner.name;
    this.scope = `${inner.kind}\0${inner.name}\0`;
  }

  /** Texts sent to the inner detector so far (cache hits are not counted). */
  get classifiedCount(): number {
    return this.inner.inferred ?? this.sent;
  }

  async classify(texts: readonly string[], options: ClassifyOptions = {}): Promise<Classification[]> {
    const { signal, onProgress } = options;
    const out = new Array<Classification | undefined>(texts.length);
    const keys = texts.map((t) => ResultCache.key(this.scope, t));
    /** Texts to classify, each once, with every index that waits for it. */
    const misses = new Map<string, { text: string; indexes: number[] }>();
    let done = 0;
    for (let i = 0; i < texts.length; i++) {
      const hit = this.cache?.get(keys[i]);
      if (hit) {
        out[i] = hit;
        done++;
        continue;
      }
      const m = misses.get(keys[i]);
      if (m) m.indexes.push(i);
      else misses.set(keys[i], { text: texts[i], indexes: [i] });
    }
    onProgress?.(done, texts.length);
    let batch: Array<[string, { text: string; indexes: number[] }]> = [];
    let chars = 0;
    const flush = async () => {
      throwIfCancelled(signal);
      const results = await this.inner.classify(batch.map(([, m]) => m.text), { signal });
      this.sent += batch.length;
      batch.forEach(([key, m], j) => {
        this.cache?.set(key, results[j]);
        for (const i of m.indexes) out[i] = results[j];
        done += m.indexes.length;
      });
      batch = [];
      chars = 0;
      onProgress?.(done, texts.length);
      await yieldToEventLoop();
    };
    for (const entry of misses) {
      batch.push(entry);
      chars += entry[1].text.length;
      if (batch.length >= BATCH_TEXTS || chars >= BATCH_CHARS) await flush();
    }
    if (batch.length > 0) await flush();
    throwIfCancelled(signal);
    return out as Classification[];
  }

  dispose(): Promise<void> {
    return this.inner.dispose();
  }
}
