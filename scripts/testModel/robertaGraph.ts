import { GraphBuilder, modelOf } from '../../server/src/modelStore/onnx/graphBuilder';
import { attr, floatTensor, type ModelProto } from '../../server/src/modelStore/onnx/onnxModel';
import { DataType } from '../../server/src/modelStore/onnx/onnxSchema';

/**
 * A RobertaForSequenceClassification graph, as the Hugging Face ONNX export computes it:
 * inputs `input_ids`, `attention_mask` int64 [batch, seq], output `logits` float [batch, labels].
 * Position ids are RoBERTa's: cumsum(ids != pad) * (ids != pad) + pad. Post-LayerNorm encoder
 * layers, exact (erf) GELU, masked attention, classifier dense + tanh + out_proj on <s>.
 */

export interface RobertaShape {
  vocabSize: number;
  hiddenSize: number;
  layers: number;
  heads: number;
  intermediateSize: number;
  maxPositions: number;
  padTokenId: number;
  labels: number;
  layerNormEps: number;
}

export type WeightKind = 'matrix' | 'embedding' | 'bias' | 'norm-weight' | 'norm-bias';

export interface WeightSpec {
  /** Hugging Face's parameter name. */
  name: string;
  /** Shape as stored in the graph: MatMul weights are [in, out] (the export's layout), Gemm ones [out, in]. */
  dims: number[];
  kind: WeightKind;
}

/** Every parameter of the model, in a fixed order (the order weights are drawn from a seeded generator). */
export function robertaWeights(s: RobertaShape): WeightSpec[] {
  const h = s.hiddenSize;
  const w: WeightSpec[] = [
    { name: 'roberta.embeddings.word_embeddings.weight', dims: [s.vocabSize, h], kind: 'embedding' },
    { name: 'roberta.embeddings.position_embeddings.weight', dims: [s.maxPositions, h], kind: 'embedding' },
    { name: 'roberta.embeddings.token_type_embeddings.weight', dims: [1, h], kind: 'embedding' },
    { name: 'roberta.embeddings.LayerNorm.weight', dims: [h], kind: 'norm-weight' },
    { name: 'roberta.embeddings.LayerNorm.bias', dims: [h], kind: 'norm-bias' },
  ];
  for (let i = 0; i < s.layers; i++) {
    const p = `roberta.encoder.layer.${i}`;
    for (const part of ['query', 'key', 'value']) {
      w.push({ name: `${p}.attention.self.${part}.weight`, dims: [h, h], kind: 'matrix' });
      w.push({ name: `${p}.attention.self.${part}.bias`, dims: [h], kind: 'bias' });
    }
    w.push(
      { name: `${p}.attention.output.dense.weight`, dims: [h, h], kind: 'matrix' },
      { name: `${p}.attention.output.dense.bias`, dims: [h], kind: 'bias' },
      { name: `${p}.attention.output.LayerNorm.weight`, dims: [h], kind: 'norm-weight' },
      { name: `${p}.attention.output.LayerNorm.bias`, dims: [h], kind: 'norm-bias' },
      { name: `${p}.intermediate.dense.weight`, dims: [h, s.intermediateSize], kind: 'matrix' },
      { name: `${p}.intermediate.dense.bias`, dims: [s.intermediateSize], kind: 'bias' },
      { name: `${p}.output.dense.weight`, dims: [s.intermediateSize, h], kind: 'matrix' },
      { name: `${p}.output.dense.bias`, dims: [h], kind: 'bias' },
      { name: `${p}.output.LayerNorm.weight`, dims: [h], kind: 'norm-weight' },
      { name: `${p}.output.LayerNorm.bias`, dims: [h], kind: 'norm-bias' },
    );
  }
  w.push(
    { name: 'classifier.dense.weight', dims: [h, h], kind: 'matrix' },
    { name: 'classifier.dense.bias', dims: [h], kind: 'bias' },
    { name: 'classifier.out_proj.weight', dims: [s.labels, h], kind: 'matrix' },
    { name: 'classifier.out_proj.bias', dims: [s.labels], kind: 'bias' },
  );
  return w;
}

export function parameterCount(s: RobertaShape): number {
  return robertaWeights(s).reduce((n, w) => n + w.dims.reduce((a, b) => a * b, 1), 0);
}

