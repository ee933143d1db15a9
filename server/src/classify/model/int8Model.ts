import * as path from 'node:path';
import { FP32_FILE, QUANTIZED_FILE } from '../../modelStore/modelFolder';
import { ensureInt8File, writeRecord, type Int8Record, type Int8Step, type Int8Verification } from '../../modelStore/quantize/int8Record';
import { ModelDetector } from './modelDetector';
import { VERIFICATION_TEXTS, VERIFICATION_VERSION } from './verificationTexts';

/**
 * Which ONNX graph the detector runs: the fp32 original, or the int8 one quantized from it
 * (modelStore/quantize), used only once it has been verified against fp32 on the bundled texts
 * (verificationTexts.ts): label agreement at least MIN_AGREEMENT, else fp32 with a message.
 *   fp32  never quantizes, never uses int8;
 *   int8  quantizes if needed, verifies, uses int8, or says why not and falls back to fp32;
 *   auto  the same, quietly (a refusal is reported once, when the verification runs).
 * The verification and the source hash are kept beside the model (onnx/model_quantized.json), so
 * this work happens once per model file.
 */

export type Precision = 'fp32' | 'int8' | 'auto';
export const PRECISIONS: readonly Precision[] = ['auto', 'fp32', 'int8'];

/** Label agreement the int8 model must reach with fp32 on the verification texts (at threshold 0.5). */
export const MIN_AGREEMENT = 0.99;
/**
 * And no text's score may move more than this: a model whose scores drifted is refused even
 * before its drift crosses the threshold on these texts. Sound int8 quantization of a trained
 * classifier moves logits by a few tenths at most, i.e. scores by under 0.1.
 */
export const MAX_SCORE_DIFF = 0.3;
const THRESHOLD = 0.5;

export type PrecisionStep = Int8Step | { step: 'verifying'; texts: number } | { step: 'verified'; verification: Int8Verification };

export interface PrecisionOptions {
  threads: number;
  workerFile?: string;
  signal?: AbortSignal;
  onStep?: (s: PrecisionStep) => void;
  /**
   * Use the int8 model without verifying it. Only for benchmarks of models with random weights,
   * whose scores all sit near 0.5 so that label agreement means nothing.
   */
  skipVerification?: boolean;
}

export interface PrecisionChoice {
  used: 'fp32' | 'int8';
  onnxFile: string;
  /** Added to the folder's identity in result-cache keys: int8 and fp32 scores differ slightly. */
  identitySuffix: string;
  record: Int8Record | null;
  /** Why int8 is not used although asked for (int8) or allowed (auto); null when it is, or with fp32. */
  reason: string | null;
  /** True when the verification ran now (its outcome is news); false when it was read from the record. */
  verifiedNow: boolean;
}

/** The fp32 model runs; `reason` says why not int8 (null when fp32 was asked for). */
export function fp32Choice(dir: string, reason: string | null, record: Int8Record | null = null, verifiedNow = false): PrecisionChoice {
  return { used: 'fp32', onnxFile: path.join(dir, FP32_FILE), identitySuffix: '#fp32', record, reason, verifiedNow };
}

export async function choosePrecision(dir: string, precision: Precision, options: PrecisionOptions): Promise<PrecisionChoice> {
  const fallback = (reason: string | null, record: Int8Record | null = null, verifiedNow = false) => fp32Choice(dir, reason, record, verifiedNow);
  if (precision === 'fp32') return fallback(null);
  let record: Int8Record;
  try {
    record = await ensureInt8File(dir, { signal: options.signal, onStep: options.onStep });
  } catch (e) {
    if (options.signal?.aborted) throw e;
    return fallback(`the int8 model could not be made (${(e as Error).message}); using fp32`);
  }
  let verifiedNow = false;
  if (!options.skipVerification && !current(record.verification)) {
    options.onStep?.({ step: 'verifying', texts: VERIFICATION_TEXTS.length });
    try {
      const verification = await verifyInt8(dir, options);
      record = { ...record, verification };
      verifiedNow = true;
      options.onStep?.({ step: 'verified', verification });
      await writeRecord(dir, record).catch(() => undefined);
    } catch (e) {
      if (options.signal?.aborted) throw e;
      return fallback(`the int8 model could not be verified (${(e as Error).message}); using fp32`, record);
    }
  }
  const v = record.verification;
  if (!options.skipVerification && v && !v.passed) return fallback(refusal(v), record, verifiedNow);
  return {
    used: 'int8',
    onnxFile: path.join(dir, QUANTIZED_FILE),
    identitySuffix: `#int8:${record.source.sha256.slice(0, 12)}:${record.output.size}:${record.output.mtimeMs}`,
    record,
    reason: null,
    verifiedNow,
  };
}

