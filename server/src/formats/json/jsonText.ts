import type { JsonRecordSource } from '../format';
import { prop, type JsonNode, type JsonString } from './jsonNode';
import { jsonStringEscapes } from './jsonParser';
import { EscapedTextMap, JoinedTextMap, type TextMap } from '../../text/textMap';
import type { Range } from '../../text/positions';
import type { Expectation, MetadataValue, ResponseRecord } from '../records';

/** A piece of text found in a document (a response or a prompt), with where it sits. */
export interface LocatedText {
  text: string;
  map: TextMap;
  range: Range;
}

/** The text of a JSON string node, mapped to its place inside the quotes. */
export function locateString(node: JsonString, source: JsonRecordSource): LocatedText {
  // the escapes are looked for only if a span inside the text is ever mapped (a refusal's sentence)
  const escapes = node.escaped ? () => jsonStringEscapes(source.src, node) : [];
  const map = new EscapedTextMap(source.positions, node.start + 1, node.value.length, escapes, node.end - node.start - 2);
  return { text: node.value, map, range: map.range(0, node.value.length) };
}

/** Several string nodes read as one text joined by a blank line (content given as a list of parts). */
export function locateJoined(nodes: JsonString[], source: JsonRecordSource): LocatedText | null {
  if (nodes.length === 0) return null;
  return joinLocated(
    nodes.map((n) => locateString(n, source)),
    '\n\n',
  );
}

/** Located texts (at least one) read as one, joined by `separator`: a span maps from its first part to its last. */
export function joinLocated(parts: readonly LocatedText[], separator: string): LocatedText {
  if (parts.length === 1) return parts[0];
  const map = new JoinedTextMap(
    parts.map((p) => p.map),
    separator.length,
  );
  return { text: parts.map((p) => p.text).join(separator), map, range: { start: parts[0].range.start, end: parts[parts.length - 1].range.end } };
}

/**
 * The text of message content as the chat formats write it: a string, or a list of parts
 * `{type: "text", text}` (other part types such as images are skipped). Null when there is no text.
 */
export function locateContent(node: JsonNode | undefined, source: JsonRecordSource): LocatedText | null {
  if (!node) return null;
  if (node.type === 'string') return locateString(node, source);
  if (node.type !== 'array') return null;
  const strings: JsonString[] = [];
  for (const part of node.items) {
    if (part.type === 'string') strings.push(part);
    else if (part.type === 'object') {
      const type = prop(part, 'type');
      const text = prop(part, 'text');
      if (text?.type === 'string' && (!type || (type.type === 'string' && (type.value === 'text' || type.value === 'output_text')))) strings.push(text);
    }
  }
  return locateJoined(strings, source);
}

/** A stable id prefix for a record: `line 12` for JSONL, empty for a document. */
export function recordPrefix(source: JsonRecordSource): string {
  return source.line === null ? '' : `line ${source.line}: `;
}

export interface ResponseExtras {
  prompt?: LocatedText | null;
  model?: string | null;
  expected?: Expectation | null;
  entry?: string;
  metadata?: Record<string, MetadataValue>;
}

/** A response record from located text: the one way every JSON format builds its records. */
export function toResponse(id: string, text: LocatedText, extras: ResponseExtras = {}): ResponseRecord {
  const r: ResponseRecord = {
    id,
    text: text.text,
    range: text.range,
    map: text.map,
    prompt: extras.prompt?.text ?? null,
    promptRange: extras.prompt?.range ?? null,
    model: extras.model ?? null,
    expected: extras.expected ?? null,
    metadata: extras.metadata ?? {},
  };
  if (extras.entry !== undefined) r.entry = extras.entry;
  return r;
}
