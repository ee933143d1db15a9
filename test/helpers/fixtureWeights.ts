import { decodeModel, tensorFloats, type ModelProto } from '../../server/src/modelStore/onnx/onnxModel';

/**
 * The parameters of a PyTorch-exported RobertaForSequenceClassification, under Hugging Face's
 * names and in the layout the generator's graph uses: named initializers, aliases the exporter
 * made with Identity nodes for equal tensors, and MatMul weights named after their node.
 */
export function exportedWeights(bytes: Uint8Array): Map<string, Float32Array> {
  const model: ModelProto = decodeModel(bytes);
  const graph = model.graph ?? {};
  const byName = new Map((graph.initializer ?? []).map((t) => [t.name ?? '', tensorFloats(t)]));
  const out = new Map<string, Float32Array>();
  for (const [name, data] of byName) if (!name.startsWith('onnx::')) out.set(name, data);
  for (const node of graph.node ?? []) {
    const [input] = node.input ?? [];
    if (node.opType === 'Identity' && byName.has(input)) out.set(node.output![0], byName.get(input)!);
    if (node.opType === 'MatMul') {
      const weight = (node.input ?? []).find((i) => byName.has(i));
      if (weight && node.name) out.set(`${node.name.replace(/^\//, '').replace(/\/MatMul$/, '').replace(/\//g, '.')}.weight`, byName.get(weight)!);
    }
  }
  return out;
}