/** Builds the model; `weight(spec)` supplies each parameter's values. */
export function buildRobertaModel(s: RobertaShape, weight: (spec: WeightSpec) => Float32Array, metadata: Record<string, string> = {}): ModelProto {
  if (s.hiddenSize % s.heads !== 0) throw new Error('hidden size must be a multiple of the head count');
  const g = new GraphBuilder();
  const W: Record<string, string> = {};
  for (const spec of robertaWeights(s)) {
    const data = weight(spec);
    if (data.length !== spec.dims.reduce((a, b) => a * b, 1)) throw new Error(`wrong size for ${spec.name}`);
    W[spec.name] = g.initializer(floatTensor(spec.name, spec.dims, data));
  }
  const h = s.hiddenSize;
  const headSize = h / s.heads;
  const ids = g.input('input_ids', DataType.INT64, ['batch', 'seq']);
  const mask = g.input('attention_mask', DataType.INT64, ['batch', 'seq']);
  const norm = (x: string, prefix: string) => g.op('LayerNormalization', [x, W[`${prefix}.weight`], W[`${prefix}.bias`]], { axis: attr.int(-1), epsilon: attr.float(s.layerNormEps) });
  const linear = (x: string, prefix: string) => g.op('Add', [g.op('MatMul', [x, W[`${prefix}.weight`]]), W[`${prefix}.bias`]]);

  // Embeddings: word + token type 0 + RoBERTa positions (padding tokens sit at position pad).
  const pad = g.constInt64([s.padTokenId], []);
  const notPad = g.op('Cast', [g.op('Not', [g.op('Equal', [ids, pad])])], { to: attr.int(DataType.INT64) });
  const positions = g.op('Add', [g.op('Mul', [g.op('CumSum', [notPad, g.constInt64([1], [])]), notPad]), pad]);
  let x = g.op('Add', [
    g.op('Add', [g.op('Gather', [W['roberta.embeddings.word_embeddings.weight'], ids]), W['roberta.embeddings.token_type_embeddings.weight']]),
    g.op('Gather', [W['roberta.embeddings.position_embeddings.weight'], positions]),
  ]);
  x = norm(x, 'roberta.embeddings.LayerNorm');

  // Additive attention bias [batch, 1, 1, seq]: 0 where attended, float32 min where masked.
  const maskF = g.op('Unsqueeze', [g.op('Cast', [mask], { to: attr.int(DataType.FLOAT) }), g.constInt64([1, 2])]);
  const bias = g.op('Mul', [g.op('Sub', [g.constFloat([1]), maskF]), g.constFloat([-3.4028234663852886e38])]);
  const splitHeads = g.constInt64([0, 0, s.heads, headSize]);
  const mergeHeads = g.constInt64([0, 0, h]);
  const scale = g.constFloat([Math.sqrt(headSize)]);

  for (let i = 0; i < s.layers; i++) {
    const p = `roberta.encoder.layer.${i}`;
    const heads = (t: string, perm: number[]) => g.op('Transpose', [g.op('Reshape', [t, splitHeads])], { perm: attr.ints(perm) });
    const q = heads(linear(x, `${p}.attention.self.query`), [0, 2, 1, 3]);
    const k = heads(linear(x, `${p}.attention.self.key`), [0, 2, 3, 1]);
    const v = heads(linear(x, `${p}.attention.self.value`), [0, 2, 1, 3]);
    const scores = g.op('Add', [g.op('Div', [g.op('MatMul', [q, k]), scale]), bias]);
    const probs = g.op('Softmax', [scores], { axis: attr.int(-1) });
    const context = g.op('Reshape', [g.op('Transpose', [g.op('MatMul', [probs, v])], { perm: attr.ints([0, 2, 1, 3]) }), mergeHeads]);
    const attended = norm(g.op('Add', [linear(context, `${p}.attention.output.dense`), x]), `${p}.attention.output.LayerNorm`);
    const inner = linear(attended, `${p}.intermediate.dense`);
    const gelu = g.op('Mul', [g.op('Mul', [inner, g.op('Add', [g.op('Erf', [g.op('Div', [inner, g.constFloat([Math.SQRT2])])]), g.constFloat([1])])]), g.constFloat([0.5])]);
    x = norm(g.op('Add', [linear(gelu, `${p}.output.dense`), attended]), `${p}.output.LayerNorm`);
  }

  // Classifier head on the first token (<s>).
  const first = g.op('Gather', [x, g.constInt64([0], [])], { axis: attr.int(1) });
  const dense = g.op('Tanh', [g.op('Gemm', [first, W['classifier.dense.weight'], W['classifier.dense.bias']], { transB: attr.int(1) })]);
  g.op('Gemm', [dense, W['classifier.out_proj.weight'], W['classifier.out_proj.bias']], { transB: attr.int(1) }, 'logits');
  g.output('logits', DataType.FLOAT, ['batch', s.labels]);
  return modelOf(g.graph('roberta_sequence_classification'), 17, 'refusal-lens test-model generator', metadata);
}
