import type { ClassifyMode, EngineOptions, ModelFiles } from './inferenceEngine';

/** Messages between the model detector and its inference worker. */

export interface WorkerData {
  model: ModelFiles;
  options: EngineOptions;
}

export interface LoadedInfo {
  labels: string[];
  rejectionIndex: number;
  /** Most tokens the model reads. */
  maxTokens: number;
  loadMs: number;
}

export interface ClassifyRequest {
  type: 'classify';
  id: number;
  texts: string[];
  mode: ClassifyMode;
  maxTokens: number;
  /** One int32 the caller sets to 1 to cancel: read between batches without waiting for a message. */
  cancel: SharedArrayBuffer;
}

/**
 * Stop at the next safe point (between batches, or at once when idle) and exit with `code`.
 * The worker is never terminated from outside while onnxruntime runs: a worker torn down under a
 * running session aborts the whole process.
 */
export interface StopRequest {
  type: 'stop';
  code: number;
}

export type ToWorker = ClassifyRequest | StopRequest;

export type FromWorker =
  | { type: 'loaded'; info: LoadedInfo }
  | { type: 'load-failed'; message: string }
  | { type: 'progress'; id: number; done: number; runs: number }
  | {
      type: 'done';
      id: number;
      /** Per text: score, and the deciding sentence's start and end (-1 when none). */
      scores: Float64Array;
      starts: Int32Array;
      ends: Int32Array;
      /** session.run calls so far in this worker. */
      runs: number;
    }
  | { type: 'cancelled'; id: number; runs: number }
  | { type: 'failed'; id: number; message: string };
