import type { JsonExtractor, JsonFormat, JsonRecordSource } from './format';
import { at, isArray, isObject, prop, scalarText, stringAt, type JsonNode, type JsonObject } from './json/jsonNode';
import { locateContent, locateString, toResponse, type LocatedText } from './json/jsonText';
import { expectationOf } from './expectation';
import { baseName, parentFolder } from './filePath';
import type { ExtractOptions, ExtractSink, MetadataValue } from './records';

/**
 * HELM run outputs, `benchmark_output/runs/<suite>/<run spec>/`:
 * - `display_predictions.json`: `[{instance_id, train_trial_index, predicted_text, stats,
 *   mapped_output?, perturbation?, annotations?}]`; the response is `predicted_text`. The prompt
 *   is in `display_requests.json`, not here; the model is in the run folder's name
 *   (`...,model=openai_gpt-4o-2024-05-13`, HELM's `org/name` with `_` for `/`).
 * - `scenario_state.json`: `{adapter_spec: {model, ...}, request_states: [{instance, train_trial_index,
 *   request: {model, prompt | messages}, result: {completions: [{text, tokens}]}}]}`; every
 *   completion is a response (one unless `num_completions` asked for more), its prompt the
 *   request's `prompt` (chat requests: the last user message), its model the request's. Requests
 *   made per answer choice to score it (`reference_index` set: multiple_choice_separate methods)
 *   echo the prompt and generate nothing, and are skipped.
 * Annotations (judges' prompts that quote the response) and token lists are not read. The other
 * files of a run folder (`display_requests.json`, `instances.json`, `per_instance_stats.json`,
 * `stats.json`, `run_spec.json`, `scenario.json`) are recognised and hold no responses.
 */

const AUXILIARY_FILES = new Set(['display_requests.json', 'instances.json', 'per_instance_stats.json', 'stats.json', 'run_spec.json', 'scenario.json', 'costs.json']);

function isPrediction(node: JsonNode | undefined): boolean {
  return isObject(node) && prop(node, 'instance_id') !== undefined && prop(node, 'predicted_text') !== undefined && prop(node, 'train_trial_index') !== undefined;
}

function isScenarioState(node: JsonNode): boolean {
  return isObject(node) && isObject(prop(node, 'adapter_spec')) && isArray(prop(node, 'request_states'));
}

/** The run folder's `model=` argument as HELM's model name: `openai_gpt-4o` is `openai/gpt-4o`. */
export function helmModelFromPath(fileName: string): string | null {
  const m = /[:,]model=([^,]+)/.exec(parentFolder(fileName));
  return m ? m[1].replace('_', '/') : null;
}

export const helmFormat: JsonFormat = {
  kind: 'json',
  name: 'helm',
  label: 'HELM run output',
  match(root, fileName) {
    if (isScenarioState(root)) return 10;
    if (isArray(root) && isPrediction(root.items.find(isObject))) return 10;
    // the run's other files: recognised by name inside a run folder, so they are not called unknown
    if (AUXILIARY_FILES.has(baseName(fileName)) && helmModelFromPath(fileName) !== null) return 5;
    return 0;
  },
  begin(options: ExtractOptions, fileName = ''): JsonExtractor {
    const folderModel = helmModelFromPath(fileName);
    return {
      record(root, source, sink) {
        if (isScenarioState(root)) return scenarioState(root as JsonObject, source, folderModel, options, sink);
        if (isArray(root)) {
          const used = new Set<string>();
          root.items.forEach((item, i) => {
            if (isPrediction(item)) prediction(item as JsonObject, i, source, folderModel, used, options, sink);
          });
        }
      },
    };
  },
};

function prediction(item: JsonObject, i: number, source: JsonRecordSource, model: string | null, used: Set<string>, options: ExtractOptions, sink: ExtractSink): void {
  const text = prop(item, 'predicted_text');
  if (text?.type !== 'string' || text.value.trim() === '') return; // nothing generated
  const instance = scalarText(prop(item, 'instance_id'));
  const trial = scalarText(prop(item, 'train_trial_index'));
  const perturbation = stringAt(item, 'perturbation', 'name');
  const metadata: Record<string, MetadataValue> = {};
  if (instance !== null) metadata.instance_id = instance;
  if (trial !== null) metadata.train_trial_index = Number(trial);
  if (perturbation) metadata.perturbation = perturbation;
  const mapped = stringAt(item, 'mapped_output');
  if (mapped) metadata.mapped_output = mapped;
  // ids by instance survive reordering; an instance seen again (another trial or perturbation) is told apart
  let id = `instance ${instance ?? '?'}${trial && trial !== '0' ? ` trial ${trial}` : ''}${perturbation ? ` ${perturbation}` : ''}: predicted_text`;
  if (used.has(id)) id = `[${i}].predicted_text`;
  used.add(id);
  sink.response(toResponse(id, locateString(text, source), { prompt: null, model, expected: expectationOf(item, options), metadata }));
}

function scenarioState(root: JsonObject, source: JsonRecordSource, folderModel: string | null, options: ExtractOptions, sink: ExtractSink): void {
  const specModel = stringAt(root, 'adapter_spec', 'model');
  const states = prop(root, 'request_states');
  if (!isArray(states)) return;
  states.items.forEach((state, i) => {
    if (!isObject(state)) return;
    if (prop(state, 'reference_index')?.type === 'number') return; // scoring one answer choice: no generation
    const completions = at(state, 'result', 'completions');
    if (!isArray(completions)) return;
    const request = prop(state, 'request');
    const instance = prop(state, 'instance');
    const prompt = promptOf(request, instance, source);
    const model = stringAt(request, 'model') ?? specModel ?? folderModel;
    const metadata: Record<string, MetadataValue> = {};
    const instanceId = scalarText(prop(instance, 'id'));
    const trial = scalarText(prop(state, 'train_trial_index'));
    const split = stringAt(instance, 'split');
    const perturbation = stringAt(instance, 'perturbation', 'name');
    if (instanceId !== null) metadata.instance_id = instanceId;
    if (trial !== null) metadata.train_trial_index = Number(trial);
    if (split) metadata.split = split;
    if (perturbation) metadata.perturbation = perturbation;
    const expected = expectationOf(state, options, [instance]);
    completions.items.forEach((c, k) => {
      const text = prop(c, 'text');
      if (text?.type !== 'string' || text.value.trim() === '') return;
      sink.response(
        toResponse(`request_states[${i}].result.completions[${k}].text`, locateString(text, source), { prompt, model, expected, metadata: { ...metadata } }),
      );
    });
  });
}

/** The request's prompt; chat requests keep it in `messages` (last user turn); else the instance's input. */
function promptOf(request: JsonNode | undefined, instance: JsonNode | undefined, source: JsonRecordSource): LocatedText | null {
  const prompt = prop(request, 'prompt');
  if (prompt?.type === 'string' && prompt.value.trim() !== '') return locateString(prompt, source);
  const messages = prop(request, 'messages');
  if (isArray(messages)) {
    for (let j = messages.items.length - 1; j >= 0; j--) {
      const m = messages.items[j];
      if (stringAt(m, 'role') !== 'user') continue;
      const text = locateContent(prop(m, 'content'), source);
      if (text) return text;
    }
  }
  const input = at(instance, 'input', 'text');
  return input?.type === 'string' ? locateString(input, source) : null;
}
