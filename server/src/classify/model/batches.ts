/**
 * Groups token sequences into batches for the session: sorted by length so that each batch pads
 * to nearly its own length (padding is work thrown away), capped in padded tokens so that the
 * largest batch (and so the memory onnxruntime's arena keeps) stays bounded.
 */

export interface BatchLimits {
  /** Most padded tokens (rows x longest row) in one batch. */
  maxTokens: number;
  /** Most rows in one batch. */
  maxRows: number;
  /** Largest share of a batch's padded tokens that may be padding (0.05: 5%). */
  maxPadding: number;
}

export const DEFAULT_BATCH_LIMITS: BatchLimits = { maxTokens: 2048, maxRows: 32, maxPadding: 0.05 };

/**
 * The int8 model in batches of at most 512 padded tokens: measured 22% faster than 2,048 on
 * 2 threads (its matrix products are cheap, so attention and the float work around them weigh
 * more, and grow with batch width) and 110 MB less peak memory (the arena keeps the largest
 * batch's activations, which int8 leaves in float). See docs/performance-tuning.md.
 */
export const INT8_BATCH_LIMITS: BatchLimits = { ...DEFAULT_BATCH_LIMITS, maxTokens: 512 };

export function batchLimitsFor(precision: 'fp32' | 'int8'): BatchLimits {
  return precision === 'int8' ? INT8_BATCH_LIMITS : DEFAULT_BATCH_LIMITS;
}

/** Batches of indexes into `lengths`, shortest sequences first. */
export function planBatches(lengths: readonly number[], limits: BatchLimits = DEFAULT_BATCH_LIMITS): number[][] {
  const order = lengths.map((_, i) => i).sort((a, b) => lengths[a] - lengths[b] || a - b);
  const batches: number[][] = [];
  let batch: number[] = [];
  let real = 0;
  for (const i of order) {
    const len = lengths[i];
    // Sorted ascending: adding this row pads every row in the batch to `len`.
    const rows = batch.length + 1;
    const padded = rows * len;
    const fits = rows <= limits.maxRows && padded <= limits.maxTokens && padded - (real + len) <= limits.maxPadding * padded;
    if (batch.length > 0 && !fits) {
      batches.push(batch);
      batch = [];
      real = 0;
    }
    batch.push(i);
    real += len;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

/** The session's two int64 inputs for rows of ids, padded on the right with `padId`. */
export function batchInputs(rows: readonly (readonly number[])[], padId: number): { ids: BigInt64Array; mask: BigInt64Array; width: number } {
  let width = 0;
  for (const r of rows) width = Math.max(width, r.length);
  const ids = new BigInt64Array(rows.length * width).fill(BigInt(padId));
  const mask = new BigInt64Array(rows.length * width);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    const base = i * width;
    for (let j = 0; j < row.length; j++) {
      ids[base + j] = BigInt(row[j]);
      mask[base + j] = 1n;
    }
  }
  return { ids, mask, width };
}
