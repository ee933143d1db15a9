import * as ort from 'onnxruntime-node';
import { sessionInputs } from '../../server/src/classify/model/session';
import type { ModelTokenizer } from '../../server/src/classify/model/tokenizer';

/** Raw logits of each text, one text per run, from a session over `file` (graph optimisations as the detector runs them). */
export async function logitsOf(file: string, tokenizer: ModelTokenizer, texts: readonly string[]): Promise<Float32Array[]> {
  const session = await ort.InferenceSession.create(file, { intraOpNumThreads: 1, graphOptimizationLevel: 'all' });
  try {
    const out: Float32Array[] = [];
    for (const t of texts) {
      const r = await session.run(sessionInputs([tokenizer.encode(t, 512)], tokenizer.padId));
      out.push(Float32Array.from(r.logits.data as Float32Array));
    }
    return out;
  } finally {
    await session.release();
  }
}

/**
 * How far apart two runs' logits are, against how much the reference's logits vary: the largest
 * absolute difference, and the range (max - min) of every reference logit over the texts.
 */
export function logitAgreement(reference: Float32Array[], candidate: Float32Array[]): { maxDiff: number; range: number; ratio: number } {
  let maxDiff = 0;
  let lo = Infinity;
  let hi = -Infinity;
  reference.forEach((r, i) =>
    r.forEach((x, j) => {
      maxDiff = Math.max(maxDiff, Math.abs(x - candidate[i][j]));
      lo = Math.min(lo, x);
      hi = Math.max(hi, x);
    }),
  );
  return { maxDiff, range: hi - lo, ratio: maxDiff / (hi - lo) };
}
