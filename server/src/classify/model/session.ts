import * as os from 'node:os';
import * as ort from 'onnxruntime-node';
import { batchInputs } from './batches';

/** How the onnxruntime session runs: measured choices, see docs/model-detector.md. */
export interface SessionTuning {
  /** Threads for one operator (matrix multiplications split across them). */
  threads: number;
  /**
   * onnxruntime's CPU arena: faster reuse of buffers, but it keeps its high-water mark for the
   * life of the session. Batches are capped in tokens, which bounds that mark.
   */
  memArena: boolean;
  /** Idle threads spin for new work: a little faster between runs, but burns CPU others could use. */
  spinning: boolean;
}

export const DEFAULT_TUNING: Omit<SessionTuning, 'threads'> = { memArena: true, spinning: false };

/**
 * Spinning pays only on an otherwise idle machine: measured +18% (bs 1, int8, 2 threads, in
 * onnxruntime-node and Python's onnxruntime alike) when nothing else ran, -40% when other
 * processes wanted the cores. So: on for the CLI when the one-minute load average says the
 * machine is idle at start (CI runners, a quiet laptop); never for the editor, which shares the
 * machine with its user. Windows reports no load average: off.
 */
export function spinningByDefault(context: 'cli' | 'editor', loadAverage: number = os.loadavg()[0], platform: string = process.platform): boolean {
  return context === 'cli' && platform !== 'win32' && loadAverage < 0.5;
}

/** An onnxruntime session over a sequence classifier: rows of ids in, logits out. */
export class ClassifierSession {
  /** session.run calls so far. */
  runs = 0;

  private constructor(
    private readonly session: ort.InferenceSession,
    readonly labelCount: number,
  ) {}

  static async create(onnxFile: string, tuning: SessionTuning): Promise<ClassifierSession> {
    const session = await ort.InferenceSession.create(onnxFile, sessionOptions(tuning));
    for (const name of ['input_ids', 'attention_mask']) {
      if (!session.inputNames.includes(name)) throw new Error(`${onnxFile} has no input "${name}" (inputs: ${session.inputNames.join(', ')})`);
    }
    if (!session.outputNames.includes('logits')) throw new Error(`${onnxFile} has no output "logits" (outputs: ${session.outputNames.join(', ')})`);
    const out = session.outputMetadata.find((m) => m.name === 'logits');
    const last = out && out.isTensor ? out.shape[out.shape.length - 1] : undefined;
    return new ClassifierSession(session, typeof last === 'number' ? last : 2);
  }

  /** Logits for each row, row-major [rows, labels]. */
  async run(rows: readonly (readonly number[])[], padId: number): Promise<Float32Array> {
    const out = await this.session.run(sessionInputs(rows, padId));
    this.runs++;
    return out.logits.data as Float32Array;
  }

  release(): Promise<void> {
    return this.session.release();
  }
}

/** The session's inputs for rows of ids, padded on the right with `padId` (see batchInputs). */
export function sessionInputs(rows: readonly (readonly number[])[], padId: number): Record<'input_ids' | 'attention_mask', ort.Tensor> {
  const { ids, mask, width } = batchInputs(rows, padId);
  const dims = [rows.length, width];
  return { input_ids: new ort.Tensor('int64', ids, dims), attention_mask: new ort.Tensor('int64', mask, dims) };
}

export function sessionOptions(t: SessionTuning): ort.InferenceSession.SessionOptions {
  return {
    intraOpNumThreads: t.threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    enableCpuMemArena: t.memArena,
    // Shapes change with every batch: recorded memory patterns would not be reused.
    enableMemPattern: false,
    extra: { session: { intra_op: { allow_spinning: t.spinning ? '1' : '0' }, inter_op: { allow_spinning: t.spinning ? '1' : '0' } } },
  };
}