function current(v: Int8Verification | null): v is Int8Verification {
  return !!v && v.version === VERIFICATION_VERSION && v.minAgreement === MIN_AGREEMENT && v.maxAllowedScoreDiff === MAX_SCORE_DIFF;
}

/** The message when verification refused the int8 model. */
export function refusal(v: Int8Verification): string {
  const why: string[] = [];
  if (v.agreement < v.minAgreement) why.push(`its labels agree with fp32 on ${v.agreeing} of ${v.texts} verification texts (${percent(v.agreement)}, required ${percent(v.minAgreement)})`);
  if (v.maxScoreDiff > v.maxAllowedScoreDiff) why.push(`a score moved by ${v.maxScoreDiff.toFixed(3)} (allowed ${v.maxAllowedScoreDiff})`);
  return `the int8 model was refused: ${why.join(', and ') || 'its verification failed'}; using fp32`;
}

/** One line for `model status` and the editor. */
export function describeVerification(v: Int8Verification): string {
  return `${v.passed ? 'verified' : 'refused'}: labels agree on ${v.agreeing}/${v.texts} texts (${percent(v.agreement)}, required ${percent(v.minAgreement)}), largest score difference ${v.maxScoreDiff.toFixed(4)} (allowed ${v.maxAllowedScoreDiff}), mean ${v.meanScoreDiff.toFixed(4)}`;
}

/** What runs, in words: `int8 (verified: ...)`, `fp32 (the int8 model was refused: ...)`. */
export function describePrecision(p: PrecisionChoice): string {
  const v = p.record?.verification;
  if (p.used === 'int8') return `int8 (${v ? describeVerification(v) : 'not verified'})`;
  return p.reason ? `fp32 (${p.reason.replace(/; using fp32$/, '')})` : 'fp32';
}

function percent(x: number): string {
  return `${Number((x * 100).toFixed(1))}%`;
}

/** Runs the verification texts through the fp32 and the int8 model (one after the other: only one in memory) and compares. */
export async function verifyInt8(dir: string, options: Pick<PrecisionOptions, 'threads' | 'workerFile' | 'signal'>): Promise<Int8Verification> {
  const t0 = performance.now();
  const texts = [...VERIFICATION_TEXTS];
  const scores = async (file: string) => {
    const d = new ModelDetector({ model: { dir, onnxFile: path.join(dir, file), id: path.basename(dir), identity: `verify:${file}` }, mode: 'full', maxTokens: 512, threads: options.threads, workerFile: options.workerFile });
    try {
      return (await d.classify(texts, { signal: options.signal })).map((c) => c.score);
    } finally {
      await d.dispose();
    }
  };
  const reference = await scores(FP32_FILE);
  const candidate = await scores(QUANTIZED_FILE);
  return compareScores(reference, candidate, (performance.now() - t0) / 1000);
}

/** The verification's figures and verdict for two score lists over the same texts. */
export function compareScores(reference: readonly number[], candidate: readonly number[], seconds = 0): Int8Verification {
  let agreeing = 0;
  let maxDiff = 0;
  let sumDiff = 0;
  let broken = false;
  reference.forEach((r, i) => {
    const c = candidate[i];
    // A score that is not a number (a damaged model) disagrees, and fails the check outright.
    if (!Number.isFinite(c)) {
      broken = true;
      return;
    }
    if (r > THRESHOLD === c > THRESHOLD) agreeing++;
    const d = Math.abs(r - c);
    maxDiff = Math.max(maxDiff, d);
    sumDiff += d;
  });
  const texts = reference.length;
  const agreement = texts ? agreeing / texts : 0;
  return {
    version: VERIFICATION_VERSION,
    texts,
    agreeing,
    agreement,
    threshold: THRESHOLD,
    maxScoreDiff: broken ? 1 : maxDiff,
    meanScoreDiff: texts ? sumDiff / texts : 0,
    minAgreement: MIN_AGREEMENT,
    maxAllowedScoreDiff: MAX_SCORE_DIFF,
    passed: !broken && texts > 0 && agreement >= MIN_AGREEMENT && maxDiff <= MAX_SCORE_DIFF,
    seconds: Number(seconds.toFixed(2)),
    at: new Date().toISOString(),
  };
}
