import { floatTensor, int64Tensor, type AttributeProto, type GraphProto, type ModelProto, type NodeProto, type TensorProto, type ValueInfoProto } from './onnxModel';

/** Builds an ONNX graph node by node; each op returns its output's name, so graphs read like code. */
export class GraphBuilder {
  private readonly nodes: NodeProto[] = [];
  private readonly initializers: TensorProto[] = [];
  private readonly inputs: ValueInfoProto[] = [];
  private readonly outputs: ValueInfoProto[] = [];
  private readonly used = new Set<string>();
  private readonly constants = new Map<string, string>();

  /** A graph input; dims are sizes or symbolic names (`batch`, `seq`). */
  input(name: string, elemType: number, dims: (number | string)[]): string {
    this.inputs.push(valueInfo(name, elemType, dims));
    this.used.add(name);
    return name;
  }

  output(name: string, elemType: number, dims: (number | string)[]): void {
    this.outputs.push(valueInfo(name, elemType, dims));
  }

  initializer(tensor: TensorProto): string {
    if (!tensor.name || this.used.has(tensor.name)) throw new Error(`initializer name missing or taken: ${tensor.name}`);
    this.used.add(tensor.name);
    this.initializers.push(tensor);
    return tensor.name;
  }

  /** A float32 constant (scalar when dims is []), shared by identical uses. */
  constFloat(values: number[], dims: number[] = []): string {
    return this.constant(`f:${dims.join('x')}:${values.join(',')}`, (name) => floatTensor(name, dims, Float32Array.from(values)));
  }

  constInt64(values: number[], dims: number[] = [values.length]): string {
    return this.constant(`i:${dims.join('x')}:${values.join(',')}`, (name) => int64Tensor(name, dims, values));
  }

  /** Adds a node; returns its (first) output name. `out` names the output, else one is made. */
  op(opType: string, inputs: string[], attributes: Record<string, AttributeProto> = {}, out?: string): string {
    const output = out ?? this.fresh(opType);
    this.used.add(output);
    this.nodes.push({
      opType,
      name: `${opType}_${this.nodes.length}`,
      input: inputs,
      output: [output],
      attribute: Object.entries(attributes).map(([name, a]) => ({ ...a, name })),
    });
    return output;
  }

  graph(name: string): GraphProto {
    return { name, node: this.nodes, initializer: this.initializers, input: this.inputs, output: this.outputs };
  }

  private constant(key: string, make: (name: string) => TensorProto): string {
    let name = this.constants.get(key);
    if (!name) {
      name = this.initializer(make(this.fresh('const')));
      this.constants.set(key, name);
    }
    return name;
  }

  private fresh(prefix: string): string {
    let i = this.used.size;
    while (this.used.has(`${prefix}_${i}`)) i++;
    return `${prefix}_${i}`;
  }
}

function valueInfo(name: string, elemType: number, dims: (number | string)[]): ValueInfoProto {
  return {
    name,
    type: { tensorType: { elemType, shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } },
  };
}

/** A model around a graph: IR version 8, the default ONNX domain at `opset`. */
export function modelOf(graph: GraphProto, opset: number, producerName: string, metadata: Record<string, string> = {}): ModelProto {
  return {
    irVersion: 8,
    producerName,
    producerVersion: '1',
    opsetImport: [{ domain: '', version: opset }],
    graph,
    metadataProps: Object.entries(metadata).map(([key, value]) => ({ key, value })),
  };
}
