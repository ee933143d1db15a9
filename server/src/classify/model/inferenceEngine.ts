import type { TextSpan } from '../detector';
import { sentenceSpans } from '../sentences';
import { DEFAULT_BATCH_LIMITS, planBatches, type BatchLimits } from './batches';
import { labelProbability, readModelConfig, type ModelConfig } from './modelConfig';
import { ClassifierSession, DEFAULT_TUNING, type SessionTuning } from './session';
import { ModelTokenizer } from './tokenizer';

/**
 * The model detector's work, in whichever thread runs it (the inference worker; tests and the
 * benchmark also call it directly): texts -> sequences of ids -> batches of similar length ->
 * session -> softmax -> the REJECTION probability per text, with its deciding sentence.
 */

export type ClassifyMode = 'full' | 'sentence';

export interface ModelFiles {
  /** The model folder (config.json, tokenizer.json, tokenizer_config.json). */
  dir: string;
  /** The ONNX graph to run, usually `<dir>/onnx/model.onnx`. */
  onnxFile: string;
}

export interface EngineOptions {
  tuning: Partial<SessionTuning> & { threads: number };
  batch?: Partial<BatchLimits>;
}

export interface TextResult {
  score: number;
  sentence: TextSpan | null;
}

/** One sequence to classify: a whole text, or one sentence of it. */
export interface Sequence {
  text: number;
  span: TextSpan | null;
  ids: number[];
}

export interface RunControl {
  /** Checked between batches (and every few texts while tokenizing): true drops the rest. */
  cancelled(): boolean;
  /** Texts whose every sequence is classified, after each batch. */
  progress?(done: number): void;
}

export class CancelledRun extends Error {}

export class InferenceEngine {
  private constructor(
    readonly config: ModelConfig,
    readonly tokenizer: ModelTokenizer,
    readonly session: ClassifierSession,
    readonly batchLimits: BatchLimits,
  ) {}

  static async load(files: ModelFiles, options: EngineOptions): Promise<InferenceEngine> {
    const config = readModelConfig(files.dir);
    const tokenizer = await ModelTokenizer.load(files.dir);
    const session = await ClassifierSession.create(files.onnxFile, { ...DEFAULT_TUNING, ...options.tuning });
    if (config.rejectionIndex >= session.labelCount) throw new Error(`config.json puts REJECTION at ${config.rejectionIndex}, but the model has ${session.labelCount} outputs`);
    return new InferenceEngine(config, tokenizer, session, { ...DEFAULT_BATCH_LIMITS, ...options.batch });
  }

  /** maxTokens as asked, within what the model reads. */
  clampTokens(maxTokens: number): number {
    return Math.max(this.tokenizer.prefix.length + this.tokenizer.suffix.length + 1, Math.min(maxTokens, this.config.maxTokens));
  }

  /**
   * `full`: one sequence per text (its first maxTokens tokens, as the reference pipeline reads
   * it); the deciding sentence is known only when the text is one sentence. `sentence`: one
   * sequence per sentence; the text's score is its highest sentence score, and that sentence
   * decides. A text with no sentence (empty, whitespace) is classified whole.
   */
  sequences(texts: readonly string[], mode: ClassifyMode, maxTokens: number, control?: RunControl): Sequence[] {
    const limit = this.clampTokens(maxTokens);
    const out: Sequence[] = [];
    for (let t = 0; t < texts.length; t++) {
      if (t % 32 === 0 && control?.cancelled()) throw new CancelledRun();
      const text = texts[t];
      const spans = sentenceSpans(text);
      if (mode === 'sentence' && spans.length > 0) {
        for (const span of spans) out.push({ text: t, span, ids: this.tokenizer.encode(text.slice(span.start, span.end), limit) });
      } else {
        out.push({ text: t, span: spans.length === 1 ? spans[0] : null, ids: this.tokenizer.encode(text, limit) });
      }
    }
    return out;
  }

  async classify(texts: readonly string[], mode: ClassifyMode, maxTokens: number, control: RunControl = { cancelled: () => false }): Promise<TextResult[]> {
    const seqs = this.sequences(texts, mode, maxTokens, control);
    const results: TextResult[] = texts.map(() => ({ score: -1, sentence: null }));
    const pending = new Int32Array(texts.length);
    for (const s of seqs) pending[s.text]++;
    let done = 0;
    const labels = this.session.labelCount;
    for (const batch of planBatches(seqs.map((s) => s.ids.length), this.batchLimits)) {
      if (control.cancelled()) throw new CancelledRun();
      const logits = await this.session.run(batch.map((i) => seqs[i].ids), this.tokenizer.padId);
      batch.forEach((seqIndex, row) => {
        const s = seqs[seqIndex];
        const score = labelProbability(logits, row * labels, labels, this.config.rejectionIndex);
        const r = results[s.text];
        // Ties keep the earlier sentence: the first place a refusal is said.
        if (score > r.score || (score === r.score && s.span && r.sentence && s.span.start < r.sentence.start)) {
          r.score = score;
          r.sentence = s.span;
        }
        if (--pending[s.text] === 0) done++;
      });
      control.progress?.(done);
    }
    return results;
  }

  release(): Promise<void> {
    return this.session.release();
  }
}
