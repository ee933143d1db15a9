import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { FP32_FILE, QUANTIZED_FILE } from '../modelFolder';
import { quantizeModel, type QuantizeProgress, type QuantizeResult } from './quantizeModel';
import type { QuantizeOptions } from './quantizationPlan';

/**
 * The int8 model beside a model folder's fp32 one, and what is known about it, kept in
 * `onnx/model_quantized.json`: the source it was made from (sha256, size, mtime), the file it
 * describes (size, mtime), how it was made, and its verification against fp32 (written by the
 * detector side, see classify/model/int8Model.ts). A changed source (another sha256) means a new
 * quantization; an unchanged one is recognised by size and mtime without hashing again.
 */

export const RECORD_FILE = 'onnx/model_quantized.json';
/** Bumped when the quantizer's output changes: older files are made again. */
export const QUANTIZER_VERSION = 2;

export interface FileStamp {
  size: number;
  mtimeMs: number;
}

/** The verification of an int8 model against its fp32 source, on the bundled texts. */
export interface Int8Verification {
  /** Bumped when the texts or the rule change: older verifications are run again. */
  version: number;
  texts: number;
  /** Texts whose label (score above `threshold`) is the same with both models. */
  agreeing: number;
  agreement: number;
  threshold: number;
  maxScoreDiff: number;
  meanScoreDiff: number;
  /** The rule: agreement at least this, and no score moved by more than maxAllowedScoreDiff. */
  minAgreement: number;
  maxAllowedScoreDiff: number;
  passed: boolean;
  seconds: number;
  at: string;
}

export interface Int8Record {
  format: 1;
  /** quantized: made by this quantizer; found: an int8 file that was already there (only verified). */
  origin: 'quantized' | 'found';
  quantizer: number | null;
  source: FileStamp & { file: string; sha256: string };
  output: FileStamp & { file: string };
  options: QuantizeOptions | null;
  counts: QuantizeResult['counts'] | null;
  seconds: number | null;
  createdAt: string;
  verification: Int8Verification | null;
}

export type Int8Step = { step: 'hashing' } | { step: 'quantizing'; progress: QuantizeProgress } | { step: 'quantized'; result: QuantizeResult } | { step: 'reused' };

export interface EnsureOptions {
  options?: Partial<QuantizeOptions>;
  onStep?: (s: Int8Step) => void;
  signal?: AbortSignal;
}

export async function readRecord(dir: string): Promise<Int8Record | null> {
  try {
    const r = JSON.parse(await fsp.readFile(path.join(dir, RECORD_FILE), 'utf8')) as Int8Record;
    return r?.format === 1 && typeof r.source?.sha256 === 'string' && typeof r.output?.size === 'number' ? r : null;
  } catch {
    return null;
  }
}

export async function writeRecord(dir: string, record: Int8Record): Promise<void> {
  const file = path.join(dir, RECORD_FILE);
  const tmp = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.partial`;
  try {
    await fsp.writeFile(tmp, `${JSON.stringify(record, null, 2)}\n`);
    await fsp.rename(tmp, file);
  } catch (e) {
    await fsp.rm(tmp, { force: true });
    throw e;
  }
}

export async function sha256File(file: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file, { highWaterMark: 4 << 20, signal })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export async function stampOf(file: string): Promise<FileStamp | null> {
  try {
    const s = await fsp.stat(file);
    return { size: s.size, mtimeMs: Math.round(s.mtimeMs) };
  } catch {
    return null;
  }
}

const same = (a: FileStamp | null, b: FileStamp | null) => !!a && !!b && a.size === b.size && a.mtimeMs === b.mtimeMs;

/** What `ensureInt8File` would do, without doing it (for `model status`): cheap, never hashes. */
export async function int8State(dir: string): Promise<{ record: Int8Record | null; state: 'missing' | 'current' | 'source-changed' | 'output-changed' | 'unrecorded' }> {
  const record = await readRecord(dir);
  const output = await stampOf(path.join(dir, QUANTIZED_FILE));
  if (!output) return { record, state: 'missing' };
  if (!record) return { record, state: 'unrecorded' };
  if (!same(output, record.output)) return { record, state: 'output-changed' };
  if (!same(await stampOf(path.join(dir, FP32_FILE)), record.source)) return { record, state: 'source-changed' };
  return { record, state: 'current' };
}

/**
 * Makes sure `onnx/model_quantized.onnx` exists and belongs to the current `onnx/model.onnx`;
 * quantizes (once) when it does not. An int8 file that is there without our record (published
 * with the model, or put there by hand) is kept and recorded as found: verification decides
 * whether it is used. Returns the up-to-date record (its verification is cleared whenever the
 * file or its source changed).
 */
export async function ensureInt8File(dir: string, run: EnsureOptions = {}): Promise<Int8Record> {
  const source = path.join(dir, FP32_FILE);
  const target = path.join(dir, QUANTIZED_FILE);
  const { record, state } = await int8State(dir);
  if (record && state === 'current' && (record.origin === 'found' || record.quantizer === QUANTIZER_VERSION)) {
    run.onStep?.({ step: 'reused' });
    return record;
  }
  const sourceStamp = await stampOf(source);
  if (!sourceStamp) throw new Error(`${source} is missing`);
  run.onStep?.({ step: 'hashing' });
  const sha256 = await sha256File(source, run.signal);
  if (record && state === 'source-changed' && record.source.sha256 === sha256 && (record.origin === 'found' || record.quantizer === QUANTIZER_VERSION)) {
    // Touched, not changed (copied, restored from a backup): same bytes, same int8 model.
    const updated: Int8Record = { ...record, source: { ...record.source, ...sourceStamp } };
    await writeRecord(dir, updated);
    run.onStep?.({ step: 'reused' });
    return updated;
  }
  if (state === 'unrecorded' || state === 'output-changed') {
    const output = (await stampOf(target))!;
    const found: Int8Record = {
      format: 1,
      origin: 'found',
      quantizer: null,
      source: { file: path.basename(source), sha256, ...sourceStamp },
      output: { file: path.basename(target), ...output },
      options: null,
      counts: null,
      seconds: null,
      createdAt: new Date().toISOString(),
      verification: null,
    };
    await writeRecord(dir, found);
    return found;
  }
  const result = await quantizeModel(source, target, { ...run.options, signal: run.signal, onProgress: (progress) => run.onStep?.({ step: 'quantizing', progress }) });
  run.onStep?.({ step: 'quantized', result });
  const made: Int8Record = {
    format: 1,
    origin: 'quantized',
    quantizer: QUANTIZER_VERSION,
    source: { file: path.basename(source), sha256, ...sourceStamp },
    output: { file: path.basename(target), ...(await stampOf(target))! },
    options: result.options,
    counts: result.counts,
    seconds: Number(result.seconds.toFixed(2)),
    createdAt: new Date().toISOString(),
    verification: null,
  };
  await writeRecord(dir, made);
  return made;
}
