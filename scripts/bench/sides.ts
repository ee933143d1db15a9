import * as fs from 'node:fs';
import { Writable } from 'node:stream';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import { env, pipeline } from '@huggingface/transformers';
import { chooseDetector } from '../../server/src/classify/detectorChoice';
import { planBatches, batchLimitsFor } from '../../server/src/classify/model/batches';
import type { ModelDetector } from '../../server/src/classify/model/modelDetector';
import { DEFAULT_TUNING, sessionInputs, sessionOptions, spinningByDefault } from '../../server/src/classify/model/session';
import { FP32_FILE, QUANTIZED_FILE } from '../../server/src/modelStore/modelFolder';
import { ModelTokenizer } from '../../server/src/classify/model/tokenizer';
import { defaultExtractSettings } from '../../server/src/engine/extract';
import { scanFile, type ScanSettings } from '../../server/src/engine/scan';
import { SummaryBuilder } from '../../server/src/engine/summary';
import { Output } from '../../server/src/reports/output';
import { createReport } from '../../server/src/reports/reportFactory';
import { generatedTexts } from './corpus';

/** The three ways of classifying the same texts that the benchmark compares, each in its own process. */

export interface SideConfig {
  modelDir: string;
  threads: number;
  /** Per slice: the texts, and the same texts as a chat JSONL file (for the scan). */
  slices: { texts: string[]; file: string }[];
  /** The bundled worker, as the CLI runs it. */
  workerFile: string;
  /** A file of 10,000 responses made of texts already scanned: the cached re-scan. */
  rescanFile: string;
}

export interface Side {
  /** Loads the model and warms up; returns the seconds the load took (warm-up not counted). */
  load(): Promise<number>;
  /** Classifies one slice; returns its REJECTION scores in text order. */
  run(slice: number): Promise<number[]>;
}

const MAX_TOKENS = 512;

/** Texts each side classifies once after loading, untimed: first runs of a session (and JIT) are slow. */
const WARMUP = generatedTexts(8, 7);

/** `scan` end to end: read and extract the file, cache, worker (tokenize, batch, infer), verdicts, JSON report. */
export class ScanSide implements Side {
  private detector!: ModelDetector;
  constructor(
    private readonly c: SideConfig,
    private readonly precision: 'fp32' | 'int8' = 'fp32',
  ) {}

  async load(): Promise<number> {
    const t0 = performance.now();
    // int8: the model the parent prepared (quantized once); random weights make the check against fp32 meaningless, so it is skipped here.
    const choice = await chooseDetector('model', { modelPath: this.c.modelDir, threads: this.c.threads, workerFile: this.c.workerFile, context: 'cli', precision: this.precision, skipInt8Verification: true });
    if (choice.precision?.used !== this.precision) throw new Error(`the scan side runs ${choice.precision?.used}, not ${this.precision}: ${choice.notice}`);
    this.detector = choice.detector as ModelDetector;
    const seconds = (performance.now() - t0) / 1000;
    await this.detector.classify(WARMUP);
    return seconds;
  }

  run(slice: number): Promise<number[]> {
    return this.scan(this.c.slices[slice].file);
  }

  /** Scans a file as `scan --format json` does (report to a sink); returns the verdicts' scores. */
  async scan(file: string): Promise<number[]> {
    const settings: ScanSettings = { ...defaultExtractSettings, maxFileBytes: 512 * 2 ** 20, threshold: 0.5 };
    const report = createReport('json', new Output(sink()));
    const summary = new SummaryBuilder();
    const scores: number[] = [];
    await scanFile(file, this.detector, settings, {
      fileStarted: (p) => report.fileStarted?.(p),
      verdicts: (p, v) => {
        summary.addVerdicts(v);
        for (const x of v) scores.push(x.score);
        report.verdicts?.(p, v);
      },
      errors: (p, e) => report.errors?.(p, e),
      fileDone: (p, f) => report.fileDone?.(p, f),
      flush: () => report.flush(),
    });
    report.finish(summary.build());
    await report.flush();
    return scores;
  }

