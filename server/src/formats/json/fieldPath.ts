import type { JsonNode } from './jsonNode';

/**
 * A small path syntax for naming fields in JSON the built-in formats do not know:
 * `output`, `choices[*].turns[*]`, `[*].output_1`, `data.items[0].text`, `meta["odd key"]`.
 * `[*]` (or `*`) takes every element of an array or every value of an object.
 */
export type PathStep = { key: string } | { index: number } | { any: true };

export class FieldPathError extends Error {}

export function parseFieldPath(path: string): PathStep[] {
  const steps: PathStep[] = [];
  let i = 0;
  const n = path.length;
  while (i < n) {
    const c = path[i];
    if (c === '.') {
      if (i === 0 || i === n - 1 || path[i + 1] === '.') throw new FieldPathError(`Empty step in field path "${path}"`);
      i++;
      continue;
    }
    if (c === '[') {
      const close = path.indexOf(']', i);
      if (close < 0) throw new FieldPathError(`Unclosed '[' in field path "${path}"`);
      const inner = path.slice(i + 1, close).trim();
      if (inner === '*') steps.push({ any: true });
      else if (/^\d+$/.test(inner)) steps.push({ index: Number(inner) });
      else if (/^(["']).*\1$/.test(inner)) steps.push({ key: inner.slice(1, -1) });
      else throw new FieldPathError(`Bad index [${inner}] in field path "${path}": use a number, * or a quoted key`);
      i = close + 1;
      continue;
    }
    let j = i;
    while (j < n && path[j] !== '.' && path[j] !== '[') j++;
    const key = path.slice(i, j);
    steps.push(key === '*' ? { any: true } : { key });
    i = j;
  }
  if (steps.length === 0) throw new FieldPathError('Empty field path');
  return steps;
}

export interface PathMatch {
  node: JsonNode;
  /** The concrete path of this match, e.g. `choices[2].turns[0]`. */
  path: string;
  /** The match one step up the path (absent at the start), to find the objects around a match. */
  parent?: PathMatch;
}

/** Every node the path reaches from `root`, with its concrete path, in document order. */
export function selectPath(root: JsonNode, steps: readonly PathStep[], basePath = ''): PathMatch[] {
  let current: PathMatch[] = [{ node: root, path: basePath }];
  for (const step of steps) {
    const next: PathMatch[] = [];
    for (const parent of current) {
      const { node, path } = parent;
      if ('key' in step) {
        if (node.type !== 'object') continue;
        const p = node.properties.findLast((q) => q.key === step.key);
        if (p) next.push({ node: p.value, path: joinKey(path, step.key), parent });
      } else if ('index' in step) {
        if (node.type === 'array' && step.index < node.items.length) next.push({ node: node.items[step.index], path: `${path}[${step.index}]`, parent });
      } else if (node.type === 'array') {
        node.items.forEach((item, i) => next.push({ node: item, path: `${path}[${i}]`, parent }));
      } else if (node.type === 'object') {
        for (const p of node.properties) next.push({ node: p.value, path: joinKey(path, p.key), parent });
      }
    }
    current = next;
  }
  return current;
}

export function joinKey(path: string, key: string): string {
  const plain = /^[A-Za-z_$][\w$-]*$/.test(key);
  if (!plain) return `${path}[${JSON.stringify(key)}]`;
  return path ? `${path}.${key}` : key;
}
