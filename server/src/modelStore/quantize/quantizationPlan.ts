import type { AttributeProto, NodeProto } from '../onnx/onnxModel';
import { AttributeType, DataType } from '../onnx/onnxSchema';
import type { ModelLayout, TensorInfo } from './onnxLayout';
import type { Granularity } from './weightQuantization';

/**
 * What the quantizer changes in a graph, decided from its layout alone (no weight is read here).
 *
 * A float initializer is quantized when every use of it is one of:
 *  - MatMul's second input (the first being computed): becomes onnxruntime's
 *    DynamicQuantizeMatMul (com.microsoft; the activation quantized to uint8 per run, int8
 *    weights prepacked at load), taking the bias of a following Add when it is a constant [N]
 *    vector; or, with pattern 'onnx', the standard ONNX ops DynamicQuantizeLinear ->
 *    MatMulInteger -> Cast -> Mul (that onnxruntime fuses into MatMulIntegerToFloat at load);
 *  - Gemm's B (transA 0, alpha 1, C absent or a constant [N] vector with beta 1): the same, on
 *    the transposed weights when transB is 1;
 *  - Gather's data along axis 0 (an embedding table), when large: uint8 table, Gather, then
 *    DequantizeLinear.
 * Everything else stays as it is.
 */

export type QuantPattern = 'contrib' | 'onnx';

export interface QuantizeOptions {
  /** Scales of matrix weights: one per matrix, or one per output column. */
  granularity: Granularity;
  /** Embedding tables: 'none' keeps them float. */
  embeddings: Granularity | 'none';
  pattern: QuantPattern;
  /** Gather tables with fewer elements stay float (position tables are small). */
  minEmbeddingElements: number;
}

export const DEFAULT_QUANTIZE_OPTIONS: QuantizeOptions = { granularity: 'per-channel', embeddings: 'per-tensor', pattern: 'contrib', minEmbeddingElements: 1 << 20 };

export type WeightKind = 'matrix' | 'matrix-transposed' | 'embedding';

export interface WeightJob {
  source: TensorInfo;
  kind: WeightKind;
  /** The written matrix's shape: [K, N] for matrices (after transposition), [V, H] for tables. */
  rows: number;
  columns: number;
  granularity: Granularity;
  names: { q: string; scale: string; zeroPoint: string };
}

export interface QuantizationPlan {
  /** By the float initializer they replace. */
  weights: Map<string, WeightJob>;
  /** Graph entry index -> the nodes written in its place. */
  replaced: Map<number, NodeProto[]>;
  /** Graph entries dropped (Adds folded into DynamicQuantizeMatMul). */
  removed: Set<number>;
  /** Values that no longer exist (their value_info entries are dropped). */
  vanished: Set<string>;
  /** True when com.microsoft ops are written (the model then imports that domain). */
  contribOps: boolean;
  counts: { matmul: number; gemm: number; gather: number; biasFolded: number };
}

export const MS_DOMAIN = 'com.microsoft';

interface Use {
  entry: number;
  node: NodeProto;
  slot: number;
}

