import * as path from 'node:path';
import { chooseDetector, type DetectorChoice } from '../classify/detectorChoice';
import { describePrecision } from '../classify/model/int8Model';
import { LexicalDetector } from '../classify/lexical/lexicalDetector';
import type { DetectorInfo, InitializationOptions, ModelStatus } from '../shared/protocol';
import type { Settings } from '../shared/settings';
import { CachedDetector } from './cachedDetector';
import { ResultCache } from '../classify/resultCache';
import { describeError, errorMessage, type Logger } from './serverHost';

/** Makes the detector (the engine's chooseDetector; tests pass their own). */
export type DetectorFactory = (settings: Settings, init: InitializationOptions, log: Logger) => Promise<DetectorChoice>;

/**
 * The engine's choice with the editor's places: the configured folder, the extension's models/,
 * the download cache in the extension's global storage (and a download there when allowed).
 */
export const engineDetectorFactory: DetectorFactory = (settings, init, log) =>
  chooseDetector(settings.detector, {
    modelPath: settings.modelPath || null,
    modelsDir: init.extensionPath ? path.join(init.extensionPath, 'models') : null,
    cacheDir: init.storagePath,
    // HF_ENDPOINT points at another hub (a mirror, or a test server), as for the CLI
    hub: { endpoint: process.env.HF_ENDPOINT || undefined },
    allowDownload: settings.allowDownload,
    download: { onStatus: (m) => log.info(`Model download: ${m}`) },
    mode: settings.mode,
    maxTokens: settings.maxTokens,
    threads: settings.threads,
    context: 'editor',
    precision: settings.precision,
    onPrecisionStep: (s) => {
      if (s.step === 'quantized') log.info(`Quantized the model to int8 once (${(s.result.bytes / 2 ** 20).toFixed(1)} MiB, ${s.result.seconds.toFixed(1)} s)`);
      else if (s.step === 'verifying') log.info(`Checking the int8 model against fp32 on ${s.texts} texts`);
      else if (s.step === 'hashing') log.info('Preparing the int8 model (once per model file)');
    },
  });

/** Why the lexical detector runs instead of the one asked for. */
export type Fallback = { kind: 'none' } | { kind: 'fallback'; reason: string } | { kind: 'restricted' };

export interface ActiveDetector {
  detector: CachedDetector;
  info: DetectorInfo;
  fallback: Fallback;
  /** The model's precision in words (Show Model Status), null for the lexical detector. */
  precision: string | null;
}

export const RESTRICTED_NOTICE = 'Restricted mode: the workspace is not trusted, so only the lexical detector runs (no model is loaded)';

/**
 * Holds the one detector of this server process: made on first use from the settings read at
 * start (RESTART_SETTINGS), kept until the server stops. Whatever goes wrong while making it, the
 * server falls back to the lexical detector and says why: it never stops analysing.
 */
export class DetectorHost {
  private loading: Promise<ActiveDetector> | null = null;
  private active: ActiveDetector | null = null;
  private settings: Settings | null = null;
  readonly cache = new ResultCache();

  constructor(
    private readonly factory: DetectorFactory,
    private readonly init: InitializationOptions,
    private readonly readSettings: () => Promise<Settings>,
    private readonly log: Logger,
  ) {}

  get restricted(): boolean {
    return !this.init.trusted;
  }

  /** The detector once it is ready (null while loading). */
  get current(): ActiveDetector | null {
    return this.active;
  }

  get(): Promise<ActiveDetector> {
    this.loading ??= this.load().then((a) => (this.active = a));
    return this.loading;
  }

  private async load(): Promise<ActiveDetector> {
    const settings = await this.readSettings().catch((e) => {
      this.log.error('Could not read the settings for the detector; using the defaults', e);
      return null;
    });
    this.settings = settings;
    if (this.restricted || !settings) {
      if (this.restricted) this.log.info(RESTRICTED_NOTICE);
      return this.wrap({ detector: new LexicalDetector(), notice: null }, this.restricted ? { kind: 'restricted' } : { kind: 'fallback', reason: 'the settings could not be read' });
    }
    try {
      const choice = await this.factory(settings, this.init, this.log);
      if (choice.notice) this.log.warn(choice.notice);
      const fallback: Fallback = choice.notice && choice.detector.kind === 'lexical' ? { kind: 'fallback', reason: choice.notice } : { kind: 'none' };
      this.log.info(`Detector: ${choice.detector.name} (${choice.detector.kind})`);
      return this.wrap(choice, fallback);
    } catch (e) {
      const reason = `Using the lexical detector: ${errorMessage(e)}`;
      this.log.error(`${reason}\n${describeError(e)}`);
      return this.wrap({ detector: new LexicalDetector(), notice: reason }, { kind: 'fallback', reason });
    }
  }

  private wrap(choice: DetectorChoice, fallback: Fallback): ActiveDetector {
    const precision = choice.detector.kind === 'model' && choice.precision ? describePrecision(choice.precision) : null;
    if (precision) this.log.info(`Precision: ${precision}`);
    // the model detector caches its own results (keyed by its files, mode and maxTokens)
    const cache = choice.detector.kind === 'model' ? null : this.cache;
    return { detector: new CachedDetector(choice.detector, cache), info: { name: choice.detector.name, kind: choice.detector.kind }, fallback, precision };
  }

  /** The notice shown with results: why the lexical detector runs, or null. */
  static notice(fallback: Fallback): string | null {
    if (fallback.kind === 'fallback') return fallback.reason;
    if (fallback.kind === 'restricted') return RESTRICTED_NOTICE;
    return null;
  }

  status(): ModelStatus {
    const a = this.active;
    return {
      state: a ? 'ready' : 'loading',
      preference: this.settings?.detector ?? 'auto',
      detector: a?.info ?? null,
      notice: a ? DetectorHost.notice(a.fallback) : null,
      restricted: this.restricted,
      modelPath: this.restricted ? '' : (this.settings?.modelPath ?? ''),
      classified: a?.detector.classifiedCount ?? 0,
      precision: a?.precision ?? null,
    };
  }

  get classifiedCount(): number {
    return this.active?.detector.classifiedCount ?? 0;
  }

  async dispose(): Promise<void> {
    const a = this.active ?? (this.loading ? await this.loading.catch(() => null) : null);
    await a?.detector.dispose();
  }
}
