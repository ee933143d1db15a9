/**
 * The arithmetic of weight quantization, on row-major [rows, columns] float matrices read in
 * chunks of whole rows.
 *
 * Matrix weights (MatMul / Gemm B, [K, N]): symmetric int8, zero point 0, q = round(w / s)
 * clamped to [-127, 127]; s = max|w| / 127 over the whole matrix (per tensor) or over each
 * output column (per channel). onnxruntime's int8 GEMM (u8 activations x s8 weights) takes both.
 * Embedding tables (Gather data, [V, H]): asymmetric uint8 over [min(w, 0), max(w, 0)] (zero is
 * exact), per tensor or per hidden column, dequantized after the Gather.
 */

export type Granularity = 'per-tensor' | 'per-channel';

const INT8_MAX = 127;

/** Running max |w| per column (or overall), fed row chunks. */
export class SymmetricRange {
  private readonly absMax: Float64Array;

  constructor(
    private readonly columns: number,
    readonly granularity: Granularity,
  ) {
    this.absMax = new Float64Array(granularity === 'per-channel' ? columns : 1);
  }

  add(rows: Float32Array): void {
    const m = this.absMax;
    if (this.granularity === 'per-tensor') {
      let best = m[0];
      for (let i = 0; i < rows.length; i++) {
        const a = Math.abs(rows[i]);
        if (a > best) best = a;
      }
      m[0] = best;
      return;
    }
    const n = this.columns;
    for (let i = 0; i < rows.length; i++) {
      const a = Math.abs(rows[i]);
      const c = i % n;
      if (a > m[c]) m[c] = a;
    }
  }

  /** One scale per column (or one), never 0: an all-zero column keeps scale 1. */
  scales(): Float32Array {
    return Float32Array.from(this.absMax, (a) => (a > 0 && Number.isFinite(a) ? a / INT8_MAX : 1));
  }
}

/** Quantizes row chunks of a [*, columns] matrix with `scales` (one, or one per column). */
export function quantizeSymmetric(rows: Float32Array, scales: Float32Array, columns: number, out: Int8Array): void {
  if (scales.length === 1) {
    const inv = 1 / scales[0];
    for (let i = 0; i < rows.length; i++) out[i] = clamp(Math.round(rows[i] * inv), -INT8_MAX, INT8_MAX);
    return;
  }
  const inv = Float64Array.from(scales, (s) => 1 / s);
  for (let i = 0; i < rows.length; i++) out[i] = clamp(Math.round(rows[i] * inv[i % columns]), -INT8_MAX, INT8_MAX);
}

/** Running min/max per column (or overall), for uint8 embedding tables. */
export class AsymmetricRange {
  private readonly min: Float64Array;
  private readonly max: Float64Array;

  constructor(
    private readonly columns: number,
    readonly granularity: Granularity,
  ) {
    const n = granularity === 'per-channel' ? columns : 1;
    this.min = new Float64Array(n);
    this.max = new Float64Array(n);
  }

  add(rows: Float32Array): void {
    const perColumn = this.granularity === 'per-channel';
    for (let i = 0; i < rows.length; i++) {
      const c = perColumn ? i % this.columns : 0;
      const v = rows[i];
      if (v < this.min[c]) this.min[c] = v;
      if (v > this.max[c]) this.max[c] = v;
    }
  }

  /** Scales and uint8 zero points; the range always holds 0, so zero quantizes exactly. */
  params(): { scales: Float32Array; zeroPoints: Uint8Array } {
    const scales = new Float32Array(this.min.length);
    const zeroPoints = new Uint8Array(this.min.length);
    for (let c = 0; c < this.min.length; c++) {
      const span = this.max[c] - this.min[c];
      const s = span > 0 && Number.isFinite(span) ? span / 255 : 1;
      scales[c] = s;
      zeroPoints[c] = clamp(Math.round(-this.min[c] / Math.fround(s)), 0, 255);
    }
    return { scales, zeroPoints };
  }
}

export function quantizeAsymmetric(rows: Float32Array, scales: Float32Array, zeroPoints: Uint8Array, columns: number, out: Uint8Array): void {
  const perColumn = scales.length > 1;
  for (let i = 0; i < rows.length; i++) {
    const c = perColumn ? i % columns : 0;
    out[i] = clamp(Math.round(rows[i] / scales[c]) + zeroPoints[c], 0, 255);
  }
}

/** [rows, columns] -> [columns, rows] (Gemm weights with transB = 1 are stored [N, K]). */
export function transpose(m: Float32Array, rows: number, columns: number): Float32Array {
  const out = new Float32Array(m.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < columns; c++) out[c * rows + r] = m[r * columns + c];
  return out;
}

function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}