export function planQuantization(layout: ModelLayout, options: QuantizeOptions): QuantizationPlan {
  const entries = layout.graph;
  const initializers = new Map<string, TensorInfo>();
  const taken = new Set<string>();
  const graphInputs = new Set<string>();
  const graphOutputs = new Set<string>();
  const consumers = new Map<string, Use[]>();
  const inSubgraphs = new Set<string>();
  entries.forEach((e, entry) => {
    if (e.kind === 'initializer') initializers.set(e.tensor.name, e.tensor);
    if (e.kind === 'input') graphInputs.add(e.name);
    if (e.kind === 'output') graphOutputs.add(e.name);
    if (e.kind === 'initializer') taken.add(e.tensor.name);
    else if (e.kind === 'input' || e.kind === 'output' || e.kind === 'value_info') taken.add(e.name);
    else if (e.kind === 'node') {
      const n = e.node;
      if (n.name) taken.add(n.name);
      (n.output ?? []).forEach((o) => taken.add(o));
      (n.input ?? []).forEach((name, slot) => {
        taken.add(name);
        if (!name) return;
        const list = consumers.get(name) ?? [];
        list.push({ entry, node: n, slot });
        consumers.set(name, list);
      });
      for (const a of n.attribute ?? []) subgraphNames(a, inSubgraphs);
    }
  });
  const fresh = (base: string) => {
    let name = base;
    for (let i = 1; taken.has(name); i++) name = `${base}_${i}`;
    taken.add(name);
    return name;
  };
  const opset = layout.opsets.find((o) => o.domain === '' || o.domain === 'ai.onnx')?.version ?? 0;
  const isComputed = (name: string) => !initializers.has(name) || graphInputs.has(name);
  // PyTorch's exporter stores equal tensors once and names the copies with Identity nodes (biases
  // that start equal, say): a bias read through such a node is still that constant.
  const aliases = new Map<string, string>();
  for (const e of entries) {
    if (e.kind !== 'node' || e.node.opType !== 'Identity' || (e.node.domain && e.node.domain !== 'ai.onnx')) continue;
    const [input] = e.node.input ?? [];
    const [output] = e.node.output ?? [];
    if (input && output && initializers.has(input) && !graphInputs.has(input)) aliases.set(output, input);
  }
  const constant = (name: string | undefined) => (name ? (aliases.get(name) ?? name) : undefined);
  const floatVector = (name: string | undefined, n: number) => {
    const c = constant(name);
    const t = c ? initializers.get(c) : undefined;
    return !!t && !graphInputs.has(t.name) && t.dataType === DataType.FLOAT && t.dims.length === 1 && t.dims[0] === n;
  };

  const plan: QuantizationPlan = { weights: new Map(), replaced: new Map(), removed: new Set(), vanished: new Set(), contribOps: false, counts: { matmul: 0, gemm: 0, gather: 0, biasFolded: 0 } };
  const sharedQuantized = new Map<string, { q: string; scale: string; zeroPoint: string }>();

  for (const [name, t] of initializers) {
    if (t.dataType !== DataType.FLOAT || t.dims.length !== 2 || !t.data || graphInputs.has(name) || inSubgraphs.has(name)) continue;
    if (t.data.end - t.data.start !== t.dims[0] * t.dims[1] * 4) continue;
    const uses = consumers.get(name) ?? [];
    if (uses.length === 0) continue;
    const kinds = new Set(uses.map((u) => useKind(u, t)));
    if (kinds.size !== 1) continue;
    const kind = [...kinds][0];
    if (kind === null) continue;
    const [rows, columns] = kind === 'matrix-transposed' ? [t.dims[1], t.dims[0]] : [t.dims[0], t.dims[1]];
    const granularity = kind === 'embedding' ? (options.embeddings as Granularity) : options.granularity;
    plan.weights.set(name, {
      source: t,
      kind,
      rows,
      columns,
      granularity,
      names: { q: fresh(`${name}_quantized`), scale: fresh(`${name}_scale`), zeroPoint: fresh(`${name}_zero_point`) },
    });
  }

  function useKind(u: Use, t: TensorInfo): WeightKind | null {
    const n = u.node;
    const inputs = n.input ?? [];
    if (n.domain && n.domain !== 'ai.onnx') return null;
    if (n.opType === 'MatMul' && u.slot === 1 && isComputed(inputs[0])) return 'matrix';
    if (n.opType === 'Gemm' && u.slot === 1 && isComputed(inputs[0])) {
      if (intAttr(n, 'transA', 0) !== 0 || floatAttr(n, 'alpha', 1) !== 1) return null;
      const transB = intAttr(n, 'transB', 0) === 1;
      const columns = transB ? t.dims[0] : t.dims[1];
      if (inputs[2] && (floatAttr(n, 'beta', 1) !== 1 || !floatVector(inputs[2], columns))) return null;
      return transB ? 'matrix-transposed' : 'matrix';
    }
    if (n.opType === 'Gather' && u.slot === 0 && options.embeddings !== 'none' && intAttr(n, 'axis', 0) === 0) {
      if (t.dims[0] * t.dims[1] < options.minEmbeddingElements || opset < (options.embeddings === 'per-channel' ? 13 : 10)) return null;
      return 'embedding';
    }
    return null;
  }

  /** y = A x W (+ bias), as the chosen pattern writes it. */
  const linear = (a: string, job: WeightJob, bias: string | null, out: string, label: string): NodeProto[] => {
    const { q, scale, zeroPoint } = job.names;
    if (options.pattern === 'contrib') {
      plan.contribOps = true;
      return [{ opType: 'DynamicQuantizeMatMul', domain: MS_DOMAIN, name: fresh(`${label}_quant`), input: bias ? [a, q, scale, zeroPoint, bias] : [a, q, scale, zeroPoint], output: [out] }];
    }
    const nodes: NodeProto[] = [];
    let aq = sharedQuantized.get(a);
    if (!aq) {
      // One DynamicQuantizeLinear per activation, shared by every MatMul that reads it (Q, K and V).
      aq = { q: fresh(`${a}_quantized`), scale: fresh(`${a}_scale`), zeroPoint: fresh(`${a}_zero_point`) };
      sharedQuantized.set(a, aq);
      nodes.push({ opType: 'DynamicQuantizeLinear', name: fresh(`${a}_DynamicQuantizeLinear`), input: [a], output: [aq.q, aq.scale, aq.zeroPoint] });
    }
    const int32 = fresh(`${label}_int32`);
    const float = fresh(`${label}_float`);
    const factor = fresh(`${label}_scale`);
    const scaled = bias ? fresh(`${label}_scaled`) : out;
    nodes.push(
      { opType: 'MatMulInteger', name: fresh(`${label}_MatMulInteger`), input: [aq.q, q, aq.zeroPoint, zeroPoint], output: [int32] },
      { opType: 'Cast', name: fresh(`${label}_Cast`), input: [int32], output: [float], attribute: [{ name: 'to', type: AttributeType.INT, i: DataType.FLOAT }] },
      { opType: 'Mul', name: fresh(`${label}_ScaleMul`), input: [aq.scale, scale], output: [factor] },
      { opType: 'Mul', name: fresh(`${label}_Mul`), input: [float, factor], output: [scaled] },
    );
    if (bias) nodes.push({ opType: 'Add', name: fresh(`${label}_Bias`), input: [scaled, bias], output: [out] });
    return nodes;
  };

  entries.forEach((e, entry) => {
    if (e.kind !== 'node') return;
    const n = e.node;
    const inputs = n.input ?? [];
    const label = n.name || n.opType || 'node';
    const job = n.opType === 'Gather' ? plan.weights.get(inputs[0]) : n.opType === 'MatMul' || n.opType === 'Gemm' ? plan.weights.get(inputs[1]) : undefined;
    if (!job) return;
    if (n.opType === 'MatMul') {
      const out = n.output![0];
      const add = options.pattern === 'contrib' ? foldableAdd(out, job.columns) : null;
      if (add) {
        plan.removed.add(add.entry);
        plan.vanished.add(out);
        plan.counts.biasFolded++;
        plan.replaced.set(entry, linear(inputs[0], job, add.bias, add.node.output![0], label));
      } else {
        plan.replaced.set(entry, linear(inputs[0], job, null, out, label));
      }
      plan.counts.matmul++;
    } else if (n.opType === 'Gemm') {
      plan.replaced.set(entry, linear(inputs[0], job, constant(inputs[2] || undefined) ?? null, n.output![0], label));
      plan.counts.gemm++;
    } else if (n.opType === 'Gather') {
      const gathered = fresh(`${n.output![0]}_quantized`);
      const dequantize: NodeProto = { opType: 'DequantizeLinear', name: fresh(`${label}_DequantizeLinear`), input: [gathered, job.names.scale, job.names.zeroPoint], output: [n.output![0]] };
      if (job.granularity === 'per-channel') dequantize.attribute = [{ name: 'axis', type: AttributeType.INT, i: -1 }];
      plan.replaced.set(entry, [{ ...n, name: fresh(`${label}_quant`), input: [job.names.q, ...inputs.slice(1)], output: [gathered] }, dequantize]);
      plan.counts.gather++;
    }
  });

  /** The Add right after a MatMul that adds a constant [N] vector, when nothing else reads the product. */
  function foldableAdd(product: string, columns: number): { entry: number; node: NodeProto; bias: string } | null {
    const uses = consumers.get(product) ?? [];
    if (uses.length !== 1 || graphOutputs.has(product)) return null;
    const { entry, node, slot } = uses[0];
    const inputs = node.input ?? [];
    if (node.opType !== 'Add' || (node.domain && node.domain !== 'ai.onnx') || inputs.length !== 2) return null;
    const bias = inputs[1 - slot];
    return floatVector(bias, columns) ? { entry, node, bias: constant(bias)! } : null;
  }

  return plan;
}

function intAttr(n: NodeProto, name: string, fallback: number): number {
  return n.attribute?.find((a) => a.name === name)?.i ?? fallback;
}

function floatAttr(n: NodeProto, name: string, fallback: number): number {
  return n.attribute?.find((a) => a.name === name)?.f ?? fallback;
}

/** Every value name read inside a node's subgraphs (If, Loop, Scan bodies). */
function subgraphNames(a: AttributeProto & { g?: { node?: NodeProto[] }; graphs?: { node?: NodeProto[] }[] }, out: Set<string>): void {
  for (const g of [a.g, ...(a.graphs ?? [])]) {
    for (const n of g?.node ?? []) {
      for (const i of n.input ?? []) out.add(i);
      for (const inner of n.attribute ?? []) subgraphNames(inner, out);
    }
  }
}
