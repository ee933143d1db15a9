import type { JsonExtractor, JsonFormat, JsonRecordSource } from './format';
import { at, isArray, isObject, prop, stringAt, type JsonNode, type JsonObject } from './json/jsonNode';
import { locateContent, recordPrefix, toResponse } from './json/jsonText';
import type { ExtractOptions, ExtractSink, MetadataValue } from './records';

/**
 * Batch API result files, one result a line, matched to the requests by `custom_id` (the prompts
 * are in the request file, not here):
 * - OpenAI (and the providers that copy its Batch API): `{id, custom_id, response: {status_code,
 *   request_id, body}, error}`, the body a chat completion (`choices[k].message.content`) or a
 *   Responses API response (`output[k]` messages of `output_text` parts);
 * - Anthropic Message Batches: `{custom_id, result: {type: "succeeded", message: {model, content:
 *   [{type: "text", text}], stop_reason}}}`.
 * A request that failed (`response: null` with an `error`, or a result of type `errored`,
 * `canceled`, `expired`) has no response.
 */

function isOpenAiResult(node: JsonNode | undefined): node is JsonObject {
  if (!isObject(node) || prop(node, 'custom_id') === undefined) return false;
  const response = prop(node, 'response');
  return (isObject(response) && prop(response, 'body') !== undefined) || (response?.type === 'null' && prop(node, 'error') !== undefined);
}

function isAnthropicResult(node: JsonNode | undefined): node is JsonObject {
  return isObject(node) && prop(node, 'custom_id') !== undefined && stringAt(node, 'result', 'type') !== null;
}

export const batchOutputFormat: JsonFormat = {
  kind: 'json',
  name: 'batch-output',
  label: 'Batch API results (OpenAI, Anthropic)',
  match(root) {
    return isOpenAiResult(root) || isAnthropicResult(root) ? 10 : 0;
  },
  begin(_options: ExtractOptions): JsonExtractor {
    return {
      record(root, source, sink) {
        if (isOpenAiResult(root)) openAiResult(root, source, sink);
        else if (isAnthropicResult(root)) anthropicResult(root, source, sink);
      },
    };
  },
};

function baseMetadata(line: JsonObject): Record<string, MetadataValue> {
  const id = stringAt(line, 'custom_id');
  return id === null ? {} : { custom_id: id };
}

function openAiResult(line: JsonObject, source: JsonRecordSource, sink: ExtractSink): void {
  const body = at(line, 'response', 'body');
  if (!isObject(body)) return;
  const prefix = `${recordPrefix(source)}response.body.`;
  const model = stringAt(body, 'model');
  const choices = prop(body, 'choices');
  if (isArray(choices)) {
    choices.items.forEach((c, k) => {
      const message = locateContent(at(c, 'message', 'content'), source);
      const text = message ?? locateContent(prop(c, 'text'), source); // `text`: the legacy completions endpoint
      if (!text) return; // tool calls only
      const metadata = baseMetadata(line);
      const finish = stringAt(c, 'finish_reason');
      if (finish) metadata.finish_reason = finish;
      const path = message ? `choices[${k}].message.content` : `choices[${k}].text`;
      sink.response(toResponse(`${prefix}${path}`, text, { model, metadata }));
    });
  }
  const output = prop(body, 'output');
  if (isArray(output)) {
    output.items.forEach((item, k) => {
      if (stringAt(item, 'type') !== 'message' || (stringAt(item, 'role') ?? 'assistant') !== 'assistant') return; // reasoning, tool calls
      const text = locateContent(prop(item, 'content'), source);
      if (text) sink.response(toResponse(`${prefix}output[${k}].content`, text, { model, metadata: baseMetadata(line) }));
    });
  }
}

function anthropicResult(line: JsonObject, source: JsonRecordSource, sink: ExtractSink): void {
  if (stringAt(line, 'result', 'type') !== 'succeeded') return;
  const message = at(line, 'result', 'message');
  const text = locateContent(prop(message, 'content'), source);
  if (!text) return; // tool use only
  const metadata = baseMetadata(line);
  const stop = stringAt(message, 'stop_reason');
  if (stop) metadata.stop_reason = stop;
  sink.response(toResponse(`${recordPrefix(source)}result.message.content`, text, { model: stringAt(message, 'model'), metadata }));
}
