import type { JsonExtractor, JsonFormat, JsonRecordSource } from './format';
import { isArray, isObject, prop, stringAt, type JsonNode, type JsonObject } from './json/jsonNode';
import { locateContent, toResponse, type LocatedText } from './json/jsonText';
import { recordsOrArrayOfRecords } from './json/recordArrays';
import { expectationOf } from './expectation';
import type { ExtractOptions, ExtractSink } from './records';

/**
 * OpenAI chat: `{"messages": [{role, content}, ...], "model"?}` records (fine-tune JSONL, or a
 * JSON document holding one record or an array of them), and raw API responses
 * `{"choices": [{"message": {...}}], "model"}`.
 */

function isChatRecord(node: JsonNode | undefined): node is JsonObject {
  if (!isObject(node)) return false;
  const messages = prop(node, 'messages');
  if (isArray(messages)) return messages.items.some((m) => isObject(m) && prop(m, 'role') !== undefined);
  const choices = prop(node, 'choices');
  return isArray(choices) && choices.items.some((c) => isObject(prop(c, 'message')));
}

export const openaiChatFormat: JsonFormat = {
  kind: 'json',
  name: 'openai-chat',
  label: 'OpenAI chat messages',
  match(root) {
    if (isChatRecord(root)) return 8;
    if (isArray(root) && root.items.length > 0 && isChatRecord(root.items[0])) return 7;
    return 0;
  },
  // a large document is an array of records, read one element at a time
  streaming: { arrays: [[]] },
  begin(options: ExtractOptions): JsonExtractor {
    return recordsOrArrayOfRecords((node, source, idPrefix, sink) => extractRecord(node, source, idPrefix, options, sink));
  },
};

function extractRecord(node: JsonNode, source: JsonRecordSource, idPrefix: string, options: ExtractOptions, sink: ExtractSink): void {
  if (!isObject(node)) return;
  const model = stringAt(node, 'model');
  const expected = expectationOf(node, options);
  const messages = prop(node, 'messages');
  let prompt: LocatedText | null = null;
  if (isArray(messages)) {
    messages.items.forEach((m, i) => {
      const role = stringAt(m, 'role');
      if (role === 'user') prompt = locateContent(prop(m, 'content'), source);
      if (role !== 'assistant') return;
      const text = locateContent(prop(m, 'content'), source);
      if (!text) return; // tool calls only
      sink.response(toResponse(`${idPrefix}messages[${i}].content`, text, { prompt, model, expected }));
    });
  }
  const choices = prop(node, 'choices');
  if (isArray(choices)) {
    choices.items.forEach((c, i) => {
      const text = locateContent(prop(prop(c, 'message'), 'content'), source);
      if (text) sink.response(toResponse(`${idPrefix}choices[${i}].message.content`, text, { prompt, model, expected }));
    });
  }
}
