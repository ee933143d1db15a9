import type * as protobuf from 'protobufjs/light';
import type { NodeProto, TensorProto } from '../onnx/onnxModel';
import { modelProtoType } from '../onnx/onnxSchema';
import { WIRE, WireFile, type FieldSpan } from './protoWire';

/**
 * Where everything sits in an ONNX file, read without loading it: the model's fields, the
 * graph's fields in order (nodes and small messages decoded, tensors described by their header
 * and the position of their data). The quantizer plans from this and copies what it keeps
 * byte for byte.
 */

/** ModelProto and GraphProto field numbers (onnx.proto). */
export const MODEL_FIELD = { GRAPH: 7, OPSET_IMPORT: 8 } as const;
export const GRAPH_FIELD = { NODE: 1, INITIALIZER: 5, INPUT: 11, OUTPUT: 12, VALUE_INFO: 13 } as const;
export const TENSOR_FIELD = { FLOAT_DATA: 4, RAW_DATA: 9 } as const;
const EXTERNAL = 1;

export interface TensorInfo {
  name: string;
  dims: number[];
  dataType: number;
  /** The little-endian element bytes (raw_data, or packed float_data), or null when stored otherwise (external, unpacked). */
  data: { start: number; end: number } | null;
}

export type GraphEntry =
  | { kind: 'node'; span: FieldSpan; node: NodeProto }
  | { kind: 'initializer'; span: FieldSpan; tensor: TensorInfo }
  | { kind: 'input' | 'output' | 'value_info'; span: FieldSpan; name: string }
  | { kind: 'other'; span: FieldSpan };

export interface ModelLayout {
  /** The model's own fields in file order; the graph is the one with field MODEL_FIELD.GRAPH. */
  fields: FieldSpan[];
  opsets: { domain: string; version: number }[];
  graph: GraphEntry[];
}

export async function readLayout(file: WireFile): Promise<ModelLayout> {
  const fields = await file.fields(0, file.size);
  const graphs = fields.filter((f) => f.field === MODEL_FIELD.GRAPH && f.wireType === WIRE.LEN);
  if (graphs.length !== 1) throw new Error(`not an ONNX model: ${graphs.length} graphs at the top level`);
  const opsets: ModelLayout['opsets'] = [];
  for (const f of fields.filter((x) => x.field === MODEL_FIELD.OPSET_IMPORT && x.wireType === WIRE.LEN)) {
    const o = decode(types().opset, await value(file, f)) as { domain?: string; version?: number };
    opsets.push({ domain: o.domain ?? '', version: o.version ?? 0 });
  }
  const graph: GraphEntry[] = [];
  for (const span of await file.fields(graphs[0].valueStart, graphs[0].end)) {
    if (span.wireType !== WIRE.LEN) {
      graph.push({ kind: 'other', span });
      continue;
    }
    switch (span.field) {
      case GRAPH_FIELD.NODE:
        graph.push({ kind: 'node', span, node: decode(types().node, await value(file, span)) as NodeProto });
        break;
      case GRAPH_FIELD.INITIALIZER:
        graph.push({ kind: 'initializer', span, tensor: await tensorInfo(file, span) });
        break;
      case GRAPH_FIELD.INPUT:
      case GRAPH_FIELD.OUTPUT:
      case GRAPH_FIELD.VALUE_INFO: {
        const kind = span.field === GRAPH_FIELD.INPUT ? 'input' : span.field === GRAPH_FIELD.OUTPUT ? 'output' : 'value_info';
        graph.push({ kind, span, name: (decode(types().valueInfo, await value(file, span)) as { name?: string }).name ?? '' });
        break;
      }
      default:
        graph.push({ kind: 'other', span });
    }
  }
  return { fields, opsets, graph };
}

/** A tensor's header (every field but its data), decoded; its data located, not read. */
async function tensorInfo(file: WireFile, span: FieldSpan): Promise<TensorInfo> {
  const parts: Buffer[] = [];
  let data: TensorInfo['data'] = null;
  let unpacked = false;
  for (const f of await file.fields(span.valueStart, span.end)) {
    const isData = f.field === TENSOR_FIELD.RAW_DATA || f.field === TENSOR_FIELD.FLOAT_DATA;
    if (isData && f.wireType === WIRE.LEN) data = { start: f.valueStart, end: f.end };
    else if (isData) unpacked = true;
    else parts.push(await file.read(f.start, f.end - f.start));
  }
  const header = decode(types().tensor, Buffer.concat(parts)) as TensorProto & { dataLocation?: number };
  const external = header.dataLocation === EXTERNAL;
  return { name: header.name ?? '', dims: header.dims ?? [], dataType: header.dataType ?? 0, data: external || unpacked ? null : (data ?? { start: span.end, end: span.end }) };
}

/** The value bytes of a length-delimited field. */
export function value(file: WireFile, span: FieldSpan): Promise<Buffer> {
  return file.read(span.valueStart, span.end - span.valueStart);
}

export function encode(type: protobuf.Type, message: object): Uint8Array {
  return type.encode(type.fromObject(message as Record<string, unknown>)).finish();
}

function decode(type: protobuf.Type, bytes: Uint8Array): unknown {
  return type.toObject(type.decode(bytes), { longs: Number, arrays: true });
}

let cached: { node: protobuf.Type; tensor: protobuf.Type; valueInfo: protobuf.Type; opset: protobuf.Type } | null = null;

/** The ONNX message types the quantizer decodes and encodes. */
export function types(): NonNullable<typeof cached> {
  if (!cached) {
    const root = modelProtoType().root;
    cached = {
      node: root.lookupType('onnx.NodeProto'),
      tensor: root.lookupType('onnx.TensorProto'),
      valueInfo: root.lookupType('onnx.ValueInfoProto'),
      opset: root.lookupType('onnx.OperatorSetIdProto'),
    };
  }
  return cached;
}