  get inferred(): number {
    return this.detector.inferred;
  }
}

/**
 * The raw onnxruntime session on the scan's own token batches (same tokenizer, batches and session
 * options); only session.run is timed. Returns the logits, in text order (int8 against fp32).
 */
export class RawSessionSide implements Side {
  private session!: ort.InferenceSession;
  private readonly feeds: Record<string, ort.Tensor>[][] = [];
  private readonly rows: number[][][] = [];
  constructor(
    private readonly c: SideConfig,
    private readonly precision: 'fp32' | 'int8' = 'fp32',
  ) {}

  async load(): Promise<number> {
    const tokenizer = await ModelTokenizer.load(this.c.modelDir);
    for (const slice of this.c.slices) {
      const ids = slice.texts.map((t) => tokenizer.encode(t, MAX_TOKENS));
      const batches = planBatches(ids.map((r) => r.length), batchLimitsFor(this.precision));
      this.rows.push(batches);
      // Built ahead, so that only session.run is timed.
      this.feeds.push(batches.map((batch) => sessionInputs(batch.map((i) => ids[i]), tokenizer.padId)));
    }
    const t0 = performance.now();
    const file = path.join(this.c.modelDir, this.precision === 'int8' ? QUANTIZED_FILE : FP32_FILE);
    // The scan side's options (detectorChoice): the CLI's spinning rule, this precision's batches.
    this.session = await ort.InferenceSession.create(file, sessionOptions({ ...DEFAULT_TUNING, spinning: spinningByDefault('cli'), threads: this.c.threads }));
    const seconds = (performance.now() - t0) / 1000;
    for (const text of WARMUP) await this.session.run(sessionInputs([tokenizer.encode(text, MAX_TOKENS)], tokenizer.padId));
    return seconds;
  }

  async run(slice: number): Promise<number[]> {
    const outputs: Float32Array[] = [];
    for (const feed of this.feeds[slice]) outputs.push((await this.session.run(feed)).logits.data as Float32Array);
    // Back to text order (batches are sorted by length): microseconds next to inference.
    const logits: number[] = [];
    this.rows[slice].forEach((batch, b) =>
      batch.forEach((text, row) => {
        logits[text * 2] = outputs[b][row * 2];
        logits[text * 2 + 1] = outputs[b][row * 2 + 1];
      }),
    );
    return logits;
  }
}

/** The model card's quick start in transformers.js: pipeline('text-classification'), one text per call. */
export class PipelineSide implements Side {
  private classify!: (text: string, options: { top_k: number | null }) => Promise<unknown>;
  constructor(private readonly c: SideConfig) {}

  async load(): Promise<number> {
    const t0 = performance.now();
    env.allowRemoteModels = false;
    env.useFSCache = false;
    env.localModelPath = `${path.dirname(this.c.modelDir)}${path.sep}`;
    env.cacheDir = path.join(path.dirname(this.c.modelDir), '.transformers-cache');
    const classifier = await pipeline('text-classification', path.basename(this.c.modelDir), {
      dtype: 'fp32',
      session_options: { intraOpNumThreads: this.c.threads, interOpNumThreads: 1 },
    });
    this.classify = classifier as unknown as typeof this.classify;
    const seconds = (performance.now() - t0) / 1000;
    for (const text of WARMUP) await this.classify(text, { top_k: null });
    return seconds;
  }

  async run(slice: number): Promise<number[]> {
    const scores: number[] = [];
    for (const text of this.c.slices[slice].texts) {
      const out = (await this.classify(text, { top_k: null })) as { label: string; score: number }[];
      scores.push(out.find((o) => o.label === 'REJECTION')?.score ?? NaN);
    }
    return scores;
  }
}

function sink(): Writable {
  return new Writable({ write: (_chunk, _enc, done) => done() });
}

export function readConfig(file: string): SideConfig {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}
