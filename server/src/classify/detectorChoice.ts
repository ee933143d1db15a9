import * as os from 'node:os';
import { findModel, type FindModelOptions, type FindModelResult } from '../modelStore/findModel';
import type { Detector } from './detector';
import { LexicalDetector } from './lexical/lexicalDetector';
import type { ClassifyMode } from './model/inferenceEngine';
import { choosePrecision, fp32Choice, type Precision, type PrecisionChoice, type PrecisionStep } from './model/int8Model';
import { batchLimitsFor } from './model/batches';
import { spinningByDefault } from './model/session';
import { ModelDetector } from './model/modelDetector';
import type { ResultCache } from './resultCache';

export type DetectorPreference = 'lexical' | 'model' | 'auto';

export interface DetectorChoice {
  detector: Detector;
  /** Why the detector in use is not the one asked for (shown once: stderr, status bar). */
  notice: string | null;
  /** The model detector's precision: the graph it runs, and why not int8 when int8 was possible. */
  precision?: PrecisionChoice;
}

export class DetectorUnavailableError extends Error {}

export interface DetectorOptions {
  /** --model PATH / refusalLens.modelPath: a local model folder. */
  modelPath?: string | null;
  /** Where else a model is looked for (see modelStore/findModel): models/, the download cache. */
  modelsDir?: string | null;
  cacheDir?: string | null;
  hub?: FindModelOptions['hub'];
  /** Download the model into cacheDir when none is found locally. */
  allowDownload?: boolean;
  download?: FindModelOptions['download'];
  mode?: ClassifyMode;
  /** Tokens read per text, special tokens included (default 512, the model card's). */
  maxTokens?: number;
  /** Inference threads; 0 or unset: the default for `context`. */
  threads?: number;
  /** The CLI takes every core; the editor leaves some to the editor. */
  context?: 'cli' | 'editor';
  /** fp32, int8 (quantized once, verified, else fp32 with a notice) or auto (int8 when verified); default fp32. */
  precision?: Precision;
  /** Progress of the one-time int8 preparation (hashing, quantizing, verifying). */
  onPrecisionStep?: (s: PrecisionStep) => void;
  /** Benchmarks of random-weight models only: use int8 unverified (see PrecisionOptions). */
  skipInt8Verification?: boolean;
  cache?: ResultCache;
  workerFile?: string;
  /** How the model folder is found (default: findModel; tests pass their own). */
  locate?: (options: DetectorOptions) => Promise<FindModelResult>;
}

export const DEFAULT_MODE: ClassifyMode = 'full';
export const DEFAULT_MAX_TOKENS = 512;

/** Inference threads by default: all cores for the CLI, half of them for the editor. */
export function defaultThreads(context: 'cli' | 'editor', cores: number = os.availableParallelism()): number {
  return context === 'cli' ? Math.max(1, cores) : Math.max(1, Math.floor(cores / 2));
}

/**
 * The one place that decides which detector runs: the model when asked for and available,
 * the lexical detector otherwise (with a notice saying why). `model` fails when no model can be
 * had or loaded; `auto` falls back to lexical and says why.
 */
export async function chooseDetector(preference: DetectorPreference, options: DetectorOptions = {}): Promise<DetectorChoice> {
  if (preference === 'lexical') return { detector: new LexicalDetector(), notice: null };
  const fallback = (reason: string): DetectorChoice => {
    if (preference === 'model') throw new DetectorUnavailableError(reason);
    return { detector: new LexicalDetector(), notice: `Using the lexical detector: ${reason}` };
  };
  const found = await (options.locate ?? locateModel)(options);
  // findModel's reasons are sentences that say what to do; keep them whole.
  if (!found.folder) return fallback(found.reason);
  const folder = found.folder;
  const threads = options.threads || defaultThreads(options.context ?? 'cli');
  const asked = options.precision ?? 'fp32';
  let precision = await choosePrecision(folder.path, asked, {
    threads,
    workerFile: options.workerFile,
    onStep: options.onPrecisionStep,
    skipVerification: options.skipInt8Verification,
  });
  const load = async (p: PrecisionChoice): Promise<ModelDetector> => {
    const d = new ModelDetector({
      model: { dir: folder.path, onnxFile: p.onnxFile, id: folder.id, identity: `${folder.identity}${p.identitySuffix}` },
      mode: options.mode ?? DEFAULT_MODE,
      maxTokens: options.maxTokens ?? DEFAULT_MAX_TOKENS,
      threads,
      tuning: { spinning: spinningByDefault(options.context ?? 'cli') },
      batch: batchLimitsFor(p.used),
      cache: options.cache,
      workerFile: options.workerFile,
    });
    try {
      await d.load();
      return d;
    } catch (e) {
      await d.dispose();
      throw e;
    }
  };
  const cannotLoad = (e: unknown) => fallback(`The model in ${folder.path} cannot be loaded: ${(e as Error).message}`);
  let detector: ModelDetector;
  try {
    detector = await load(precision);
  } catch (e) {
    if (precision.used !== 'int8') return cannotLoad(e);
    // A broken int8 file must not cost the model: fp32 instead.
    precision = fp32Choice(folder.path, `the int8 model cannot be loaded (${(e as Error).message}); using fp32`, precision.record, precision.verifiedNow);
    try {
      detector = await load(precision);
    } catch (e2) {
      return cannotLoad(e2);
    }
  }
  // int8 asked for by name: always say why it is not used. auto: only when it is news.
  const reason = precision.reason;
  const tell = reason && (asked === 'int8' || precision.verifiedNow || !precision.record?.verification);
  const notice = tell ? `${reason[0].toUpperCase()}${reason.slice(1)}${asked === 'auto' ? ' (precision fp32 skips int8)' : ''}` : null;
  return { detector, notice, precision };
}

/** The model folder, looked for in the order of modelStore/findModel: configured folder, models/, download cache, download. */
export function locateModel(options: DetectorOptions): Promise<FindModelResult> {
  return findModel({
    configuredPath: options.modelPath,
    modelsDir: options.modelsDir,
    cacheDir: options.cacheDir,
    hub: options.hub,
    allowDownload: options.allowDownload,
    download: options.download,
  });
}
