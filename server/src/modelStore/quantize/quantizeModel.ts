import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import * as path from 'node:path';
import { DataType } from '../onnx/onnxSchema';
import { encode, GRAPH_FIELD, MODEL_FIELD, readLayout, TENSOR_FIELD, types, type ModelLayout } from './onnxLayout';
import { lenField, lenPrefix, WireFile } from './protoWire';
import { DEFAULT_QUANTIZE_OPTIONS, MS_DOMAIN, planQuantization, type QuantizationPlan, type QuantizeOptions, type WeightJob } from './quantizationPlan';
import { AsymmetricRange, quantizeAsymmetric, quantizeSymmetric, SymmetricRange, transpose } from './weightQuantization';

/**
 * Writes the int8 dynamic-quantization of an ONNX model (see quantizationPlan.ts for what
 * changes). Streams: the source is read one weight at a time in chunks of rows, everything kept
 * is copied byte for byte, and the output is written in one pass (every length is known from the
 * plan) to a temporary file beside the target, synced, then renamed over it: the target is
 * either the old file or the complete new one, never half written.
 */

export interface QuantizeProgress {
  /** Output bytes written so far, of `total`. */
  done: number;
  total: number;
}

export interface QuantizeRunOptions extends Partial<QuantizeOptions> {
  onProgress?: (p: QuantizeProgress) => void;
  signal?: AbortSignal;
}

export interface QuantizeResult {
  target: string;
  bytes: number;
  sourceBytes: number;
  options: QuantizeOptions;
  counts: QuantizationPlan['counts'];
  /** Float weights replaced, and what replaced them (quantized data, scales, zero points), in bytes. */
  weightBytes: { before: number; after: number };
  seconds: number;
}

export class NothingToQuantizeError extends Error {}

/** Rows read at a time: about 4 MB of floats. */
const CHUNK_BYTES = 4 << 20;

type Piece = { kind: 'copy'; start: number; end: number } | { kind: 'bytes'; data: Uint8Array } | { kind: 'weight'; job: WeightJob; length: number };

