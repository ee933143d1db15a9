import * as os from 'node:os';
import { findModel, type FindModelOptions, type FindModelResult } from '../modelStore/findModel';
import type { Detector } from './detector';
import { LexicalDetector } from './lexical/lexicalDetector';
import type { ClassifyMode } from './model/inferenceEngine';
import { ModelDetector } from './model/modelDetector';
import type { ResultCache } from './resultCache';

export type DetectorPreference = 'lexical' | 'model' | 'auto';

export interface DetectorChoice {
  detector: Detector;
  /** Why the detector in use is not the one asked for (shown once: stderr, status bar). */
  notice: string | null;
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
  const detector = new ModelDetector({
    model: { dir: folder.path, onnxFile: folder.onnx.fp32, id: folder.id, identity: folder.identity },
    mode: options.mode ?? DEFAULT_MODE,
    maxTokens: options.maxTokens ?? DEFAULT_MAX_TOKENS,
    threads: options.threads || defaultThreads(options.context ?? 'cli'),
    cache: options.cache,
    workerFile: options.workerFile,
  });
  try {
    await detector.load();
  } catch (e) {
    await detector.dispose();
    return fallback(`The model in ${folder.path} cannot be loaded: ${(e as Error).message}`);
  }
  return { detector, notice: null };
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
