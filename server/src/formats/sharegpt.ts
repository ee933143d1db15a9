import type { JsonExtractor, JsonFormat, JsonRecordSource } from './format';
import { isArray, isObject, prop, scalarText, stringAt, type JsonArray, type JsonNode, type JsonObject } from './json/jsonNode';
import { locateContent, toResponse, type LocatedText } from './json/jsonText';
import { recordsOrArrayOfRecords } from './json/recordArrays';
import { expectationOf } from './expectation';
import type { ExtractOptions, ExtractSink, MetadataValue } from './records';

/**
 * ShareGPT conversations: `{"conversations": [{"from": "human", "value": ...}, {"from": "gpt", ...}]}`
 * records, one a line (JSONL) or a JSON array of them (or one record). Every turn whose speaker is
 * a model (`gpt`, `assistant`, `chatgpt`, `bard`, `bing`, `model`) is a response; its prompt is the
 * `human`/`user` turn before it. The `role`/`content` spelling of the same list (fine-tuning tools
 * accept both) and a singular `conversation` key (LMSYS-Chat) are read the same way.
 * The model is the record's `model` when there is one.
 */

const RESPONSE_SPEAKERS = new Set(['gpt', 'assistant', 'chatgpt', 'bard', 'bing', 'model']);
const PROMPT_SPEAKERS = new Set(['human', 'user']);
const CONVERSATION_KEYS = ['conversations', 'conversation'];

function speakerOf(turn: JsonNode): string | null {
  return (stringAt(turn, 'from') ?? stringAt(turn, 'role'))?.toLowerCase() ?? null;
}

function conversationOf(node: JsonNode | undefined): { key: string; turns: JsonArray } | null {
  if (!isObject(node)) return null;
  for (const key of CONVERSATION_KEYS) {
    const turns = prop(node, key);
    if (isArray(turns) && turns.items.some((t) => isObject(t) && speakerOf(t) !== null && (prop(t, 'value') ?? prop(t, 'content')) !== undefined)) {
      return { key, turns };
    }
  }
  return null;
}

export const sharegptFormat: JsonFormat = {
  kind: 'json',
  name: 'sharegpt',
  label: 'ShareGPT conversations',
  match(root) {
    if (conversationOf(root)) return 9;
    if (isArray(root) && conversationOf(root.items.find(isObject))) return 8;
    return 0;
  },
  // a large document is an array of conversations, read one element at a time
  streaming: { arrays: [[]] },
  begin(options: ExtractOptions): JsonExtractor {
    return recordsOrArrayOfRecords((node, source, idPrefix, sink) => extractRecord(node, source, idPrefix, options, sink));
  },
};

function extractRecord(node: JsonNode, source: JsonRecordSource, idPrefix: string, options: ExtractOptions, sink: ExtractSink): void {
  const conversation = conversationOf(node);
  if (!conversation) return;
  const record = node as JsonObject;
  const model = stringAt(record, 'model');
  const expected = expectationOf(record, options);
  const metadata: Record<string, MetadataValue> = {};
  const id = scalarText(prop(record, 'id')) ?? scalarText(prop(record, 'conversation_id'));
  if (id !== null) metadata.conversationId = id;
  let prompt: LocatedText | null = null;
  conversation.turns.items.forEach((turn, i) => {
    const speaker = speakerOf(turn);
    if (speaker === null) return;
    const valueKey = prop(turn, 'value') !== undefined ? 'value' : 'content';
    const text = locateContent(prop(turn, valueKey), source);
    if (PROMPT_SPEAKERS.has(speaker)) prompt = text;
    if (!RESPONSE_SPEAKERS.has(speaker) || !text) return;
    sink.response(toResponse(`${idPrefix}${conversation.key}[${i}].${valueKey}`, text, { prompt, model, expected, metadata: { ...metadata } }));
  });
}
