import { AttributeType, DataType, modelProtoType } from './onnxSchema';

/**
 * ONNX models as plain objects, and their encoding to and from bytes. int64 fields are numbers
 * (every value a model of this project holds fits in 2^53).
 */

export interface TensorProto {
  name?: string;
  dims?: number[];
  dataType?: number;
  rawData?: Uint8Array;
  floatData?: number[];
  int32Data?: number[];
  int64Data?: number[];
}

export interface AttributeProto {
  name?: string;
  type?: number;
  f?: number;
  i?: number;
  s?: Uint8Array;
  t?: TensorProto;
  floats?: number[];
  ints?: number[];
}

export interface NodeProto {
  input?: string[];
  output?: string[];
  name?: string;
  opType?: string;
  domain?: string;
  attribute?: AttributeProto[];
}

export interface ValueInfoProto {
  name?: string;
  type?: { tensorType?: { elemType?: number; shape?: { dim?: { dimValue?: number; dimParam?: string }[] } } };
}

export interface GraphProto {
  name?: string;
  node?: NodeProto[];
  initializer?: TensorProto[];
  input?: ValueInfoProto[];
  output?: ValueInfoProto[];
  valueInfo?: ValueInfoProto[];
}

export interface ModelProto {
  irVersion?: number;
  producerName?: string;
  producerVersion?: string;
  graph?: GraphProto;
  opsetImport?: { domain?: string; version?: number }[];
  metadataProps?: { key?: string; value?: string }[];
}

export function encodeModel(model: ModelProto): Uint8Array {
  const type = modelProtoType();
  return type.encode(type.fromObject(model as Record<string, unknown>)).finish();
}

export function decodeModel(bytes: Uint8Array): ModelProto {
  const type = modelProtoType();
  return type.toObject(type.decode(bytes), { longs: Number, arrays: true }) as ModelProto;
}

/** A float32 tensor; the bytes are a view of `data` (little-endian, as ONNX requires and x86/ARM are). */
export function floatTensor(name: string, dims: number[], data: Float32Array): TensorProto {
  return { name, dims, dataType: DataType.FLOAT, rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}

export function int64Tensor(name: string, dims: number[], values: number[]): TensorProto {
  return { name, dims, dataType: DataType.INT64, int64Data: values };
}

/** The float32 values of a tensor, whichever way it stores them. */
export function tensorFloats(t: TensorProto): Float32Array {
  if (t.dataType !== DataType.FLOAT) throw new Error(`tensor ${t.name} is not float32`);
  if (t.rawData && t.rawData.length) {
    const copy = new Uint8Array(t.rawData);
    return new Float32Array(copy.buffer, 0, copy.length / 4);
  }
  return Float32Array.from(t.floatData ?? []);
}

/** Attribute values, typed explicitly (1 and 1.0 are the same number in JS). */
export const attr = {
  int: (i: number): AttributeProto => ({ type: AttributeType.INT, i }),
  float: (f: number): AttributeProto => ({ type: AttributeType.FLOAT, f }),
  ints: (ints: number[]): AttributeProto => ({ type: AttributeType.INTS, ints }),
  floats: (floats: number[]): AttributeProto => ({ type: AttributeType.FLOATS, floats }),
  tensor: (t: TensorProto): AttributeProto => ({ type: AttributeType.TENSOR, t }),
};
