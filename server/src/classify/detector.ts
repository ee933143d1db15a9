/**
 * The one interface every detector implements. Detectors see texts only: nothing about files,
 * formats or documents (the verdicts module joins the two).
 */

export type DetectorKind = 'lexical' | 'model';

/** A span of the classified text, in UTF-16 offsets of that text. */
export interface TextSpan {
  start: number;
  end: number;
}

export interface Classification {
  /** Probability-like refusal score in [0, 1], unrounded. */
  score: number;
  /** The sentence that decided the score (the refusing one), when the detector knows it. */
  sentence: TextSpan | null;
}

export interface ClassifyOptions {
  /** Cancelled work is dropped between batches; the promise then rejects with a CancelledError. */
  signal?: AbortSignal;
  /** Called as texts complete: done of total. */
  onProgress?: (done: number, total: number) => void;
}

export interface Detector {
  readonly kind: DetectorKind;
  /** What users see in messages, e.g. `lexical` or `distilroberta-base-rejection-v1`. */
  readonly name: string;
  classify(texts: readonly string[], options?: ClassifyOptions): Promise<Classification[]>;
  dispose(): Promise<void>;
  /** Detectors that cache their own results: texts really classified so far (hits excluded). */
  readonly inferred?: number;
}

export class CancelledError extends Error {
  constructor() {
    super('Cancelled');
    this.name = 'CancelledError';
  }
}

export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CancelledError();
}
