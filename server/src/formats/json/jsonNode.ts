/** JSON values with their source offsets: `start` at the first character, `end` just past the last. */
export type JsonNode = JsonObject | JsonArray | JsonString | JsonNumber | JsonBoolean | JsonNull;

interface NodeBase {
  start: number;
  end: number;
}

export interface JsonString extends NodeBase {
  type: 'string';
  value: string;
  /** The source holds backslash escapes (so text offsets and source offsets differ). */
  escaped: boolean;
}

export interface JsonNumber extends NodeBase {
  type: 'number';
  value: number;
}

export interface JsonBoolean extends NodeBase {
  type: 'boolean';
  value: boolean;
}

export interface JsonNull extends NodeBase {
  type: 'null';
  value: null;
  /** Set when the parser skipped this value (nested too deep) and stands a null in its place. */
  skipped?: true;
}

export interface JsonProperty {
  key: string;
  keyStart: number;
  value: JsonNode;
}

export interface JsonObject extends NodeBase {
  type: 'object';
  properties: JsonProperty[];
}

export interface JsonArray extends NodeBase {
  type: 'array';
  items: JsonNode[];
}

export function isObject(node: JsonNode | undefined | null): node is JsonObject {
  return node?.type === 'object';
}

export function isArray(node: JsonNode | undefined | null): node is JsonArray {
  return node?.type === 'array';
}

/** The value of `key` (the last one, as JSON.parse does when a key repeats). */
export function prop(node: JsonNode | undefined | null, key: string): JsonNode | undefined {
  if (node?.type !== 'object') return undefined;
  const props = node.properties;
  for (let i = props.length - 1; i >= 0; i--) if (props[i].key === key) return props[i].value;
  return undefined;
}

/** Follows a chain of keys and array indices. */
export function at(node: JsonNode | undefined | null, ...path: Array<string | number>): JsonNode | undefined {
  let cur: JsonNode | undefined | null = node;
  for (const step of path) {
    if (!cur) return undefined;
    if (typeof step === 'number') cur = cur.type === 'array' ? cur.items[step] : undefined;
    else cur = prop(cur, step);
  }
  return cur ?? undefined;
}

export function stringAt(node: JsonNode | undefined | null, ...path: Array<string | number>): string | null {
  const v = at(node, ...path);
  return v?.type === 'string' ? v.value : null;
}

/** A scalar as text (numbers and booleans too), for ids, labels and metadata. */
export function scalarText(node: JsonNode | undefined | null): string | null {
  if (!node) return null;
  switch (node.type) {
    case 'string':
      return node.value;
    case 'number':
    case 'boolean':
      return String(node.value);
    default:
      return null;
  }
}

/**
 * Plain JS value of a node, to a bounded depth (deeper parts become null): for metadata and
 * small sub-trees only; the formats walk the positional tree itself.
 */
export function toPlain(node: JsonNode | undefined | null, maxDepth = 32): unknown {
  if (!node) return null;
  switch (node.type) {
    case 'object': {
      if (maxDepth <= 0) return null;
      const out: Record<string, unknown> = {};
      for (const p of node.properties) out[p.key] = toPlain(p.value, maxDepth - 1);
      return out;
    }
    case 'array':
      return maxDepth <= 0 ? null : node.items.map((v) => toPlain(v, maxDepth - 1));
    default:
      return node.value;
  }
}