export async function quantizeModel(source: string, target: string, run: QuantizeRunOptions = {}): Promise<QuantizeResult> {
  const t0 = performance.now();
  const options: QuantizeOptions = {
    granularity: run.granularity ?? DEFAULT_QUANTIZE_OPTIONS.granularity,
    embeddings: run.embeddings ?? DEFAULT_QUANTIZE_OPTIONS.embeddings,
    pattern: run.pattern ?? DEFAULT_QUANTIZE_OPTIONS.pattern,
    minEmbeddingElements: run.minEmbeddingElements ?? DEFAULT_QUANTIZE_OPTIONS.minEmbeddingElements,
  };
  const input = await fsp.open(source, 'r');
  try {
    const file = await WireFile.open(input);
    const layout = await readLayout(file);
    const plan = planQuantization(layout, options);
    if (plan.weights.size === 0) throw new NothingToQuantizeError(`${source}: no MatMul, Gemm or Gather reads a float weight matrix; nothing to quantize`);
    const pieces = modelPieces(layout, plan);
    const total = pieces.reduce((n, p) => n + pieceLength(p), 0);
    const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}-${randomBytes(4).toString('hex')}.partial`);
    const output = await fsp.open(tmp, 'wx');
    try {
      const out = new SequentialWriter(output, (done) => run.onProgress?.({ done, total }));
      for (const p of pieces) {
        if (run.signal?.aborted) throw new Error('quantization cancelled');
        if (p.kind === 'bytes') await out.write(p.data);
        else if (p.kind === 'copy') await copyRange(file, p.start, p.end, out);
        else {
          await writeWeight(file, p.job, out, run.signal);
          run.onProgress?.({ done: out.written, total });
        }
      }
      await out.flush();
      if (out.written !== total) throw new Error(`internal error: wrote ${out.written} bytes, planned ${total}`);
      await output.datasync();
      await output.close();
      await fsp.rename(tmp, target);
    } catch (e) {
      await output.close().catch(() => undefined);
      await fsp.rm(tmp, { force: true });
      throw e;
    }
    let before = 0;
    let after = 0;
    for (const job of plan.weights.values()) {
      before += job.rows * job.columns * 4;
      after += weightPieceLength(job);
    }
    return { target, bytes: total, sourceBytes: file.size, options, counts: plan.counts, weightBytes: { before, after }, seconds: (performance.now() - t0) / 1000 };
  } finally {
    await input.close();
  }
}

/** The output, as pieces: the model's fields with the graph rewritten, and the com.microsoft opset when needed. */
function modelPieces(layout: ModelLayout, plan: QuantizationPlan): Piece[] {
  const graph: Piece[] = [];
  layout.graph.forEach((e, i) => {
    if (e.kind === 'node') {
      if (plan.removed.has(i)) return;
      const nodes = plan.replaced.get(i);
      if (!nodes) graph.push({ kind: 'copy', start: e.span.start, end: e.span.end });
      else for (const n of nodes) graph.push({ kind: 'bytes', data: lenField(GRAPH_FIELD.NODE, encode(types().node, n)) });
    } else if (e.kind === 'initializer') {
      const job = plan.weights.get(e.tensor.name);
      graph.push(job ? { kind: 'weight', job, length: weightPieceLength(job) } : { kind: 'copy', start: e.span.start, end: e.span.end });
    } else if (!(e.kind === 'value_info' && plan.vanished.has(e.name))) {
      graph.push({ kind: 'copy', start: e.span.start, end: e.span.end });
    }
  });
  const graphLength = graph.reduce((n, p) => n + pieceLength(p), 0);
  const pieces: Piece[] = [];
  for (const f of layout.fields) {
    if (f.field === MODEL_FIELD.GRAPH) pieces.push({ kind: 'bytes', data: lenPrefix(MODEL_FIELD.GRAPH, graphLength) }, ...graph);
    else pieces.push({ kind: 'copy', start: f.start, end: f.end });
  }
  if (plan.contribOps && !layout.opsets.some((o) => o.domain === MS_DOMAIN)) {
    pieces.push({ kind: 'bytes', data: lenField(MODEL_FIELD.OPSET_IMPORT, encode(types().opset, { domain: MS_DOMAIN, version: 1 })) });
  }
  return pieces;
}

function pieceLength(p: Piece): number {
  return p.kind === 'copy' ? p.end - p.start : p.kind === 'bytes' ? p.data.length : p.length;
}

/** A quantized weight's initializers: scale, zero point, then the int8 (or uint8) data. */
function weightPieceLength(job: WeightJob): number {
  const channels = job.granularity === 'per-channel' ? job.columns : 1;
  const { scale, zeroPoint } = paramFields(job, new Float32Array(channels), new Uint8Array(channels));
  return scale.length + zeroPoint.length + dataPrefix(job).length + job.rows * job.columns;
}

function paramFields(job: WeightJob, scales: Float32Array, zeroPoints: Uint8Array | Int8Array): { scale: Uint8Array; zeroPoint: Uint8Array } {
  const dims = job.granularity === 'per-channel' ? [job.columns] : [];
  const bytes = (a: Float32Array | Uint8Array | Int8Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const zpType = job.kind === 'embedding' ? DataType.UINT8 : DataType.INT8;
  return {
    scale: lenField(GRAPH_FIELD.INITIALIZER, encode(types().tensor, { name: job.names.scale, dims, dataType: DataType.FLOAT, rawData: bytes(scales) })),
    zeroPoint: lenField(GRAPH_FIELD.INITIALIZER, encode(types().tensor, { name: job.names.zeroPoint, dims, dataType: zpType, rawData: bytes(zeroPoints) })),
  };
}

/** The quantized data's initializer up to its bytes: the field's tag and length, the tensor's header, then raw_data's tag and length. */
function dataPrefix(job: WeightJob): Uint8Array {
  const n = job.rows * job.columns;
  const header = encode(types().tensor, { name: job.names.q, dims: [job.rows, job.columns], dataType: job.kind === 'embedding' ? DataType.UINT8 : DataType.INT8 });
  const raw = lenPrefix(TENSOR_FIELD.RAW_DATA, n);
  return Buffer.concat([lenPrefix(GRAPH_FIELD.INITIALIZER, header.length + raw.length + n), header, raw]);
}

/** Two passes over the weight's floats: its range (scales), then the quantized values, streamed out. */
async function writeWeight(file: WireFile, job: WeightJob, out: SequentialWriter, signal?: AbortSignal): Promise<void> {
  const { rows, columns } = job;
  // Transposed weights (Gemm transB) are small classifier matrices: held whole.
  const whole = job.kind === 'matrix-transposed' ? transpose(await readFloats(file, job.source.data!.start, rows * columns), columns, rows) : null;
  const chunkRows = Math.max(1, Math.floor(CHUNK_BYTES / (columns * 4)));
  const chunks = async function* (): AsyncGenerator<Float32Array> {
    for (let r = 0; r < rows; r += chunkRows) {
      if (signal?.aborted) throw new Error('quantization cancelled');
      const count = Math.min(chunkRows, rows - r) * columns;
      yield whole ? whole.subarray(r * columns, r * columns + count) : await readFloats(file, job.source.data!.start + r * columns * 4, count);
    }
  };
  const q = await quantizerFor(job, chunks());
  const params = paramFields(job, q.scales, q.zeroPoints);
  await out.write(params.scale);
  await out.write(params.zeroPoint);
  await out.write(dataPrefix(job));
  for await (const c of chunks()) await out.write(q.quantize(c));
}

/** The first pass: the weight's scales and zero points, and how a chunk of its rows is then quantized. */
async function quantizerFor(job: WeightJob, chunks: AsyncIterable<Float32Array>): Promise<{ scales: Float32Array; zeroPoints: Uint8Array | Int8Array; quantize(c: Float32Array): Uint8Array }> {
  const { columns } = job;
  if (job.kind === 'embedding') {
    const range = new AsymmetricRange(columns, job.granularity);
    for await (const c of chunks) range.add(c);
    const { scales, zeroPoints } = range.params();
    return {
      scales,
      zeroPoints,
      quantize: (c) => {
        const q = new Uint8Array(c.length);
        quantizeAsymmetric(c, scales, zeroPoints, columns, q);
        return q;
      },
    };
  }
  const range = new SymmetricRange(columns, job.granularity);
  for await (const c of chunks) range.add(c);
  const scales = range.scales();
  return {
    scales,
    zeroPoints: new Int8Array(scales.length),
    quantize: (c) => {
      const q = new Int8Array(c.length);
      quantizeSymmetric(c, scales, columns, q);
      return new Uint8Array(q.buffer, q.byteOffset, q.byteLength);
    },
  };
}

async function readFloats(file: WireFile, start: number, count: number): Promise<Float32Array> {
  const buf = await file.read(start, count * 4);
  if (buf.byteOffset % 4 === 0) return new Float32Array(buf.buffer, buf.byteOffset, count);
  return new Float32Array(Uint8Array.from(buf).buffer);
}

async function copyRange(file: WireFile, start: number, end: number, out: SequentialWriter): Promise<void> {
  for (let p = start; p < end; p += CHUNK_BYTES) await out.write(await file.read(p, Math.min(CHUNK_BYTES, end - p)));
}

/** Appends to a file through a 1 MB buffer; large writes go straight through. */
class SequentialWriter {
  written = 0;
  private readonly buffer = Buffer.allocUnsafe(1 << 20);
  private used = 0;
  private position = 0;
  private lastReport = 0;

  constructor(
    private readonly handle: FileHandle,
    private readonly onProgress: (written: number) => void,
  ) {}

  async write(data: Uint8Array): Promise<void> {
    if (this.used + data.length > this.buffer.length) await this.flush();
    if (data.length >= this.buffer.length) await this.put(data);
    else {
      this.buffer.set(data, this.used);
      this.used += data.length;
    }
    this.written += data.length;
    if (this.written - this.lastReport >= 1 << 20) {
      this.lastReport = this.written;
      this.onProgress(this.written);
    }
  }

  async flush(): Promise<void> {
    if (this.used > 0) await this.put(this.buffer.subarray(0, this.used));
    this.used = 0;
    this.onProgress(this.written);
  }

  private async put(data: Uint8Array): Promise<void> {
    let done = 0;
    while (done < data.length) {
      const { bytesWritten } = await this.handle.write(data, done, data.length - done, this.position);
      done += bytesWritten;
      this.position += bytesWritten;
    }
  }
}
