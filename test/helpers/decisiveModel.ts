import * as fs from 'node:fs';
import { ModelTokenizer } from '../../server/src/classify/model/tokenizer';
import { VERIFICATION_TEXTS } from '../../server/src/classify/model/verificationTexts';
import { decodeModel, encodeModel, floatTensor, tensorFloats } from '../../server/src/modelStore/onnx/onnxModel';
import { DataType } from '../../server/src/modelStore/onnx/onnxSchema';
import { logitsOf } from './logits';
import { tinyModel } from './tinyModel';

/**
 * A generated tiny model whose every verification text is a confident REJECTION (margin at
 * least 2.5 logits): its classifier's REJECTION bias is raised. Random weights put many scores
 * near 0.5, where int8's small errors flip labels and the check against fp32 rightly refuses it
 * (labels mean nothing there); on this model a sound int8 version passes, so a refusal is news.
 */
export async function decisiveTinyModel(): Promise<string> {
  const { dir } = tinyModel();
  const file = `${dir}/onnx/model.onnx`;
  const logits = await logitsOf(file, await ModelTokenizer.load(dir), VERIFICATION_TEXTS);
  const shift = 2.5 - Math.min(...logits.map((l) => l[1] - l[0]));
  rewriteFloats(file, (name, v) => (name === 'classifier.out_proj.bias' ? v.map((x, i) => (i === 1 ? x + shift : x)) : null));
  return dir;
}

/** Rewrites a model's float initializers in place: `change` returns new values, or null to keep a tensor. */
export function rewriteFloats(file: string, change: (name: string, values: Float32Array) => Float32Array | null): void {
  const m = decodeModel(fs.readFileSync(file));
  m.graph!.initializer = m.graph!.initializer!.map((t) => {
    if (t.dataType !== DataType.FLOAT) return t;
    const values = change(t.name ?? '', tensorFloats(t));
    return values ? floatTensor(t.name ?? '', t.dims ?? [], values) : t;
  });
  fs.writeFileSync(file, encodeModel(m));
}
