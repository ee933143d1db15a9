import type { JsonExtractor, JsonFormat, JsonRecordSource } from './format';
import { isArray, isObject, prop, scalarText, stringAt, type JsonNode, type JsonObject } from './json/jsonNode';
import { locateString, recordPrefix, toResponse, type LocatedText } from './json/jsonText';
import { locatePrompt } from './json/promptText';
import { expectationOf } from './expectation';
import type { ExtractOptions, ExtractSink, MetadataValue } from './records';

/**
 * OpenAI evals record logs (`oaieval` writes them to /tmp/evallogs/*.jsonl): a `{"spec": ...}`
 * line first, events `{run_id, event_id, sample_id, type, data, created_by, created_at}` one a
 * line, and a `{"final_report": ...}` line (written when the run ends, so usually before the
 * events flushed at exit). Responses are `data.sampled` of `sampling` events (a string, or a list
 * with one entry per choice); the prompt is `data.prompt` (a string, or chat messages: the last
 * user message). The model is the run's `spec.completion_fns` (the name it was run under); the
 * API's own model name, `data.model`, is kept as metadata and stands in when no spec line was read.
 */

function isEvent(node: JsonNode | undefined): node is JsonObject {
  return isObject(node) && prop(node, 'run_id') !== undefined && prop(node, 'event_id') !== undefined && prop(node, 'type') !== undefined && prop(node, 'data') !== undefined;
}

function isSpecLine(node: JsonNode): boolean {
  const spec = prop(node, 'spec');
  return isObject(spec) && (prop(spec, 'completion_fns') !== undefined || prop(spec, 'eval_name') !== undefined);
}

function isFinalReport(node: JsonNode): boolean {
  return isObject(node) && node.properties.length === 1 && node.properties[0].key === 'final_report';
}

export const openaiEvalsFormat: JsonFormat = {
  kind: 'json',
  name: 'openai-evals',
  label: 'OpenAI evals record log',
  match(root) {
    if (isSpecLine(root)) return 10;
    if (isEvent(root)) return 9;
    return isFinalReport(root) ? 6 : 0;
  },
  begin(options: ExtractOptions): JsonExtractor {
    let runModel: string | null = null;
    return {
      record(root, source, sink) {
        if (isSpecLine(root)) {
          const fns = prop(prop(root, 'spec'), 'completion_fns');
          const names = isArray(fns) ? fns.items.map((f) => scalarText(f)).filter((f): f is string => !!f) : [];
          runModel = names.length > 0 ? names.join(', ') : null;
          return;
        }
        if (isEvent(root) && stringAt(root, 'type') === 'sampling') extractSampling(root, source, runModel, options, sink);
      },
    };
  },
};

function extractSampling(event: JsonObject, source: JsonRecordSource, runModel: string | null, options: ExtractOptions, sink: ExtractSink): void {
  const prefix = recordPrefix(source);
  const data = prop(event, 'data');
  const sampled = prop(data, 'sampled');
  const promptNode = prop(data, 'prompt');
  const apiModel = stringAt(data, 'model');
  const expected = isObject(data) ? expectationOf(data, options) : null;
  const metadata: Record<string, MetadataValue> = {};
  const sampleId = scalarText(prop(event, 'sample_id'));
  if (sampleId !== null) metadata.sampleId = sampleId;
  if (apiModel !== null) metadata.apiModel = apiModel;
  const extras = (prompt: LocatedText | null) => ({ prompt, model: runModel ?? apiModel, expected, metadata: { ...metadata } });

  if (sampled?.type === 'string') {
    sink.response(toResponse(`${prefix}data.sampled`, locateString(sampled, source), extras(locatePrompt(promptNode, source))));
    return;
  }
  if (!isArray(sampled)) return;
  // a batch of completion prompts (a list of strings) pairs with the samples one to one
  const batch = isArray(promptNode) && promptNode.items.length === sampled.items.length && promptNode.items.every((p) => p.type === 'string') ? promptNode : null;
  const shared = batch ? null : locatePrompt(promptNode, source);
  sampled.items.forEach((item, k) => {
    if (item.type !== 'string') return;
    const prompt = batch ? locatePrompt(batch.items[k], source) : shared;
    sink.response(toResponse(`${prefix}data.sampled[${k}]`, locateString(item, source), extras(prompt)));
  });
}
