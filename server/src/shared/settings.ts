/**
 * The extension's settings (`refusalLens.*`): one type, its defaults, and the validation every
 * value read from configuration goes through. Shared by the client and the language server.
 */

export type DetectorSetting = 'auto' | 'model' | 'lexical';
export type ModeSetting = 'full' | 'sentence';
export type PrecisionSetting = 'auto' | 'fp32' | 'int8';
export type SeveritySetting = 'error' | 'warning' | 'information' | 'hint';
export type TraceSetting = 'off' | 'messages' | 'verbose';

export interface Settings {
  /** auto: the model when one is available, else lexical (said in the status bar). */
  detector: DetectorSetting;
  /** A local model folder ('' = none). Machine scope; never read from an untrusted workspace. */
  modelPath: string;
  /** May the server download the model on first use (the Download Model command always may). */
  allowDownload: boolean;
  /** A response is a refusal when its score is above this. */
  threshold: number;
  /** full: one score per response; sentence: per sentence, the highest wins. */
  mode: ModeSetting;
  /** Tokens the model reads per text (longer texts are truncated). */
  maxTokens: number;
  /** The model's graph: auto = int8 (quantized once beside the model) when it passed its check against fp32. */
  precision: PrecisionSetting;
  severity: SeveritySetting;
  /** Format name -> globs of files read as that format, even when detection would not claim them. */
  files: Record<string, string[]>;
  /** Field paths for JSON shapes no format knows, e.g. `choices[*].turns[*]`. */
  fields: string[];
  /** Open documents larger than this are not analysed. */
  maxFileSizeMb: number;
  /** Inference threads (0 = let the runtime choose). */
  threads: number;
  traceServer: TraceSetting;
}

export const SETTINGS_SECTION = 'refusalLens';

export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze({
  detector: 'auto',
  modelPath: '',
  allowDownload: false,
  threshold: 0.5,
  mode: 'full',
  maxTokens: 512,
  precision: 'auto',
  severity: 'warning',
  files: {},
  fields: [],
  maxFileSizeMb: 50,
  threads: 0,
  traceServer: 'off',
});

/**
 * Settings the server reads once when it starts (they decide which detector runs and how it is
 * loaded); changing one needs Restart Server. Every other setting applies on change.
 */
export const RESTART_SETTINGS = ['detector', 'modelPath', 'allowDownload', 'mode', 'maxTokens', 'precision', 'threads'] as const satisfies ReadonlyArray<keyof Settings>;

/** Settings an untrusted workspace may not set (package.json `restrictedConfigurations`). */
export const RESTRICTED_SETTINGS = ['modelPath', 'allowDownload'] as const satisfies ReadonlyArray<keyof Settings>;

export interface ParsedSettings {
  settings: Settings;
  /** One line per value that was not valid and fell back to its default. */
  problems: string[];
}

/** Validates a `refusalLens` configuration object of unknown shape; bad values become defaults. */
export function parseSettings(raw: unknown): ParsedSettings {
  const problems: string[] = [];
  const obj = isRecord(raw) ? raw : {};
  if (raw !== undefined && raw !== null && !isRecord(raw)) problems.push(`${SETTINGS_SECTION}: expected an object, got ${describe(raw)}`);
  const trace = isRecord(obj.trace) ? obj.trace.server : undefined;
  const settings: Settings = {
    detector: oneOf(obj.detector, 'detector', ['auto', 'model', 'lexical'] as const, problems),
    modelPath: stringValue(obj.modelPath, 'modelPath', problems).trim(),
    allowDownload: boolValue(obj.allowDownload, 'allowDownload', problems),
    threshold: numberIn(obj.threshold, 'threshold', 0, 1, false, problems),
    mode: oneOf(obj.mode, 'mode', ['full', 'sentence'] as const, problems),
    maxTokens: numberIn(obj.maxTokens, 'maxTokens', 8, 512, true, problems),
    precision: oneOf(obj.precision, 'precision', ['auto', 'fp32', 'int8'] as const, problems),
    severity: oneOf(obj.severity, 'severity', ['error', 'warning', 'information', 'hint'] as const, problems),
    files: filesValue(obj.files, problems),
    fields: stringList(obj.fields, 'fields', problems),
    maxFileSizeMb: numberIn(obj.maxFileSizeMb, 'maxFileSizeMb', 0.001, 4096, false, problems),
    threads: numberIn(obj.threads, 'threads', 0, 256, true, problems),
    traceServer: oneOf(trace, 'traceServer', ['off', 'messages', 'verbose'] as const, problems, 'trace.server'),
  };
  return { settings, problems };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'string' ? JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v) : `${typeof v} ${String(v)}`;
}

function complain(problems: string[], key: string, expected: string, got: unknown): void {
  problems.push(`${SETTINGS_SECTION}.${key}: expected ${expected}, got ${describe(got)}; using the default`);
}

function oneOf<K extends keyof Settings, T extends string>(v: unknown, key: K, allowed: readonly T[], problems: string[], label: string = key): T {
  if (v === undefined || v === null) return DEFAULT_SETTINGS[key] as unknown as T;
  if (typeof v === 'string' && (allowed as readonly string[]).includes(v)) return v as T;
  complain(problems, label, `one of ${allowed.join(', ')}`, v);
  return DEFAULT_SETTINGS[key] as unknown as T;
}

function stringValue(v: unknown, key: 'modelPath', problems: string[]): string {
  if (v === undefined || v === null) return DEFAULT_SETTINGS[key];
  if (typeof v === 'string') return v;
  complain(problems, key, 'a string', v);
  return DEFAULT_SETTINGS[key];
}

function boolValue(v: unknown, key: 'allowDownload', problems: string[]): boolean {
  if (v === undefined || v === null) return DEFAULT_SETTINGS[key];
  if (typeof v === 'boolean') return v;
  complain(problems, key, 'true or false', v);
  return DEFAULT_SETTINGS[key];
}

function numberIn(v: unknown, key: 'threshold' | 'maxTokens' | 'maxFileSizeMb' | 'threads', min: number, max: number, integer: boolean, problems: string[]): number {
  if (v === undefined || v === null) return DEFAULT_SETTINGS[key];
  if (typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max && (!integer || Number.isInteger(v))) return v;
  complain(problems, key, `${integer ? 'an integer' : 'a number'} from ${min} to ${max}`, v);
  return DEFAULT_SETTINGS[key];
}

function stringList(v: unknown, key: 'fields', problems: string[]): string[] {
  if (v === undefined || v === null) return [...DEFAULT_SETTINGS[key]];
  if (Array.isArray(v) && v.every((s) => typeof s === 'string')) return v.map((s: string) => s.trim()).filter((s) => s !== '');
  complain(problems, key, 'a list of strings', v);
  return [...DEFAULT_SETTINGS[key]];
}

function filesValue(v: unknown, problems: string[]): Record<string, string[]> {
  if (v === undefined || v === null) return {};
  if (!isRecord(v)) {
    complain(problems, 'files', 'an object of format name -> list of globs', v);
    return {};
  }
  const out: Record<string, string[]> = {};
  for (const [format, globs] of Object.entries(v)) {
    if (typeof globs === 'string' && globs.trim() !== '') out[format] = [globs.trim()];
    else if (Array.isArray(globs) && globs.every((g) => typeof g === 'string')) out[format] = globs.map((g: string) => g.trim()).filter((g) => g !== '');
    else complain(problems, `files.${format}`, 'a glob or a list of globs', globs);
  }
  return out;
}
